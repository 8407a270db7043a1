# roles on reads: viewers never see sensitive fields (show, ls, log, export,
# agenda); --include-sensitive and backup are admin work; logins without a
# role read nothing
export KAM_USER=ada
kam init --admin ada >/dev/null
kam user add vi role=viewer >/dev/null
kam user add ed role=editor >/dev/null
kam add account name=Key key=true kam=ed >/dev/null
kam add contact name=Bob dates=birthday:11-25 private_notes=secret title=CIO >/dev/null
kam add account_contact account=Key contact=Bob key=true role=economic_buyer >/dev/null
kam set contact Bob "private_notes=new secret" title=CTO >/dev/null
echo "== show"
KAM_USER=vi kam show contact Bob | grep -E '^(title|dates|private_notes) '
KAM_USER=ed kam show contact Bob | grep -E '^(title|dates|private_notes) '
echo "== ls --where on a sensitive field"
KAM_USER=vi kam ls contact --where 'private_notes~secret' --format csv
KAM_USER=ed kam ls contact --where 'private_notes~secret' --format csv
echo "== log"
KAM_USER=vi kam log --record contact:1 | sed 's/"ts":[0-9]*/"ts":T/'
KAM_USER=ed kam log --record contact:1 | sed 's/"ts":[0-9]*/"ts":T/'
echo "== export"
KAM_USER=vi kam export contact | cut -d, -f1,2,5-
KAM_USER=vi kam export contact --include-sensitive; echo "-> $?"
KAM_USER=ed kam export contact --include-sensitive; echo "-> $?"
kam export contact --include-sensitive | cut -d, -f1,2,5-
echo "== agenda"
KAM_USER=vi kam --format tsv agenda | grep -c Personal
kam --format tsv agenda | grep Personal
echo "== backup"
KAM_USER=vi kam backup bk; echo "-> $?"
kam backup bk >/dev/null && echo "admin backup ok"
echo "== no role"
KAM_USER=nobody kam show contact Bob; echo "-> $?"
KAM_USER=nobody kam stats; echo "-> $?"
KAM_USER=nobody kam user ls; echo "-> $?"
kam user set vi name=Vi >/dev/null
kam set staff vi status=left >/dev/null
KAM_USER=vi kam ls account; echo "-> $?"
KAM_USER=vi kam export account; echo "-> $?"
KAM_USER=vi kam log; echo "-> $?"
