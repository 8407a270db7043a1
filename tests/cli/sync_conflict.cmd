# Sync conflicts: a record changed at both sites is listed (fields, here vs
# incoming) and never overwritten; by default nothing of the file is written
# (exit 4, data.mdb byte-identical); --on-conflict keep-local applies the rest.
C="kam --db $PWD/central" B="kam --db $PWD/branch"
$C init >/dev/null
$C add account name=华东电力设计院 city=上海 >/dev/null
$C add account name=Beta >/dev/null
$C add opportunity account=2 title=配网改造 amount=1200000 year=2027 >/dev/null
$C backup branch >/dev/null
$B export --changes --site shanghai
$C set account 1 city=北京 industry=energy >/dev/null
$B set account 1 city=天津 >/dev/null
$B set account 2 notes=branch >/dev/null
# a record deleted at central while the branch changed it
$C rm opportunity 1 >/dev/null
$B set opportunity 1 amount=1500000 >/dev/null
$B export --changes --since 3 -o b1.jsonl 2>/dev/null
before=$(md5sum < central/data.mdb)
$C export --all --include-sensitive > before.jsonl
$C import --changes b1.jsonl; echo "[$?]"
[ "$before" = "$(md5sum < central/data.mdb)" ] && echo "central byte-identical"
$C export --all --include-sensitive | cmp - before.jsonl && echo "central records unchanged"
$C import --changes b1.jsonl --dry-run --on-conflict keep-local; echo "[$?]"
[ "$before" = "$(md5sum < central/data.mdb)" ] && echo "dry run: central byte-identical"
$C import --changes b1.jsonl --on-conflict keep-local; echo "[$?]"
$C show account 1 | grep -E '^(city|industry) '
$C show account 2 | grep -E '^notes '
# the other way: central's change conflicts at the branch; a deletion of a
# record changed here is a conflict too
$C export --changes --since 3 -o c1.jsonl 2>/dev/null
$B import --changes c1.jsonl; echo "[$?]"
$B show account 1 | grep -E '^city '
# resolving: make the record the same at both sites, then it applies cleanly
$B set account 1 city=北京 industry=energy >/dev/null
$B rm opportunity 1 >/dev/null
$B import --changes c1.jsonl; echo "[$?]"
# a change to a branch record central never received (an earlier file was
# skipped) is a conflict, never a guess at some other record
{
	echo '{"kam_changes":1,"site":"shanghai","since":3,"mark":99}'
	echo '{"entity":"account","id":"shanghai:2","op":"put","base":{"name":"x"},"name":"y"}'
	echo '{"entity":"account_contact","id":"shanghai:5","op":"put","base":null,"account":"shanghai:2","contact":"central:1"}'
	echo '{"end":2}'
} > skipped.jsonl
$C import --changes skipped.jsonl; echo "[$?]"
