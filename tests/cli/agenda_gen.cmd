# kam agenda --digest on the generated demo data: section headings and counts only
kam gen --scale S >/dev/null
kam agenda --digest | grep -v '^  '
