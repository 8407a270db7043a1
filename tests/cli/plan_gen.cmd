# rollover of the generated demo data is idempotent; yoy total row
kam gen --scale S >/dev/null
kam plan rollover --from 2026 --to 2027 | tail -1
kam plan rollover --from 2026 --to 2027 | tail -1
kam plan yoy --from 2026 --to 2027 --format tsv | tail -1
