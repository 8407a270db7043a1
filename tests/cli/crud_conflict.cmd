# optimistic concurrency: an update carries the version it read
kam init >/dev/null
kam add account name=华东电力设计院有限公司 >/dev/null
kam set account 1 city=上海
kam set account 1 city=杭州 --if-version 1; echo "[$?]"
kam set account 1 city=南京 --if-version 2
kam show account 1 | grep -E '^(city|version) '
kam log --record account:1 | sed 's/"ts":[0-9]*/"ts":T/'
