#!/usr/bin/env bash
# e on a contact, opportunity or activity (sub-views and global views) opens
# its form; a contact's form holds its role in the account, saved with it
# in one transaction. A contact form left open by SIGHUP becomes a draft
# that :draft restores. Checked with kam show.
source "$(dirname "$0")/lib.sh"
make_fixture
export XDG_STATE_HOME="$T/state"
show() { "$KAM_BIN" --db "$T/db" show "$1" "$2" | sed -n "s/^$3  *//p"; }
start_kam 120 40

# Opps sub-view: the first opportunity (two heading lines above it).
keys Space j 3
wait_text "Opportunity            Stage" || { screen >&2; fail "Opps sub-view"; }
keys l j j e
wait_text " Edit opportunity 1 (version 1)   Tab/Up/Down move" || { screen >&2; fail "opportunity form"; }
screen | grep -qE '^  title +2027 核心网扩容$' || { screen >&2; fail "opportunity fields"; }
keys Down Down Down Down Down C-e C-u
keys -l commit
keys C-s
wait_text "saved opportunity 1 (version 2)" || { screen >&2; fail "opportunity not saved"; }
[ "$(show opportunity 1 stage)" = commit ] || fail "stage: $(show opportunity 1 stage)"
wait_text "2027 核心网扩容 *      commit" || { screen >&2; fail "the Opps list does not show the edit"; }

# Contacts sub-view: the contact and its role in the account, one save.
keys 2
wait_text "contacts (o: org chart)" || { screen >&2; fail "Contacts sub-view"; }
keys j e
wait_text " Edit contact 1 (version 1)" || { screen >&2; fail "contact form"; }
screen | grep -qE '^  role +decision_maker$' || { screen >&2; fail "role not in the contact form"; }
keys Down Down C-e C-u
keys -l 董事长
keys Down Down Down Down Down C-e C-u
keys -l economic_buyer
keys C-s
wait_text "saved contact 1 (version 2)" || { screen >&2; fail "contact not saved"; }
[ "$(show contact 1 title)" = 董事长 ] || fail "title: $(show contact 1 title)"
"$KAM_BIN" --db "$T/db" show account_contact 1 | grep -q '^role  *economic_buyer' || fail "role not saved"
wait_text "王建国 董事长            EB" || { screen >&2; fail "the Contacts list does not show the edit"; }

# Acts sub-view: the first activity.
keys 4
wait_text "Date       Type" || { screen >&2; fail "Acts sub-view"; }
sleep 0.5
keys j e
wait_text " Edit activity" || { screen >&2; fail "activity form"; }
id=$(screen | sed -n 's/^ Edit activity \([0-9]*\) (version 1).*/\1/p')
[ -n "$id" ] || { screen >&2; fail "activity form title"; }
keys Down Down C-e C-u
keys -l 通信展2027
keys C-s
wait_text "saved activity $id (version 2)" || { screen >&2; fail "activity not saved"; }
[ "$(show activity "$id" title)" = 通信展2027 ] || fail "activity title: $(show activity "$id" title)"
keys h

# The global Contacts view: the row's contact, with its role in the row's account.
keys C
wait_text "Name         Title" || { screen >&2; fail "global contacts"; }
keys e
wait_text " Edit contact 5 (version 1)" || { screen >&2; fail "e in the global contacts view"; }
screen | grep -qE '^  role +economic_buyer$' || { screen >&2; fail "role of the row's account"; }
keys Down Down C-e C-u
keys -l 采购总监
wait_text "采购总监" || { screen >&2; fail "typing in the contact form"; }
# The link drops: the contact form becomes a draft, nothing is written.
signal_kam HUP
draft="$T/state/kam/drafts/contact-5.draft"
[ -f "$draft" ] || fail "no contact draft written"
grep -q "^title	采购总监$" "$draft" || { cat "$draft" >&2; fail "draft lacks the edit"; }
[ "$(show contact 5 title)" = 采购部经理 ] || fail "the draft was saved to the database"
tm kill-session -t kam
start_kam 120 40
wait_text "a form was left open when the connection dropped: :draft reopens it" || { screen >&2; fail "draft not offered"; }
keys : draft Enter
wait_text " Edit contact 5 (version 1)" || { screen >&2; fail ":draft: not the contact form"; }
screen | grep -qE '^  role +economic_buyer$' || { screen >&2; fail ":draft: role not restored"; }
wait_text "采购总监" || { screen >&2; fail "draft value in the form"; }
keys C-s
wait_text "saved contact 5 (version 2)" || { screen >&2; fail "save the restored draft"; }
[ "$(show contact 5 title)" = 采购总监 ] || fail "restored edit not saved: $(show contact 5 title)"
quit_kam
