#!/usr/bin/env bash
# Roles in the workstation: a login without a role is refused before the
# screen opens; the edit form's save is checked (viewer, editor off the
# team) and the refusal shows in the status line with nothing written;
# an editor on the account's team saves; an editor's delete is refused.
source "$(dirname "$0")/lib.sh"
make_fixture
k user add boss role=admin # ends bootstrapping: tester has no role yet
boss() { KAM_USER=boss "$KAM_BIN" --db "$T/db" "$@"; }
out=$("$KAM_BIN" --db "$T/db" 2>&1 </dev/null)
rc=$?
[ $rc = 3 ] || fail "unmapped login: exit $rc, want 3"
[ "$out" = "kam: permission denied: tester may not read: no staff record has this login (an admin maps it: kam user add LOGIN)" ] ||
	fail "unmapped login: $out"
boss user add tester role=viewer >/dev/null || fail "user add"
city() { boss show account 2 | sed -n 's/^city  *//p'; }
start_kam 120 40
keys Space j e Down Down Down Down C-e BSpace BSpace 深圳 C-s
wait_text "permission denied: tester may not change account 2: viewers may only read" || { screen >&2; fail "viewer saved"; }
wait_text "not saved: permission denied" || { screen >&2; fail "form note"; }
[ "$(city)" = 广州 ] || fail "viewer's edit written: $(city)"
# The role is read at each save: an editor, but not on this account's team.
boss user set tester role=editor >/dev/null || fail "user set"
keys C-s
wait_text "you are not on the team of its account" || { screen >&2; fail "editor off the team saved"; }
[ "$(city)" = 广州 ] || fail "editor's edit written: $(city)"
boss add team staff=tester account=2 >/dev/null || fail "add team"
keys C-s
wait_text "saved account 2 (version 2)" || { screen >&2; fail "editor on the team"; }
[ "$(city)" = 深圳 ] || fail "city not saved: $(city)"
# Deleting and adding are checked too: deletes are admin work.
keys d y
wait_text "not deleted: permission denied: tester may not administer" || { screen >&2; fail "editor deleted"; }
boss show account 2 >/dev/null || fail "account 2 deleted by an editor"
quit_kam
