#!/usr/bin/env bash
# kam --read-only opens the workstation without write access; an edit is
# refused in the status line instead of failing later.
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 120 40 --read-only
wait_text "(read-only)" || fail "tabs line does not say read-only"
keys e
wait_text "read-only: kam was opened with --read-only, edits are refused" || { screen >&2; fail "read-only"; }
quit_kam
