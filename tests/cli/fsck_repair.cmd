# Inconsistencies made behind kam's back with the LMDB tools: a record put
# back without its index entries and pointing at deleted staff, a stale
# index entry, an id counter behind the highest id. fsck lists them (exit 1),
# --repair rebuilds the indexes and counters but leaves the dangling
# reference for a person (exit 1), then only that remains.
kam init --admin tester >/dev/null
kam add staff name=王丽 login=wangli
kam add staff name=刘洋 login=liuyang
kam add account name=华信 kam=刘洋
mdb_dump -s account "$KAM_DB" > acc.dump
kam rm account 1
kam rm staff 3
mdb_load -s account -f acc.dump "$KAM_DB" 2>/dev/null
# staff.login: "zz" || staff 1 (stale), "ghost" || staff 9 (no such staff)
printf 'VERSION=3\nformat=bytevalue\ntype=btree\nHEADER=END\n 7a7a000000000000000001\n \n 67686f7374000000000000000009\n \nDATA=END\n' |
	mdb_load -s staff.login "$KAM_DB"
printf 'VERSION=3\nformat=bytevalue\ntype=btree\nHEADER=END\n %s\n 0000000000000001\nDATA=END\n' \
	"$(printf 'next.account' | od -An -tx1 | tr -d ' \n')" | mdb_load -s meta "$KAM_DB"
kam fsck
echo "exit $?"
kam fsck --repair
echo "exit $?"
kam fsck
echo "exit $?"
kam add staff name=陈敏
kam add account name=新客户
