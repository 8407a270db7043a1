#!/usr/bin/env bash
# Detail sub-views Team (5), Plan (6) and History (7): side by side at
# 120x40 and one pane at 80x24, with Chinese names truncated by display
# width, [ ] switching the plan year, control characters made harmless.
source "$(dirname "$0")/lib.sh"
make_fixture
k add team staff=王丽 account=2 team_role=客户经理 phase=initiation from=2026-01-01
k add team staff=陈敏 account=2 team_role=方案经理 phase=initiation from=2026-03-01 to=2026-10-31
k add team staff=刘洋 opportunity=1 team_role=交付负责人兼项目总监 phase=construction from=2027-02-01 to=2027-12-31
k add team staff=赵磊 opportunity=1 team_role=运维 phase=operation from=2028-01-01
k add team staff=Smith opportunity=5 team_role=PM phase=construction from=2026-01-01
k set staff 2 function=solution
k set staff 3 status=left
k add plan account=2 year=2027 profile='广东省最大的通信运营商之一，省公司集中采购，网络规模全国第二，年度预算稳步增长。' \
	decision_process="总经理拍板；CIO 牵头技术评估$(printf '\033[31m')，采购部组织招标。" product_mix='核心网 + 数据中心节能' \
	price=150000000 cost=110000000 expected_profit=40000000 benefits='节能 15%，运维成本下降 20%' goals='保持份额 10% 以上'
k add plan_action account=2 year=2027 goal=保持份额 action='拜访总经理，汇报年度方案并确认核心网扩容的时间表' owner=王丽 due=2026-11-15 status=open
k add plan_action account=2 year=2027 goal=保持份额 action='核心网扩容技术交流' owner=陈敏 due=2027-01-20 status=open
k add plan_action account=2 year=2027 goal=拓展数据中心 action='节能试点方案' owner=刘洋 due=2026-10-01 status=done
k add plan account=2 year=2026 profile='上一年的计划' goals='稳住份额'
k set opportunity 1 stage=negotiate probability=60
k set contact 2 title=首席信息官

# History shows when each change was made: mask the clock.
masked() { screen | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} /YYYY-MM-DD hh:mm /g'; }
expect_masked() {
	local exp="$SCREEN_DIR/expected/$1" end=$((SECONDS + WAIT))
	if [ -n "${SCREEN_UPDATE:-}" ]; then
		settle
		masked >"$exp"
		return 0
	fi
	while [ $SECONDS -lt $end ]; do
		[ "$(masked)" == "$(sed 's/ *$//' "$exp")" ] && return 0
		sleep 0.1
	done
	echo "screen differs from expected/$1:" >&2
	diff -u <(sed 's/ *$//' "$exp") <(masked) >&2
	exit 1
}

start_kam 120 40
keys Space j 5
expect_screen views_team.txt
keys 6
expect_screen views_plan.txt
keys [
wait_text "| [ 2026   <2027>   2028 ]" || true
wait_text "|   上一年的计划" || fail "plan of the previous year"
wait_text "|   (no actions)" || fail "no actions in 2026"
keys [
wait_text "| (no account plan for this year)" || fail "no plan in 2025"
keys ] ] 7
expect_masked views_history.txt
# The History is a list like the others: the cursor moves in it.
keys l M j j j j j
wait_text ">    stage proposal -> negotiate" || fail "cursor in the history"
keys : h i s t o r y Enter
wait_text "[7 History]" || fail ":history"
quit_kam
tm kill-session -t kam

start_kam 80 24
keys Space j Enter 5
expect_screen views_80_team.txt
keys 6
expect_screen views_80_plan.txt
keys 7
expect_masked views_80_history.txt
keys q
wait_text " - 中国华信通信集团有限公司" || fail "q back to the navigator"
quit_kam
