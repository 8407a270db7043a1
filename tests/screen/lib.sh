# Shared helpers of the screen tests: a private tmux server, a small exact
# fixture database, polling for an expected screen, byte counting.
# Sourced by tests/screen/test_*.sh; $KAM_BIN is the kam binary under test.
set -u
: "${KAM_BIN:?KAM_BIN must name the kam binary}"
SCREEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/kamscreen.XXXXXX")
SOCK="$T/tmux.sock"
export KAM_TODAY=2026-11-23 LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC KAM_USER=tester
unset NO_COLOR KAM_CURSOR
# Slow ASan builds need generous timeouts; polling keeps fast runs fast.
WAIT=${SCREEN_WAIT:-20}

tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
cleanup() { tm kill-server 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

k() { "$KAM_BIN" --db "$T/db" "$@" >/dev/null || fail "kam $*"; }

# A small, exact dataset shaped like SCREENS.md: a group with a provincial
# company and city branches, CJK and Latin names, a full-width name, three
# years of figures, an org chart, the 2027 opportunity list, activities.
make_fixture() {
	k init
	for s in 王丽:wangli 陈敏:chenmin 刘洋:liuyang 赵磊:zhaolei Smith:smith; do
		k add staff name="${s%%:*}" login="${s##*:}"
	done
	k add account name=中国华信通信集团有限公司 kam=王丽 key=true strategic=true industry=carrier \
		province=北京 city=北京 procurement=centralized stage=strengthen lifecycle=integration
	k add account name=中国华信通信集团广东有限公司 parent=1 kam=王丽 key=true industry=carrier \
		province=广东 city=广州 procurement=centralized stage=stabilize stage_since=2025-03-01 \
		lifecycle=deepening position=leader employees=62000
	k add account name=深圳分公司 parent=2 kam=陈敏 province=广东 city=深圳
	k add account name=广州分公司 parent=2 kam=陈敏 province=广东 city=广州
	k add account name=中国华信通信集团江苏有限公司 parent=1 kam=刘洋 key=true province=江苏 city=南京
	k add account name=国家电网华东分部 kam=赵磊 strategic=true industry=power province=上海 city=上海
	k add account name=国网上海市电力公司 parent=6 kam=赵磊 province=上海 city=上海
	k add account name='Northwind Grid Corp.' kam=Smith key=true industry=power
	k add account name=ＡＢＣ智能制造股份有限公司 kam=刘洋 industry=manufacturing
	k add account name=华东电力设计院有限公司
	local rev=(9800000000 2100000000 520000000 310500000 1450200000 3400000000 800000000 340000000 87000000 12400000)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		k add account_year account=$i year=2026 revenue=${rev[$((i - 1))]}
	done
	k add account_year account=2 year=2024 budget=18200000000 revenue=1700000000 margin=21
	k add account_year account=2 year=2025 budget=19900000000 revenue=1950000000 margin=22
	k set account_year 2 budget=21000000000 margin=23
	k add contact name=王建国 title=总经理
	k add contact name=李丽 title=CIO reports_to=1
	k add contact name=陈刚 title=网络部主任 reports_to=2
	k add contact name=黄涛 title=IT规划处 reports_to=2 cadence_days=30
	k add contact name=张强 title=采购部经理 reports_to=1
	k add account_contact account=2 contact=1 role=decision_maker influence=high attitude=supporter owner_a=王丽 owner_b=刘洋 key=true
	k add account_contact account=2 contact=2 role=technical influence=high attitude=champion owner_a=王丽 owner_b=陈敏 key=true
	k add account_contact account=2 contact=3 role=user influence=medium attitude=neutral owner_a=陈敏 owner_b=王丽
	k add account_contact account=2 contact=4 role=user influence=low attitude=neutral owner_a=刘洋
	k add account_contact account=2 contact=5 role=economic_buyer influence=high attitude=opponent owner_a=刘洋 key=true
	k add influence from=2 to=1 kind=influences strength=strong
	k add influence from=5 to=2 kind=conflicts
	k add opportunity account=2 year=2027 title='2027 核心网扩容' stage=proposal amount=120000000 probability=50 decision_date=2027-03-31 competitors=H:40 strategic=true
	k add opportunity account=2 year=2027 title=数据中心节能改造 stage=qualify amount=30000000 probability=10 decision_date=2027-06-30 strategic=true
	k add opportunity account=2 year=2027 title='5G 室分 深圳' stage=negotiate amount=8000000 probability=80 decision_date=2027-02-28 competitors=Z:20
	k add opportunity account=2 year=2027 title=运维外包续约 stage=commit amount=45000000 probability=90 decision_date=2027-01-15
	k add opportunity account=2 year=2026 title=传输网改造 stage=closed amount=60000000 probability=100 status=won decision_date=2026-05-20
	k add activity account=2 type=office_visit title=日常拜访 date=2026-11-20 contacts=2 status=done
	k add activity account=2 type=tech_exchange title=专题交流 date=2026-11-10 contacts='3;4' status=done
	k add activity account=2 type=banquet title=年度答谢 date=2026-10-09 contacts=1 status=done
	k add activity account=2 type=exhibition title=通信展 date=2027-04-18 opportunity=1 guests=30 days=2 cost_per_guest_day=1600 status=planned
	local last=(1:2026-11-20 3:2026-11-11 4:2026-10-14 5:2026-11-18 6:2026-11-21 8:2026-11-14 9:2026-09-24)
	for a in "${last[@]}"; do
		k add activity account=${a%%:*} type=call title=电话 date=${a##*:} status=done
	done
}

# Start kam in a detached tmux session of W x H; extra args go to kam.
start_kam() {
	local w=$1 h=$2
	shift 2
	local cmd="env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $KAM_BIN --db $T/db $* 2>$T/stderr; echo \"[kam exited \$?]\"; sleep 600"
	# A tmux server that fails to come up (seen once in a clean-clone run,
	# every later poll saying "no server running") gets one more try, and
	# tmux's own reason is kept for the failure message.
	if ! tm new-session -d -s kam -x "$w" -y "$h" "$cmd" 2>"$T/tmux.err"; then
		sleep 1
		tm kill-server 2>/dev/null
		tm new-session -d -s kam -x "$w" -y "$h" "$cmd" 2>>"$T/tmux.err" ||
			fail "tmux new-session failed: $(cat "$T/tmux.err")"
	fi
	tm set-option -t kam -g status off >/dev/null 2>&1 || true
	wait_text "? help" || fail "kam did not start: $(cat "$T/stderr" "$T/tmux.err" 2>/dev/null; tm ls 2>&1)"
}

screen() { tm capture-pane -p -t kam | sed 's/ *$//'; }

# Poll until the screen contains TEXT.
wait_text() {
	local end=$((SECONDS + WAIT))
	while [ $SECONDS -lt $end ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

# Poll until the screen equals expected/NAME (trailing blanks ignored).
expect_screen() {
	local exp="$SCREEN_DIR/expected/$1" end=$((SECONDS + WAIT))
	# SCREEN_UPDATE=1 records the current screen (review it before committing).
	if [ -n "${SCREEN_UPDATE:-}" ]; then
		settle
		screen >"$exp"
		return 0
	fi
	while [ $SECONDS -lt $end ]; do
		[ "$(screen)" == "$(sed 's/ *$//' "$exp")" ] && return 0
		sleep 0.1
	done
	echo "screen differs from expected/$1:" >&2
	diff -u <(sed 's/ *$//' "$exp") <(screen) >&2
	exit 1
}

# Wait until the screen has not changed for 0.5 s.
settle() {
	local a b
	a=$(screen)
	for _ in $(seq 1 $((WAIT * 4))); do
		sleep 0.5
		b=$(screen)
		[ "$a" == "$b" ] && return 0
		a=$b
	done
}

keys() { tm send-keys -t kam "$@"; }

# Send kam the signal SIG and wait for the exit status 128 + its number.
signal_kam() {
	local shell pid code
	shell=$(tm display-message -p -t kam '#{pane_pid}')
	pid=$(pgrep -P "$shell" | head -1)
	[ -n "$pid" ] || fail "no kam process"
	kill -"$1" "$pid"
	code=$((128 + $(kill -l "$1")))
	wait_text "[kam exited $code]" || { screen >&2; fail "SIG$1: no exit $code"; }
}

# Quit and check a clean exit (ASan leak reports make the exit code non-zero).
quit_kam() {
	keys Q
	wait_text "[kam exited 0]" || { screen >&2; cat "$T/stderr" >&2; fail "kam did not exit cleanly"; }
	[ ! -s "$T/stderr" ] || { cat "$T/stderr" >&2; fail "kam wrote to stderr"; }
}

# Bytes kam writes to the terminal while `keys ARGS` are handled.
count_bytes() {
	settle
	: >"$T/bytes"
	tm pipe-pane -o -t kam "cat >> $T/bytes"
	sleep 0.3
	keys "$@"
	sleep 0.5
	settle
	tm pipe-pane -t kam
	sleep 0.2
	wc -c <"$T/bytes" | tr -d ' '
}
