# kam rules diff: what a rules change does to tiers over the current data.
. "$FIXTURES/../cli/score_db.inc"
printf 'tiers:\n  key: {min: 55}\n' > old.yaml
printf 'tiers:\n  key: {min: 40}\n  strategic: {min: 95}\ncriteria:\n  revenue: {weight: 30}\n' > new.yaml
kam rules diff old.yaml new.yaml
printf 'tiers:\n  key: {min: 400}\n' > bad.yaml
kam rules diff old.yaml bad.yaml
echo "exit $?"
