# Sync of a cascade delete (links first, then the account), a new record
# pointing at one created after it, and the warning for bulk imports, whose
# records the audit log does not list one by one.
T() { sed 's/"updated":[0-9]*/"updated":T/g'; }
C="kam --db $PWD/central" B="kam --db $PWD/branch"
$C init >/dev/null
$C add account name=Base >/dev/null
$C add contact name=王五 >/dev/null
$C add account_contact account=1 contact=1 >/dev/null
$C backup branch >/dev/null
$B export --changes --site sh 2>/dev/null
$C add account name=C2 >/dev/null
$B add account name=Group >/dev/null
$B add account name=Sub >/dev/null
$B set account 2 parent=3 >/dev/null
$B rm account 1 --cascade
printf 'name,city\nBulkCo,X\n' > accounts.csv
$B import accounts.csv
$B export --changes --since 3 -o b.jsonl; echo "[$?]"
T < b.jsonl
$C import --changes b.jsonl; echo "[$?]"
$C ls account
$C ls account_contact
$C fsck
$C import --changes b.jsonl
