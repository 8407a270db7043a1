# Chinese headers and values (运营商, 特大型, 集中采购, 谈判, 60%); references by full or short name
kam init >/dev/null
kam import "$FIXTURES/cn_opportunities.csv" "$FIXTURES/cn_contacts.csv" "$FIXTURES/cn_accounts.csv"
kam ls account --format csv
kam ls contact
kam ls account_contact
kam ls opportunity --format csv
# a name written differently (no legal suffix, full-width letters) is the same account
printf '客户名称,城市\n中国移动通信集团,北京市\n国家电网,\n' > accounts.csv
kam import accounts.csv
kam ls account
