# deletes are refused while referenced; --cascade removes dependants
kam init >/dev/null
kam add account name=集团 >/dev/null
kam add account name=分公司 parent=集团 >/dev/null
kam add contact name=李丽 title=CIO >/dev/null
kam add account_contact account=分公司 contact=李丽 role=technical >/dev/null
kam add opportunity account=分公司 year=2027 title=核心网扩容 amount=120000000 >/dev/null
kam rm account 集团; echo "[$?]"
kam rm account 分公司; echo "[$?]"
kam rm account 分公司 --cascade
kam ls account
kam ls account_contact
kam ls contact
kam stats | head -14
