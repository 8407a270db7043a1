# bootstrapping: until an active admin is mapped everybody is admin (staff
# with logins but no admin do not end it); kam gen makes the login running
# it an admin of the demo; a world-writable database directory is refused
kam init >/dev/null
kam add staff name=王丽 login=wangli >/dev/null
KAM_USER=anyone kam add account name=Open; echo "-> $?"
kam user add tester role=admin
KAM_USER=anyone kam ls account; echo "-> $?"
KAM_USER=wangli kam ls account --format csv
echo "== gen"
KAM_USER=demo kam --db demo gen --scale S | tail -1
KAM_USER=demo kam --db demo user ls --format csv | grep -E '^demo,'
KAM_USER=demo kam --db demo user ls --format csv | grep -c ',admin,active,'
KAM_USER=tester kam --db demo stats; echo "-> $?"
viewer=$(KAM_USER=demo kam --db demo user ls --format csv | awk -F, '$3 == "viewer" && $4 == "active" { print $1; exit }')
KAM_USER=$viewer kam --db demo gen --scale S 2>&1 | sed "s/$viewer/VIEWER/"
echo "== world-writable directory"
mkdir open && chmod 777 open
kam --db open init; echo "-> $?"
chmod 1777 open
kam --db open init; echo "-> $?"
ls open
