# The LMDB map is full (KAM_MAP_SIZE: the map in MiB, default 64 GiB): the
# write that does not fit fails whole with exit 5 and says so; data.mdb is
# byte-identical afterwards; a larger map takes the same import.
awk 'BEGIN { print "name,notes"; for (i = 1; i <= 2000; i++) printf "Account %d,%400s\n", i, "x" }' >accounts.csv
KAM_MAP_SIZE=1 kam init >/dev/null
KAM_MAP_SIZE=1 kam add account name=Before
cp "$KAM_DB/data.mdb" before.mdb
KAM_MAP_SIZE=1 kam import accounts.csv
echo "[import exit $?]"
cmp "$KAM_DB/data.mdb" before.mdb && echo "data.mdb unchanged"
kam fsck
kam --format csv stats | grep '^account,'
# the same import with room for it
KAM_MAP_SIZE=8 kam import accounts.csv
kam fsck
# a map smaller than the data there: kam maps the data (reads work), and a
# write that needs a new page does not fit
KAM_MAP_SIZE=1 kam --format csv stats | grep '^account,'
KAM_MAP_SIZE=1 kam add account name=After
echo "[add exit $?]"
kam add account name=After
# KAM_MAP_SIZE must be a number of MiB from 1 to 65536 (usage error)
KAM_MAP_SIZE=0 kam stats
echo "[exit $?]"
KAM_MAP_SIZE=2x kam stats
echo "[exit $?]"
KAM_MAP_SIZE=65537 kam stats
