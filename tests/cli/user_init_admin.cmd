# kam init --admin LOGIN maps the first admin; others are then refused
kam init --admin root >/dev/null
kam user ls
KAM_USER=mallory kam user add mallory role=admin
kam user add alice role=editor
kam user ls --format tsv
