# add, show and list records with Chinese names; references by name
kam init | sed "s|$KAM_DB|\$KAM_DB|"
kam add staff name=王丽 login=wangli function=account_manager
kam add staff name=刘洋 login=liuyang function=account_manager
kam add account name=中国华信通信集团有限公司 industry=carrier province=北京 procurement=centralized kam=王丽 key=true strategic=true
kam add account name=中国华信通信集团广东有限公司 parent=中国华信通信集团有限公司 province=广东 city=广州 employees=62000 kam=刘洋 key=yes
kam add account "name=Northwind Grid Corp." industry=power province=Ontario kam=2
kam add account name=ＡＢＣ智能制造股份有限公司 industry=manufacturing
kam ls account
kam ls account --account 中国华信通信集团有限公司
kam show account 中国华信通信集团广东
kam ls account --format json --where industry=carrier | sed -E "s/\"(created|updated)\":[0-9]+/\"\1\":T/g"
kam ls staff --format csv
kam ls account --where 'name~abc' --format tsv
kam ls account --sort -employees --limit 1
