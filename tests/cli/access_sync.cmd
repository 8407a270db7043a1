# change files hold every field, sensitive ones included: exporting and
# applying them, and naming the site, are admin work
export KAM_USER=ada
kam init --admin ada >/dev/null
kam user add ed role=editor >/dev/null
kam add account name=Key kam=ed >/dev/null
kam export --changes --since 0 -o ch.jsonl 2>/dev/null; echo "admin export -> $?"
sum=$(md5sum db/data.mdb)
KAM_USER=ed kam export --changes --since 0; echo "editor export -> $?"
KAM_USER=ed kam export --changes --site branch; echo "editor site -> $?"
KAM_USER=ed kam import --changes ch.jsonl; echo "editor import -> $?"
[ "$sum" = "$(md5sum db/data.mdb)" ] && echo "db unchanged"
