#!/usr/bin/env bash
# a in the Contacts, Opps and Acts sub-views (detail pane focused) adds a
# contact (with its role in the account), an opportunity of the year shown
# or an activity, the account pre-filled, through the form; the global
# Contacts and Opportunities views pre-fill the row's account. Checked with
# kam show / kam ls.
source "$(dirname "$0")/lib.sh"
make_fixture
show() { "$KAM_BIN" --db "$T/db" show "$1" "$2" | sed -n "s/^$3  *//p"; }
start_kam 120 40
keys Space j 3
wait_text "Opportunity            Stage" || { screen >&2; fail "Opps sub-view"; }
keys l a
wait_text " New opportunity   Tab/Up/Down move  Ctrl-S save  Esc cancel" || { screen >&2; fail "new opportunity form"; }
screen | grep -qE '^  account +2 += 中国华信通信集团广东有限公司$' || { screen >&2; fail "account not pre-filled"; }
screen | grep -qE '^  year +2027$' || { screen >&2; fail "plan year not pre-filled"; }
# The cursor starts on the title, the first field not pre-filled.
keys -l '测试商机'
keys Down Down
keys -l '1000000'
keys C-s
wait_text "added opportunity 6" || { screen >&2; fail "opportunity not added"; }
[ "$(show opportunity 6 title)" = 测试商机 ] || fail "title: $(show opportunity 6 title)"
[ "$(show opportunity 6 account)" = "中国华信通信集团广东有限公司 #2" ] || fail "account: $(show opportunity 6 account)"
[ "$(show opportunity 6 year)" = 2027 ] || fail "year: $(show opportunity 6 year)"
wait_text "| 测试商机" || { screen >&2; fail "the Opps list does not show it"; }

keys 2
wait_text "contacts (o: org chart)" || { screen >&2; fail "Contacts sub-view"; }
keys a
wait_text " New contact   Tab/Up/Down move" || { screen >&2; fail "new contact form"; }
keys -l '王五'
keys Down
keys -l '经理'
keys Down Down Down Down Down
keys -l 'coach'
keys C-s
wait_text "added contact 6" || { screen >&2; fail "contact not added"; }
[ "$(show contact 6 name)" = 王五 ] || fail "contact name: $(show contact 6 name)"
"$KAM_BIN" --db "$T/db" show account_contact 6 | grep -q '^role  *coach' || fail "role in the account not stored"
"$KAM_BIN" --db "$T/db" show account_contact 6 | grep -q '^contact  *王五 #6' || fail "role not linked to the contact"
wait_text "王五 经理" || { screen >&2; fail "the Contacts list does not show the new contact"; }

keys 4
wait_text "Date       Type" || { screen >&2; fail "Acts sub-view"; }
keys a
wait_text " New activity   Tab/Up/Down move" || { screen >&2; fail "new activity form"; }
keys -l 'office_visit'
keys Down
keys -l '拜访'
keys Down
keys -l '2026-11-25'
keys C-s
wait_text "added activity 12" || { screen >&2; fail "activity not added"; }
[ "$(show activity 12 account)" = "中国华信通信集团广东有限公司 #2" ] || fail "activity account"
wait_text "2026-11-25 office_visit" || { screen >&2; fail "the Acts list does not show it"; }
# A required field left empty: not saved, the form says why.
keys a Down
keys -l 'x'
keys C-s
wait_text "not saved: type: required field is missing" || { screen >&2; fail "activity without a type saved"; }
keys Escape
wait_text "discard your changes? y/n" || { screen >&2; fail "cancel asks"; }
keys y
wait_text "Date       Type" || { screen >&2; fail "form not closed"; }
[ "$("$KAM_BIN" --db "$T/db" ls activity | wc -l)" -eq 13 ] || fail "an activity without a type was added"

keys h

# The global views: the row's account is pre-filled.
keys O
wait_text "Opportunities 2027" || { screen >&2; fail "global opportunities"; }
keys a
wait_text " New opportunity" || { screen >&2; fail "a in the global opportunities view"; }
screen | grep -qE '^  account +2 += 中国华信通信集团广东有限公司$' || { screen >&2; fail "row's account not pre-filled"; }
keys Escape
keys C
wait_text "Name         Title" || { screen >&2; fail "global contacts"; }
keys a
wait_text " New contact" || { screen >&2; fail "a in the global contacts view"; }
screen | grep -qE '^  account +2 += 中国华信通信集团广东有限公司$' || { screen >&2; fail "contact's account not pre-filled"; }
keys Escape q
quit_kam
