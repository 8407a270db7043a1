# every problem of every file is listed with its position; nothing is written (data.mdb byte-identical)
kam init >/dev/null
kam add account name=Existing >/dev/null
cp "$FIXTURES/broken_accounts.csv" "$FIXTURES/broken_contacts.csv" .
before=$(md5sum < "$KAM_DB/data.mdb")
kam import broken_contacts.csv broken_accounts.csv; echo "[$?]"
[ "$before" = "$(md5sum < "$KAM_DB/data.mdb")" ] && echo "data.mdb unchanged"
kam ls account
# malformed CSV and JSONL are errors at their position too
printf 'name,city\n"Open quote,Beijing\n' > accounts.csv
kam import accounts.csv; echo "[$?]"
printf '{"name":"Ok"}\n{"name": }\n{"name":"X","nmae":"Y"}\n' > accounts.jsonl
kam import accounts.jsonl; echo "[$?]"
[ "$before" = "$(md5sum < "$KAM_DB/data.mdb")" ] && echo "data.mdb unchanged"
