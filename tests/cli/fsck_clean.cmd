# fsck on a consistent database: exit 0; --repair on a clean one changes nothing
kam init --admin tester >/dev/null
kam add staff name=王丽 login=wangli
kam add account name=华信 kam=王丽
kam add contact name=张伟
kam add account_contact account=1 contact=1 owner_a=1
kam add activity account=1 date=2026-11-20 type=call contacts=1 staff=1
kam set account 1 city=北京
kam fsck
echo "exit $?"
kam fsck --repair
echo "exit $?"
kam fsck extra
