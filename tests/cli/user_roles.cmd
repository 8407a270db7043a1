# users and roles: bootstrapping (nobody mapped = everybody admin), the last
# admin cannot be removed, only admins manage users
kam init >/dev/null
kam user ls
kam user add bob role=viewer
kam user add tester name=测试员 role=admin
kam user add bob
kam user add carol role=editor
kam user add bob
kam user set carol role=owner
kam user set tester role=editor
kam user set nobody role=admin
KAM_USER=carol kam user set bob role=admin
kam user set carol role=admin name=Carol
kam user ls
kam user ls --format csv
kam user frob
kam fsck
