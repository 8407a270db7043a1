# --what-if recomputes without writing: tier moves and the new distribution.
. "$FIXTURES/../cli/score_db.inc"
kam score --what-if 'margin.weight=60' --what-if 'tiers.key=60'
kam score --what-if tiers.strategic=95 --format tsv
kam score --what-if 'margin.wieght=30'
echo "exit $?"
kam score --what-if 'tiers.key=abc'
echo "exit $?"
