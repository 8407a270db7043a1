# Two branches sync through central: a record created at one branch reaches
# the other with a new id there, and edits travel back by global id.
C="kam --db $PWD/central" SH="kam --db $PWD/sh" BJ="kam --db $PWD/bj"
$C init >/dev/null
$C add account name=华东电力设计院 >/dev/null
$C backup sh >/dev/null
$C backup bj >/dev/null
$SH export --changes --site shanghai
$BJ export --changes --site beijing
$BJ add account name=北京分公司 >/dev/null
$SH add account name=上海分公司 city=上海 >/dev/null
$SH add opportunity account=上海分公司 title=配网改造 year=2027 amount=800000 >/dev/null
$SH export --changes --since 1 -o sh1.jsonl 2>/dev/null
$C import --changes sh1.jsonl
$C export --changes --since 1 -o c-bj1.jsonl 2>/dev/null
$BJ import --changes c-bj1.jsonl
$BJ ls account
$BJ ls opportunity | cut -c1-40
# beijing edits shanghai's opportunity; it reaches shanghai through central
$BJ set opportunity 1 amount=900000 stage=proposal >/dev/null
$BJ export --changes --since 1 -o bj1.jsonl 2>/dev/null
$C import --changes bj1.jsonl
$C export --changes --since 1 -o c-sh1.jsonl 2>/dev/null
$SH import --changes c-sh1.jsonl
$SH show opportunity 1 | grep -E '^(account|amount|stage) '
$SH ls account
$C ls account
# shanghai edits, central takes it and then deletes the record: the deletion
# applies at shanghai (the base it compares with is what shanghai sent)
mark() { sed -n '1s/.*"mark":\([0-9]*\).*/\1/p' "$1"; }
$SH set opportunity 1 notes=跟进 >/dev/null
$SH export --changes --since "$(mark sh1.jsonl)" -o sh2.jsonl 2>/dev/null
$C import --changes sh2.jsonl
$C rm opportunity 1
$C export --changes --since "$(mark c-sh1.jsonl)" -o c-sh2.jsonl 2>/dev/null
grep -c '"op":"rm"' c-sh2.jsonl
$SH import --changes c-sh2.jsonl
$SH ls opportunity
