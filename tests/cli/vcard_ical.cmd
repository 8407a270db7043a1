# contacts from vCard (all or nothing), activities out as iCalendar
kam init >/dev/null
kam add account name=中国华信通信集团广东有限公司 >/dev/null
kam add opportunity account=1 year=2027 title=核心网扩容 decision_date=2027-03-31 >/dev/null
kam add activity account=1 type=exhibition "title=通信展, 广州; 第二天" date=2027-03-10 time=09:30 opportunity=1 guests=30 days=2 cost_per_guest_day=1600 >/dev/null
(cd "$FIXTURES" && kam import vcard vcard/cjk.vcf)
(cd "$FIXTURES" && kam import vcard vcard/cjk.vcf)
(cd "$FIXTURES" && kam import vcard vcard/broken.vcf 2>&1); echo "[$?]"
kam ls contact
kam export ical | tr -d '\r'
