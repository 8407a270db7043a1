#!/usr/bin/env bash
# The Checks view (c) and the day plan (T): the findings of kam check with
# Chinese names, Enter to the offending account's sub-view, r after a fix
# drops the finding; Today's sections. At 120x40 and 80x24.
source "$(dirname "$0")/lib.sh"
make_fixture
k add plan_action account=2 year=2026 goal=保持份额 action=拜访总经理汇报方案 owner=王丽 due=2026-11-30

start_kam 120 40
keys c
expect_screen views_checks.txt
# Enter on the first finding (the brand activity after the decision):
# the account's activities.
keys Enter
wait_text "| 1 Overview 2 Contacts 3 Opps [4 Acts]" || fail "Enter did not open the activities"
# Fix a finding from outside (another user); r rebuilds the view.
keys c
wait_text "no B owner (ab_owners)" || fail "ab_owners finding"
"$KAM_BIN" --db "$T/db" set account_contact 5 owner_b=陈敏 >/dev/null || fail "kam set"
keys r
wait_text " 1/16  16 findings, 1 error" || fail "r did not drop the fixed finding"
screen | grep -q "no B owner" && fail "fixed finding still listed"
keys T
expect_screen views_today.txt
keys j j j Enter
wait_text "[6 Plan]" || fail "Enter on a plan action opens the plan"
quit_kam
tm kill-session -t kam

start_kam 80 24
keys : c h e c k s Enter
expect_screen views_80_checks.txt
keys T
expect_screen views_80_today.txt
keys q
wait_text " Account" || fail "q back to the navigator"
quit_kam
