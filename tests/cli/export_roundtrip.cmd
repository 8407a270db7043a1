# JSONL export -> import into an empty database -> export is byte-identical; CSV too
kam init >/dev/null
kam import "$FIXTURES/kam_contacts.csv" >/dev/null
kam import "$FIXTURES/cn_accounts.csv" "$FIXTURES/cn_contacts.csv" "$FIXTURES/cn_opportunities.csv" >/dev/null
kam import "$FIXTURES/sf_accounts.csv" "$FIXTURES/sf_contacts.csv" "$FIXTURES/sf_opportunities.csv" >/dev/null
kam export --all --include-sensitive > one.jsonl
KAM_DB=$PWD/db2 kam init >/dev/null
KAM_DB=$PWD/db2 kam import one.jsonl
KAM_DB=$PWD/db2 kam export --all --include-sensitive > two.jsonl
cmp one.jsonl two.jsonl && echo "jsonl round trip identical"
kam export --all --format csv --include-sensitive -o csv1
KAM_DB=$PWD/db3 kam init >/dev/null
KAM_DB=$PWD/db3 kam import csv1/*.csv >/dev/null
KAM_DB=$PWD/db3 kam export --all --include-sensitive > three.jsonl
cmp one.jsonl three.jsonl && echo "csv round trip identical"
# importing the dump again changes nothing
KAM_DB=$PWD/db2 kam import one.jsonl
KAM_DB=$PWD/db2 kam ls contact
# a dump whose records point forward (a branch before its group, a chain of managers)
KAM_DB=$PWD/db4 kam init >/dev/null
KAM_DB=$PWD/db4 kam import "$FIXTURES/kam_dump.jsonl"
KAM_DB=$PWD/db4 kam export --all --include-sensitive | cmp - "$FIXTURES/kam_dump.jsonl" && echo "dump round trip identical"
