# kam plan yoy: kept, won, lost, new, slipped, share of wallet, churn risk
kam init >/dev/null
kam add account name=华信 key=true >/dev/null
kam add account name=东运 >/dev/null
kam add account_year account=华信 year=2023 revenue=900 budget=5000 >/dev/null
kam add account_year account=华信 year=2024 revenue=1000 budget=5000 >/dev/null
kam add account_year account=华信 year=2025 revenue=800 budget=4000 >/dev/null
kam add account_year account=华信 year=2026 revenue=600 budget=4000 >/dev/null
kam add account_year account=东运 year=2025 budget=1000 >/dev/null
kam add account_year account=东运 year=2026 revenue=100 budget=1000 >/dev/null
kam add opportunity account=华信 year=2025 title=运维 offering=运维 status=won amount=300 >/dev/null
kam add opportunity account=华信 year=2026 title=运维 offering=运维 status=won amount=350 >/dev/null
kam add opportunity account=华信 year=2025 title=核心网 offering=核心网 status=open decision_date=2026-02-01 >/dev/null
kam add opportunity account=华信 year=2026 title=核心网 offering=核心网 status=lost >/dev/null
kam add opportunity account=华信 year=2026 title=云平台 offering=云 status=open >/dev/null
kam add opportunity account=东运 year=2025 title=专线 offering=专线 status=won strategic=true amount=100 >/dev/null
kam add opportunity account=东运 year=2026 title=专线 offering=专线 status=lost strategic=true >/dev/null
kam plan yoy --from 2025 --to 2026
kam plan yoy --from 2025 --to 2026 --account 东运 --format csv
kam plan yoy --from 2026 --to 2025; echo "exit $?"
