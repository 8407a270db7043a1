#!/usr/bin/env bash
# The edit form: a CJK edit that persists (checked with `kam show`), a
# validation error next to its field, cancel with confirmation, a conflict
# with another writer (shown, then reloaded and re-applied, never
# overwritten).
source "$(dirname "$0")/lib.sh"
make_fixture
show() { "$KAM_BIN" --db "$T/db" show account 2 | sed -n "s/^$1  *//p"; }
start_kam 120 40
keys Space j e
expect_screen edit_form.txt
# city is the fifth field: replace 广州 by 深圳 (moving by character).
keys Down Down Down Down C-e BSpace BSpace 深圳 C-s
wait_text "saved account 2 (version 2)" || { screen >&2; fail "save"; }
[ "$(show city)" = 深圳 ] || fail "city not saved: $(show city)"
wait_text "Region 广东/深圳" || fail "detail shows the saved value"
# A bad enum value is reported next to the field and nothing is saved.
keys e Down Down C-u telecom C-s
wait_text "! " || { screen >&2; fail "no validation message"; }
keys Escape
wait_text "discard your changes? y/n" || fail "cancel asks first"
keys y
wait_text " 2/7  sort: revenue" || fail "form closed"
[ "$(show industry)" = carrier ] || fail "bad value saved"
# Conflict: another writer changes the account while the form is open.
keys e Down Down Down Down C-u 珠海
wait_text "珠海" || fail "typing in the form"
"$KAM_BIN" --db "$T/db" set account 2 notes=changed-elsewhere >/dev/null || fail "cli set"
keys C-s
wait_text "conflict: tester changed this account (version 2 -> 3): notes" || { screen >&2; fail "conflict not shown"; }
[ "$(show city)" = 深圳 ] || fail "conflict overwrote"
keys C-r
wait_text "reloaded version 3" || { screen >&2; fail "reload"; }
keys C-s
wait_text "saved account 2 (version 4)" || { screen >&2; fail "save after reload"; }
[ "$(show city)" = 珠海 ] || fail "re-applied edit lost"
[ "$(show notes)" = changed-elsewhere ] || fail "the other writer's change was overwritten"
quit_kam
