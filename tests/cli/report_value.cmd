# pareto, quadrant, allocation and budget on a small dataset (built-in rules)
kam init >/dev/null
kam add staff name=王丽 login=wangli >/dev/null
kam add staff name=Tom login=tom >/dev/null
kam add account name=华信通信 key=true kam=王丽 province=北京 scale=xl procurement=centralized position=leader >/dev/null
kam add account name=Northwind kam=Tom province=Ontario scale=m >/dev/null
kam add account name=Smallco kam=Tom province=Ontario scale=s >/dev/null
kam add account_year account=华信通信 year=2026 revenue=8000 budget=20000 margin=30 >/dev/null
kam add account_year account=Northwind year=2026 revenue=1500 budget=3000 margin=20 >/dev/null
kam add account_year account=Smallco year=2026 revenue=500 margin=10 >/dev/null
kam add activity account=华信通信 type=exhibition date=2026-04-10 guests=10 days=2 cost_per_guest_day=100 fixed_cost=500 actual_cost=2600 >/dev/null
kam add activity account=Smallco type=company_visit date=2026-09-01 guests=4 days=1 cost_per_guest_day=1000 actual_cost=3900 >/dev/null
kam add activity account=Smallco type=call date=2026-09-02 >/dev/null
kam add activity account=Northwind type=exhibition date=2026-10-01 status=cancelled guests=5 days=1 cost_per_guest_day=100 >/dev/null
kam report pareto --year 2026
kam report quadrant --year 2026
kam report allocation --year 2026
kam report allocation --year 2026 --by kam --format csv
kam report budget --year 2026 --by quarter
kam report budget --year 2026 --by region
kam report budget --year 2026 --by type --format json
