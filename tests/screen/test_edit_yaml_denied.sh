#!/usr/bin/env bash
# E is refused before the editor starts when kam runs --read-only or the
# login may not change the record (a viewer); nothing is written. An editor
# that exits with a non-zero status (:cq) cancels.
source "$(dirname "$0")/lib.sh"
make_fixture
cat >"$T/editor.sh" <<SH
#!/bin/sh
echo called >>"$T/called"
sed -i "s/^city: .*/city: 珠海/" "\$1"
exit \${ED_EXIT:-0}
SH
chmod +x "$T/editor.sh"
export EDITOR="$T/editor.sh"
city() { "$KAM_BIN" --db "$T/db" show account 2 | sed -n 's/^city  *//p'; }

# A non-zero exit status cancels even a changed file.
export ED_EXIT=1
start_kam 120 40
keys Space j E
wait_text "the editor exited with status 1: nothing saved" || { screen >&2; fail "non-zero exit"; }
[ "$(city)" = 广州 ] || fail "a cancelled edit was saved"
quit_kam
tm kill-server
unset ED_EXIT
rm -f "$T/called"

start_kam 120 40 --read-only
keys Space j E
wait_text "read-only: kam was opened with --read-only, edits are refused" || { screen >&2; fail "read-only"; }
quit_kam
tm kill-server

k user add boss role=admin
KAM_USER=boss "$KAM_BIN" --db "$T/db" user add tester role=viewer >/dev/null || fail "user add"
start_kam 120 40
keys Space j E
wait_text "permission denied: tester may not change account 2: viewers may only read" || { screen >&2; fail "viewer"; }
[ ! -e "$T/called" ] || fail "the editor ran although the edit is refused"
[ "$(city)" = 广州 ] || fail "city changed: $(city)"
quit_kam
