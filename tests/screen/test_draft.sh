#!/usr/bin/env bash
# SIGHUP (a dropped SSH link) with the edit form open: the edits are saved
# as a draft under $XDG_STATE_HOME/kam/drafts/, nothing is written to the
# database, the next start offers the draft and :draft restores it.
source "$(dirname "$0")/lib.sh"
make_fixture
export XDG_STATE_HOME="$T/state"
show() { "$KAM_BIN" --db "$T/db" show account 2 | sed -n "s/^$1  *//p"; }
start_kam 120 40
# city is the fifth field: replace 广州 by 深圳.
keys Space j e Down Down Down Down C-e BSpace BSpace 深圳
wait_text "深圳" || { screen >&2; fail "typing in the form"; }
signal_kam HUP
draft="$T/state/kam/drafts/account-2.draft"
[ -f "$draft" ] || fail "no draft written"
[ "$(stat -c %a "$draft")" = 600 ] || fail "draft mode $(stat -c %a "$draft")"
grep -q "^city	深圳$" "$draft" || { cat "$draft" >&2; fail "draft lacks the edit"; }
[ "$(show city)" = 广州 ] || fail "the draft was saved to the database"
tm kill-session -t kam
start_kam 120 40
wait_text "a form was left open when the connection dropped: :draft reopens it" || { screen >&2; fail "draft not offered"; }
keys : draft Enter
wait_text "draft restored (the connection dropped): Ctrl-S saves, Esc discards" || { screen >&2; fail ":draft"; }
wait_text "深圳" || { screen >&2; fail "draft value in the form"; }
[ -f "$draft" ] && fail "draft file left after restoring"
keys C-s
wait_text "saved account 2 (version 2)" || { screen >&2; fail "save the restored draft"; }
[ "$(show city)" = 深圳 ] || fail "restored edit not saved: $(show city)"
quit_kam
