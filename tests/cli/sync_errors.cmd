# Bad change files give FILE:LINE:COL errors, exit 3 and leave the database
# byte-identical; marks and site names are checked.
C="kam --db $PWD/central" B="kam --db $PWD/branch"
$C init >/dev/null
$C add account name=华东电力设计院 >/dev/null
$C backup branch >/dev/null
$B export --changes --site shanghai 2>/dev/null
$B add account name=南京分公司 >/dev/null
$B export --changes --since 1 -o ok.jsonl 2>/dev/null
before=$(md5sum < central/data.mdb)
# every problem of the file is listed, nothing is written
{
	echo '{"kam_changes":1,"site":"shanghai","since":1,"mark":9}'
	echo '{"entity":"acount","id":"shanghai:2","op":"put","base":null}'
	echo '{"entity":"account","id":"shanghai","op":"put","base":null}'
	echo '{"entity":"account","id":"shanghai:2","op":"upsert","base":null}'
	echo '{"entity":"account","id":"shanghai:2","op":"put","base":{"nmae":"x"}}'
	echo '{"entity":"account","id":"shanghai:2","op":"put","base":null,"name":"x","key":"maybe"}'
	echo '{"entity":"account","id":"shanghai:2","op":"put","base":null,"name":"x","parent":7}'
	echo '{"entity":"account","id":"shanghai:2","op":"rm","base":null}'
	echo '{"entity":"account","id":"shanghai:2","op":"put","base":null,"name":"x"'
	echo '{"end":3}'
} > bad.jsonl
$C import --changes bad.jsonl; echo "[$?]"
# a file cut short (no end line), or not a change file at all
head -2 ok.jsonl > cut.jsonl
$C import --changes cut.jsonl; echo "[$?]"
cp "$FIXTURES/kam_dump.jsonl" dump.jsonl
$C import --changes dump.jsonl 2>&1 | head -2
$C import --changes missing.jsonl; echo "[$?]"
[ "$before" = "$(md5sum < central/data.mdb)" ] && echo "central byte-identical"
# a database does not import its own changes
$B import --changes ok.jsonl; echo "[$?]"
# marks: ahead of the log, or before the copy the branch was made from
$C export --changes --since 99; echo "[$?]"
$B export --changes --since 0; echo "[$?]"
$C export --changes --since 0 -o c0.jsonl 2>/dev/null
$B import --changes c0.jsonl; echo "[$?]"
# site names
$B export --changes --site beijing --since 1; echo "[$?]"
$C export --changes --site 'Bad Name' --since 1; echo "[$?]"
$C export --changes --since last; echo "[$?]"
$C import --changes ok.jsonl --on-conflict theirs; echo "[$?]"
$C import ok.jsonl --changes ok.jsonl; echo "[$?]"
