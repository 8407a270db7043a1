# export: schema order, ids, formula-injection guard unless --raw, sensitive fields only on request
kam init >/dev/null
kam import "$FIXTURES/kam_contacts.csv"
kam export contact
kam export contact --raw
kam export contact --include-sensitive --format jsonl
kam export contact -o out.csv && cat out.csv | wc -l
kam export --all --format csv -o dump && ls dump
kam export; echo "[$?]"
kam export contact --format xml; echo "[$?]"
kam export --all --format csv; echo "[$?]"
