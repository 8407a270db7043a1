# kam plan rollover: drafts 2027 from 2026, skips what exists, idempotent
kam init >/dev/null
kam add account name=中国华信广东 key=true >/dev/null
kam add account name=小客户 >/dev/null
kam add opportunity account=中国华信广东 year=2026 "title=2026 运维外包" offering=运维外包 budget_line=运维 status=won amount=8000000 decision_date=2026-03-31 >/dev/null
kam add opportunity account=中国华信广东 year=2026 title=核心网扩容 offering=核心网 status=open stage=negotiate probability=60 decision_date=2026-12-20 amount=45000000 >/dev/null
kam add opportunity account=中国华信广东 year=2026 title=数据中台 offering=数据中台 budget_line=IT建设 status=lost decision_date=2026-06-30 >/dev/null
kam add opportunity account=中国华信广东 year=2026 title=一次性采购 status=won >/dev/null
kam add opportunity account=小客户 year=2026 title=终端更新 offering=终端 status=open decision_date=2026-02-28 >/dev/null
kam add opportunity account=小客户 year=2027 title=终端更新2027 offering=终端 >/dev/null
kam plan rollover --from 2026 --to 2027 --dry-run
kam ls opportunity --year 2027 --format tsv | cut -f1-4
kam plan rollover --from 2026 --to 2027 --account 中国华信广东 --format tsv
kam plan rollover --from 2026 --to 2027
kam show opportunity "2027 运维外包" | grep -E "^(year|title|stage|status|decision_date|draft|notes) "
kam show opportunity 8 | grep -E "^(title|stage|probability|decision_date|draft) "
kam show opportunity 9 | grep -E "^(title|stage|probability|decision_date|draft) "
kam plan rollover --from 2027 --to 2026; echo "exit $?"
kam plan rollover --from 2026; echo "exit $?"
