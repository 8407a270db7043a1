# coverage, whitespace, yoy and retention on a small hand-made dataset
kam init >/dev/null
kam add staff name=王丽 login=wangli >/dev/null
kam add staff name=Tom login=tom >/dev/null
kam add staff name=Gone login=gone status=left >/dev/null
kam add account name=华信通信 key=true kam=王丽 >/dev/null
kam add account name=Northwind key=true kam=Tom >/dev/null
kam add account name=Smallco >/dev/null
kam add contact name=张伟 >/dev/null
kam add contact name=李娜 >/dev/null
kam add contact name=Ann >/dev/null
kam add account_contact account=华信通信 contact=张伟 role=economic_buyer key=true owner_a=王丽 owner_b=Tom >/dev/null
kam add account_contact account=华信通信 contact=李娜 role=technical key=true owner_a=王丽 owner_b=Gone >/dev/null
kam add account_contact account=Northwind contact=Ann role=coach key=true owner_a=Tom >/dev/null
kam add account_contact account=Smallco contact=Ann role=user >/dev/null
kam add account_year account=华信通信 year=2024 revenue=500 budget=5000 >/dev/null
kam add account_year account=华信通信 year=2025 revenue=400 budget=4000 >/dev/null
kam add account_year account=华信通信 year=2026 revenue=300 budget=6000 >/dev/null
kam add account_year account=Northwind year=2025 revenue=100 budget=1000 >/dev/null
kam add account_year account=Northwind year=2026 revenue=250 budget=1000 >/dev/null
kam add account_year account=Smallco year=2025 revenue=80 >/dev/null
kam add opportunity account=华信通信 year=2025 title=a offering=core buying_unit=北京 status=won amount=100 >/dev/null
kam add opportunity account=华信通信 year=2026 title=b offering=core buying_unit=北京 status=won amount=120 >/dev/null
kam add opportunity account=华信通信 year=2026 title=c offering=wifi buying_unit=北京 status=lost "competitors=Huawei:60;ZTE:40" strategic=true amount=50 >/dev/null
kam add opportunity account=华信通信 year=2026 title=d offering=core buying_unit=上海 status=open decision_date=2027-02-01 amount=70 >/dev/null
kam add opportunity account=Northwind year=2025 title=e offering=meters status=lost amount=10 >/dev/null
kam add opportunity account=Northwind year=2026 title=f offering=meters status=won amount=30 >/dev/null
kam report coverage
kam report whitespace --year 2026
kam report yoy --year 2026
kam report retention --year 2026
kam report yoy --year 2026 --format csv
