#!/usr/bin/env bash
# Today per user (T): the agenda of the logged-in user, as
# `kam agenda --me` (the title says "mine"); A shows everybody's and back.
# A login that is no staff's sees everybody's (test_views_checks.sh).
source "$(dirname "$0")/lib.sh"
export KAM_USER=wangli
make_fixture
k add plan_action account=2 year=2026 goal=保持份额 action=拜访总经理汇报方案 owner=王丽 due=2026-11-30
k add activity account=9 type=office_visit title=工厂拜访 date=2026-11-25 status=planned
k add activity account=2 type=tech_exchange title=方案交流 date=2026-11-24 status=planned contacts=2

start_kam 80 24
keys T
expect_screen today_80_mine.txt
# The same items as the command line.
"$KAM_BIN" --db "$T/db" agenda --me --format tsv >"$T/me" || fail "kam agenda --me"
grep -q 方案交流 "$T/me" && ! grep -q 工厂拜访 "$T/me" || fail "agenda --me differs"
keys A
wait_text "today: everybody's agenda" || fail "A: everybody's"
expect_screen today_80_all.txt
keys A
wait_text "Accounts [Today Mon 2026-11-23 - mine]" || fail "A back to mine"
screen | grep -q 工厂拜访 && fail "another KAM's activity in my agenda"
keys q A
wait_text "no action on this key here" || fail "A outside the views"
keys C A
wait_text "today-all: only in the Today view (T)" || fail "A in another view"
quit_kam
