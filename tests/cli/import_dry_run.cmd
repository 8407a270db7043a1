# --dry-run counts what would be created, updated or skipped and writes nothing
kam init >/dev/null
kam import "$FIXTURES/sf_accounts.csv" >/dev/null
before=$(md5sum < "$KAM_DB/data.mdb")
kam import --dry-run "$FIXTURES/sf_accounts.csv" "$FIXTURES/sf_contacts.csv" "$FIXTURES/cn_accounts.csv"; echo "[$?]"
[ "$before" = "$(md5sum < "$KAM_DB/data.mdb")" ] && echo "data.mdb unchanged"
kam ls contact
