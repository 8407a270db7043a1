# kam check on a small hand-made dataset: each finding names its record
kam init >/dev/null
kam add staff name=王丽 login=wangli function=account_manager >/dev/null
kam add staff name=刘洋 login=liuyang function=account_manager status=left >/dev/null
kam add account name=中国华信广东 key=true kam=王丽 >/dev/null
kam add account name=小客户 >/dev/null
kam add contact name=李丽 >/dev/null
kam add contact name=黄涛 >/dev/null
kam add account_contact account=中国华信广东 contact=李丽 key=true role=economic_buyer owner_a=王丽 owner_b=刘洋 >/dev/null
kam add account_contact account=中国华信广东 contact=黄涛 key=true role=technical owner_a=王丽 >/dev/null
kam add opportunity account=中国华信广东 year=2027 title=核心网扩容 decision_date=2027-03-31 status=open >/dev/null
kam add opportunity account=小客户 year=2026 title=终端更新 decision_date=2026-11-01 status=open >/dev/null
kam add activity account=中国华信广东 type=exhibition title=通信展 date=2027-04-18 opportunity=核心网扩容 guests=10 days=2 cost_per_guest_day=2000 >/dev/null
kam add activity account=中国华信广东 type=office_visit title=拜访李丽 date=2026-11-02 contacts=1 >/dev/null
kam add complaint account=小客户 opened=2026-11-01 severity=critical status=open >/dev/null
kam add plan account=中国华信广东 year=2026 profile=运营商 goals=扩大份额 >/dev/null
kam check --list --format tsv
kam check --format tsv; echo "exit $?"
kam check --account 小客户; echo "exit $?"
kam check --check opportunity_overdue --format csv
kam check --account 小客户 --check complaint_sla --format json
kam check --check no_such_check; echo "exit $?"
kam check --check plan_sectoins; echo "exit $?"
kam check --check plan_sections --account 中国华信广东
