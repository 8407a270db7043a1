# TYPE, --map, --on-duplicate, --format, and the usage errors
kam init >/dev/null
printf 'Firma,Ort,Unbekannt\nAlpha GmbH,Berlin,x\n' > firms.txt
kam import account firms.txt; echo "[$?]"
kam import account firms.txt --map Firma=name --map Ort=city --map Unbekannt=; echo "[$?]"
kam import account firms.txt --map Firma=name --map Ort=city --map Unbekannt= --on-duplicate error; echo "[$?]"
kam import account firms.txt --map Firma=name --map Ort=city --map Unbekannt= --on-duplicate skip; echo "[$?]"
kam import account firms.txt --map Firma=nmae --map Ort=city --map Unbekannt=; echo "[$?]"
printf '{"name":"Beta AG","city":"Wien"}\n' > firms.data
kam import account firms.data --format jsonl; echo "[$?]"
kam ls account
kam import data.csv; echo "[$?]"
kam import; echo "[$?]"
kam import account firms.txt --on-duplicate merge; echo "[$?]"
kam import account firms.txt --format xml; echo "[$?]"
