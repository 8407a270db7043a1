# kam score: the list, then why each account scores as it does.
. "$FIXTURES/../cli/score_db.inc"
kam score
kam score 中国移动 --explain
kam score 'Acme Tools' --explain
kam score 3 --format json
kam score nobody
echo "exit $?"
kam score --bogus
