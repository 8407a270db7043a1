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
check() { # name bytes limit
	printf '%-44s %6d B  (budget %d)\n' "$1" "$2" "$3"
	[ "$2" -le "$3" ] || fail "$1: $2 B > $3 B"
}

start_kam 80 24
keys W
expect_screen whitespace_80.txt
check "white space cursor move j, highlight, 80 cols" "$(count_bytes j)" 260
keys q
tm kill-session -t kam
start_kam 120 40
keys : w h i t e s p a c e Enter
expect_screen whitespace_120.txt
keys j j Enter
wait_text "| 1 Overview 2 Contacts [3 Opps]" || { screen >&2; fail "Enter did not open the opps"; }
quit_kam
