# every error names the problem, exits with the documented code and writes nothing
kam init >/dev/null
kam add account name=甲公司 >/dev/null
kam add account name=乙公司 provnce=广东; echo "[$?]"
kam add account name=乙公司 position=leeder; echo "[$?]"
kam add account name=乙公司 stage_since=2026-02-30; echo "[$?]"
kam add acount name=乙公司; echo "[$?]"
kam add account province=广东; echo "[$?]"
kam add account name=乙公司 parent=丙公司; echo "[$?]"
kam add account name=乙公司 budget=; echo "[$?]"
kam frobnicate; echo "[$?]"
kam ls account --sort nmae; echo "[$?]"
kam ls account --where 'employees>lots'; echo "[$?]"
kam show account 99; echo "[$?]"
kam ls account
