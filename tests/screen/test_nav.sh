#!/usr/bin/env bash
# Navigation, fold/unfold, flat list, sort, search and filter in the
# account navigator (120x40, so the detail follows the cursor).
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 120 40
# Unfold the group, go down to the provincial company, unfold it too.
keys Space j +
expect_screen nav_unfold.txt
# '-' on a leaf folds its parent; G/g jump to the ends.
keys j -
wait_text "   + 中国华信通信集团广东" || fail "fold from a leaf"
wait_text " 2/7  sort: revenue" || { screen >&2; fail "cursor on the folded parent"; }
keys G
wait_text " 7/7  sort: revenue" || fail "G to the last row"
keys g
wait_text " 1/7  sort: revenue" || fail "g to the first row"
# A search finds accounts inside folded groups and unfolds them.
keys / 深圳 Enter
wait_text "     . 深圳分公司" || { screen >&2; fail "search into a folded group"; }
wait_text " 3/9  sort: revenue" || { screen >&2; fail "search cursor"; }
keys / north Enter
wait_text " 7/9  sort: revenue" || fail "latin search"
wait_text "| Northwind Grid Corp." || fail "detail follows the search"
# Flat list sorted by name (revenue -> score -> name), reversed.
keys t s s
expect_screen nav_flat_name.txt
keys S
wait_text "sort: name rev  flat" || fail "reverse sort"
# Filter: only accounts whose name, KAM or region contains the text.
keys f 广东 Enter
expect_screen nav_filter.txt
keys f C-u Enter
wait_text " 2/10  sort: name rev  flat" || { screen >&2; fail "filter cleared"; }
# The compact marker mode shows the cursor as '>' (the capture has no
# attributes, so this is where the cursor row becomes visible).
keys M
wait_text ">  深圳分公司" || { screen >&2; fail "arrow marker"; }
keys j
wait_text ">  广州分公司" || { screen >&2; fail "arrow marker moves"; }
quit_kam
