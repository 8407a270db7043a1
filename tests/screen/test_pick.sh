#!/usr/bin/env bash
# Pick lists in forms: Ctrl-P (or F4) on an enum field lists its codes, on
# a reference field the records it may point to; typing filters, Enter puts
# the choice in the field (the id, with the record's name beside it), a
# reference list (activity contacts) gets ids appended, Esc leaves the
# field as it was. The saves are checked with kam show.
source "$(dirname "$0")/lib.sh"
make_fixture
show() { "$KAM_BIN" --db "$T/db" show "$1" "$2" | sed -n "s/^$3  *//p"; }
start_kam 120 40
keys Space j e
wait_text "Edit account 2 (version 1)" || { screen >&2; fail "account form"; }
keys Down Down C-p
wait_text "| industry: pick a value (12 of 12)" || { screen >&2; fail "enum pick list"; }
keys b a
expect_screen pick_enum.txt
keys Enter
wait_text "> industry      bank" || { screen >&2; fail "choice not in the field"; }
# Esc closes a pick list and leaves the field alone.
keys C-p
wait_text "| industry: pick a value" || { screen >&2; fail "pick list again"; }
keys Escape
wait_text "> industry      bank" || { screen >&2; fail "Esc changed the field"; }
screen | grep -qF "| industry: pick" && fail "Esc did not close the pick list"
keys C-s
wait_text "saved account 2 (version 2)" || { screen >&2; fail "save"; }
[ "$(show account 2 industry)" = bank ] || fail "industry: $(show account 2 industry)"

# A reference: the opportunity's owner among the staff, by name.
keys 3
wait_text "Opportunity            Stage" || { screen >&2; fail "Opps sub-view"; }
keys l a
wait_text " New opportunity" || { screen >&2; fail "new opportunity"; }
keys -l '新机会'
keys Down Down Down Down Down Down Down Down F4
wait_text "| owner: pick a staff (5 of 5)" || { screen >&2; fail "reference pick list"; }
keys -l '陈'
wait_text "(1 of 5)" || { screen >&2; fail "filter by a Chinese name"; }
keys Enter
wait_text "> owner         2" || { screen >&2; fail "id not in the field"; }
wait_text "= 陈敏" || { screen >&2; fail "name not shown beside the id"; }
keys C-s
wait_text "added opportunity 6" || { screen >&2; fail "opportunity not added"; }
[ "$(show opportunity 6 owner)" = "陈敏 #2" ] || fail "owner: $(show opportunity 6 owner)"

# A list of references: two contacts picked one after the other.
keys 4
wait_text "Date       Type" || { screen >&2; fail "Acts sub-view"; }
keys a
wait_text " New activity" || { screen >&2; fail "new activity"; }
keys C-p
wait_text "| type: pick a value" || { screen >&2; fail "type pick"; }
keys -l 'office'
keys Enter Down Down
keys -l '2026-11-26'
keys Down Down Down C-p
wait_text "| contacts: pick a contact (5 of 5)" || { screen >&2; fail "contacts pick"; }
keys -l '李丽'
keys Enter C-p
keys -l '黄涛'
keys Enter
wait_text "> contacts      2;4" || { screen >&2; fail "contacts not appended"; }
wait_text "= 李丽, 黄涛" || { screen >&2; fail "names of the contacts"; }
keys C-s
wait_text "added activity 12" || { screen >&2; fail "activity not added"; }
[ "$(show activity 12 type)" = office_visit ] || fail "type: $(show activity 12 type)"
"$KAM_BIN" --db "$T/db" show activity 12 | grep -q '^contacts  *李丽 #2; 黄涛 #4\|^contacts  *2;4' || fail "contacts: $("$KAM_BIN" --db "$T/db" show activity 12 | grep ^contacts)"
quit_kam
