#!/usr/bin/env bash
# '?' shows the keys of the current context from the action table; the ':'
# prompt runs actions by name with arguments and names unknown ones.
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 80 24
keys ?
expect_screen help_nav.txt
keys q
wait_text " Account" || fail "q closes help"
keys : goto Space 7 Enter
wait_text " 3/6  sort: revenue" || { screen >&2; fail ":goto 7"; }
wait_text "   . 国网上海市电力公司" || fail ":goto unfolds the parent"
keys : got Tab
wait_text ":goto" || fail "Tab completion"
keys C-u yaer Space 2026 Enter
wait_text "unknown command: yaer (did you mean year?)" || { screen >&2; fail "unknown command"; }
keys : year Space 2026 Enter
wait_text "plan 2026" || fail ":year"
quit_kam
