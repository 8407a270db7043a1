# kam init --admin LOGIN maps the first admin; then roles hold: other logins
# are refused by every command, and init --admin cannot add a second admin
kam init --admin root >/dev/null
KAM_USER=root kam user ls
KAM_USER=mallory kam user add mallory role=admin
kam user add alice role=editor
kam user ls
KAM_USER=root kam init --admin mallory
KAM_USER=root kam user ls --format tsv
