# roles on writes: viewer, editor (team scope, then scope all), admin,
# unmapped and departed logins; every refusal exits 3 and writes nothing
export KAM_USER=ada
kam init --admin ada >/dev/null
kam user add vi role=viewer >/dev/null
kam user add ed role=editor >/dev/null
kam user add gone role=editor >/dev/null
kam set staff gone status=left >/dev/null
kam add account name=Mine kam=ed >/dev/null
kam add account name=Theirs >/dev/null
kam add contact name=Bob >/dev/null
kam add account_contact account=Theirs contact=Bob >/dev/null
kam add opportunity account=Theirs year=2026 title=Renewal offering=ops status=won >/dev/null
kam add opportunity account=Mine year=2026 title=Upgrade offering=core status=won >/dev/null
printf 'name\nImported\n' >accounts.csv
sum() { md5sum <"$KAM_DB/data.mdb"; }
before=$(sum)
echo "== viewer"
KAM_USER=vi kam add account name=X; echo "-> $?"
KAM_USER=vi kam set account Mine city=Xi; echo "-> $?"
KAM_USER=vi kam rm contact Bob; echo "-> $?"
KAM_USER=vi kam plan rollover --from 2026 --to 2027; echo "-> $?"
echo "== editor, team scope"
KAM_USER=ed kam set account Theirs city=Xi; echo "-> $?"
KAM_USER=ed kam add opportunity account=Theirs year=2027 title=X; echo "-> $?"
KAM_USER=ed kam set contact Bob title=CTO; echo "-> $?"
KAM_USER=ed kam rm account Mine --cascade; echo "-> $?"
KAM_USER=ed kam add staff name=Eve login=eve role=admin; echo "-> $?"
KAM_USER=ed kam set staff ed role=admin; echo "-> $?"
KAM_USER=ed kam import accounts.csv; echo "-> $?"
KAM_USER=ed kam plan rollover --from 2026 --to 2027; echo "-> $?"
KAM_USER=ed kam gen --scale S; echo "-> $?"
echo "== no role"
KAM_USER=gone kam set account Mine city=Xi; echo "-> $?"
KAM_USER=nobody kam add account name=Y; echo "-> $?"
KAM_USER=nobody kam init --admin nobody; echo "-> $?"
echo "== admin"
kam set staff ada role=editor; echo "-> $?"
kam rm staff ada; echo "-> $?"
[ "$before" = "$(sum)" ] && echo "database unchanged" || echo "DATABASE CHANGED"
echo "== allowed"
KAM_USER=ed kam set account Mine city=Xi
KAM_USER=ed kam add opportunity account=Mine year=2027 title=Next
KAM_USER=ed kam plan rollover --from 2026 --to 2027 --account Mine
KAM_USER=ed kam plan rollover --from 2026 --to 2027 --dry-run | tail -1
printf 'access:\n  editor_scope: all\n' >all.yaml
KAM_CONFIG=all.yaml KAM_USER=ed kam set account Theirs city=Xi
KAM_CONFIG=all.yaml KAM_USER=ed kam rm account Theirs; echo "-> $?"
kam import accounts.csv
kam rm account Imported
kam log --limit 2 | cut -c1-120 | sed 's/"ts":[0-9]*/"ts":T/'
