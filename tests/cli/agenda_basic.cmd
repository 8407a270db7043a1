# kam agenda: the day's sections, key accounts first, --staff/--me and --digest
kam init >/dev/null
kam add staff name=王丽 login=tester function=account_manager >/dev/null
kam add staff name=刘洋 login=liuyang function=account_manager >/dev/null
kam add account name=小客户 kam=刘洋 >/dev/null
kam add account name=中国华信广东 key=true kam=王丽 >/dev/null
kam add contact name=李丽 dates=birthday:11-25 >/dev/null
kam add contact name=黄涛 "dates=birthday:12-25;anniversary:11-30" >/dev/null
kam add contact name=张三 dates=birthday:11-24 >/dev/null
kam add account_contact account=中国华信广东 contact=李丽 key=true role=economic_buyer owner_a=王丽 owner_b=刘洋 >/dev/null
kam add account_contact account=中国华信广东 contact=黄涛 key=true role=technical owner_a=王丽 owner_b=刘洋 >/dev/null
kam add account_contact account=小客户 contact=张三 >/dev/null
kam add opportunity account=小客户 year=2026 title=终端更新 decision_date=2026-12-01 amount=100000 probability=50 stage=proposal >/dev/null
kam add opportunity account=中国华信广东 year=2026 title=核心网扩容 decision_date=2026-12-20 amount=45000000 probability=90 stage=negotiate >/dev/null
kam add opportunity account=中国华信广东 year=2027 title=5G室分 decision_date=2027-03-01 >/dev/null
kam add activity account=小客户 type=office_visit title=回访 date=2026-11-23 time=09:30 status=confirmed >/dev/null
kam add activity account=中国华信广东 type=tech_exchange title=技术交流 date=2026-11-23 time=14:00 contacts=1 staff=1 >/dev/null
kam add activity account=中国华信广东 type=exhibition title=通信展 date=2026-12-10 opportunity=核心网扩容 guests=10 days=2 cost_per_guest_day=2000 >/dev/null
kam add activity account=中国华信广东 type=office_visit title=旧拜访 date=2026-08-01 status=done contacts=2 >/dev/null
kam add plan_action account=中国华信广东 year=2026 goal=扩大份额 action=梳理决策链 due=2026-11-20 owner=王丽 >/dev/null
kam add plan_action account=中国华信广东 year=2026 goal=扩大份额 action=年度回顾 due=2027-01-31 >/dev/null
kam agenda --format tsv
kam agenda --digest --days 14
kam agenda --me --format tsv
kam agenda --staff 刘洋 --format tsv
kam agenda --days 0; echo "exit $?"
