#!/usr/bin/env bash
# Detail sub-views: side by side at 120x40 (contacts, org chart, the annual
# opportunity list with year switching, activities) and one pane at a time
# at 80x24 (Enter drills in, q goes back).
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 120 40
keys Space j 2
expect_screen sub_contacts.txt
keys o
expect_screen sub_org.txt
keys 3
expect_screen sub_opps.txt
keys [
wait_text "| [ 2025   <2026>   2027 ]" || fail "year back"
wait_text "| 传输网改造" || fail "2026 opportunity"
keys ] 4
expect_screen sub_acts.txt
quit_kam
tm kill-session -t kam
start_kam 80 24
keys Space j Enter
expect_screen sub_80_overview.txt
keys 3
wait_text " 2027 核心网扩容 *" || fail "opps at 80x24"
keys q
wait_text " - 中国华信通信集团有限公司" || fail "q back to the navigator"
wait_text " Account" || fail "navigator header"
quit_kam
