#!/usr/bin/env bash
# The White space view (W, :whitespace): per account, its buying units by
# every offering, each cell whose it is as kam report whitespace finds it
# (ours, open, comp:X, in-house, none, - unknown), Chinese units and
# offerings fitted by display width so the grid stays straight. Enter opens
# the account's Opps. A cursor move repaints two rows.
source "$(dirname "$0")/lib.sh"
make_fixture
k set opportunity 1 offering=核心网 buying_unit=网络部
k set opportunity 2 offering=数据中心节能 buying_unit=IT规划处
k set opportunity 5 offering=传输网 buying_unit=网络部
k add opportunity account=2 year=2026 title=机房运维 offering=运维服务 buying_unit=IT规划处 stage=closed status=lost competitors=自建
k add opportunity account=2 year=2026 title=室分优化 offering=传输网 buying_unit=深圳网络中心 stage=closed status=lost competitors=Z:60
k add opportunity account=8 year=2026 title='Grid core' offering=核心网 buying_unit='Grid operations dept.' stage=closed status=lost
k add opportunity account=9 year=2027 title=智能工厂网络 offering=运维服务 stage=lead
k add opportunity account=9 year=2027 title=视频会议 offering=视频会议系统 buying_unit=行政部 stage=lead
check() { # name bytes limit
	printf '%-44s %6d B  (budget %d)\n' "$1" "$2" "$3"
	[ "$2" -le "$3" ] || fail "$1: $2 B > $3 B"
}

start_kam 80 24
keys W
expect_screen whitespace_80.txt
check "white space cursor move j, highlight, 80 cols" "$(count_bytes j)" 260
# Six offerings do not fit in 80 columns: l scrolls them, the buying unit
# stays; h back; the ends say so.
keys l
wait_text "offerings 2-6 of 6 (h/l)" || { screen >&2; fail "l scrolls"; }
expect_screen whitespace_80_scrolled.txt
keys l l l l l
wait_text "the last offering" || fail "l stops at the last offering"
keys h h h h h
wait_text "offerings 1-6 of 6" || fail "h scrolls back"
keys h
wait_text "the first offering" || fail "h stops at the first"
keys Right
wait_text "offerings 2-6 of 6" || fail "Right"
keys r
wait_text "   Buying unit      传输网" || { screen >&2; fail "r keeps the scroll"; }
keys C l
wait_text "offerings-right: only in the White space view (W)" || fail "l in another view"
keys q
tm kill-session -t kam
start_kam 120 40
keys : w h i t e s p a c e Enter
expect_screen whitespace_120.txt
keys j j Enter
wait_text "| 1 Overview 2 Contacts [3 Opps]" || { screen >&2; fail "Enter did not open the opps"; }
quit_kam
