#!/usr/bin/env bash
# The Budget view (B, :budget): the brand-activity budgets of the plan year
# by region, tier, type, account, quarter or KAM (b cycles, :budget-by
# NAME picks), estimated vs actual vs recommended as `kam report budget`
# computes them, imbalances marked "!"; Enter on a group lists its brand
# activities (q back to the groups), Enter on an activity or an account row
# opens the account's activities. A cursor move repaints two rows.
source "$(dirname "$0")/lib.sh"
make_fixture
k add activity account=6 type=company_visit title=总部考察 date=2027-05-10 guests=10 days=2 cost_per_guest_day=1500 actual_cost=31000 status=done
k add activity account=8 type=tech_exchange title='Grid seminar' date=2027-02-03 guests=20 days=1 cost_per_guest_day=800 fixed_cost=4000 status=planned
k add activity account=2 type=exhibition title=取消的展会 date=2027-06-01 guests=5 days=1 cost_per_guest_day=2000 status=cancelled
check() { # name bytes limit
	printf '%-44s %6d B  (budget %d)\n' "$1" "$2" "$3"
	[ "$2" -le "$3" ] || fail "$1: $2 B > $3 B"
}

start_kam 80 24
keys B
expect_screen budget_80_region.txt
# The same figures as the command line (the view reuses the report).
"$KAM_BIN" --db "$T/db" report budget --year 2027 --by region | grep -q '^广东 .*  96,000.00 ' || fail "report differs"
# Enter on 广东: its brand activities, the cancelled one left out.
keys j j j Enter
expect_screen budget_80_drill.txt
keys q
wait_text "Accounts [Budget 2027 by region]" || fail "q back to the groups"
wait_text " 4/7  " || { screen >&2; fail "q: the cursor is back on the group"; }
keys b
wait_text "Accounts [Budget 2027 by tier]" || fail "b cycles to tier"
# The tiers come from the rules, scored for the plan year as the report does.
expect_screen budget_80_tier.txt
keys Enter
expect_screen budget_80_tier_drill.txt
keys Escape
keys b
expect_screen budget_80_type.txt
keys : b u d g e t - b y Space k a m Enter
wait_text "Accounts [Budget 2027 by kam]" || fail ":budget-by kam"
keys : b u d g e t - b y Space n o p e Enter
wait_text "budget: no grouping 'nope'" || fail "bad grouping"
keys : b u d g e t - b y Space a c c Enter
wait_text "Accounts [Budget 2027 by account]" || fail ":budget-by acc"
check "budget cursor move j, highlight, 80 cols" "$(count_bytes j)" 260
keys M
check "budget cursor move j, arrow marker" "$(count_bytes j)" 64
keys M
# An account row opens the account's activities.
keys g j Enter
wait_text "[4 Acts]" || { screen >&2; fail "Enter on an account row"; }
wait_text "中国华信通信集团广东有限公司" || fail "wrong account"
keys q B
wait_text "Accounts [Budget 2027 by account]" || fail "B keeps the grouping"
keys ? G
wait_text ":budget-by" || fail "help lists budget-by"
keys q
wait_text "Accounts [Budget 2027 by account]" || fail "q closes the help"
keys q
wait_text " kam  [Accounts]" || fail "q closes the view"
keys b
wait_text "no action on this key here" || fail "b outside the view"
keys T b
wait_text "budget-by: only in the Budget view (B)" || fail "b in another view"
quit_kam
tm kill-session -t kam

# At 120x40, the size of the byte budgets of the workstation.
start_kam 120 40
keys : b u d g e t Space a c c o u n t Enter
wait_text "Accounts [Budget 2027 by account]" || fail ":budget account"
check "budget cursor move j, highlight, 120 cols" "$(count_bytes j)" 400
keys M
check "budget cursor move j, arrow marker, 120 cols" "$(count_bytes j)" 64
quit_kam
