# report pipeline by stage, owner, quarter and offering, against a target
kam init >/dev/null
kam add staff name=王丽 login=wangli function=account_manager
kam add staff name=Tom login=tom function=account_manager
kam add account name=华信通信 key=true kam=王丽
kam add account name=Northwind key=true kam=Tom
kam add opportunity account=华信通信 year=2026 title=核心网 offering=core amount=1000 stage=proposal probability=50 decision_date=2026-03-31 owner=王丽
kam add opportunity account=华信通信 year=2026 title=传输 offering=transport amount=400 stage=negotiate decision_date=2026-08-01 owner=王丽
kam add opportunity account=Northwind year=2026 title=Grid amount=600 stage=closed status=won decision_date=2026-05-10 owner=Tom
kam add opportunity account=Northwind year=2026 title=Meters offering=core amount=300 stage=closed status=lost decision_date=2026-11-02
kam add opportunity account=Northwind year=2027 title=Next amount=999 stage=lead
kam report pipeline --year 2026
kam report pipeline --year 2026 --by owner --target 2,000
kam report pipeline --year 2026 --by quarter --format csv
kam report pipeline --year 2026 --by offering --format json
kam report pipeline --year 2026 --by colour
kam report pipline
