# kam check on the generated demo data: findings per check (counts only)
kam gen --scale S >/dev/null
kam check --format tsv | awk -F'\t' 'NR > 1 { n[$1 " " $2]++ } END { for (k in n) print k, n[k] }' | sort
kam check --check exec_meeting >/dev/null; echo "exit $?"
