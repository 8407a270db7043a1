#!/usr/bin/env bash
# kam --read-only opens the workstation without write access; an edit is
# refused in the status line instead of failing later.
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 120 40 --read-only
wait_text "(read-only)" || fail "tabs line does not say read-only"
keys e
wait_text "read-only: kam was opened with --read-only, edits are refused" || { screen >&2; fail "read-only"; }
# a (add) and d (delete) are refused the same way, and nothing is written.
keys a
wait_text "read-only: kam was opened with --read-only, edits are refused" || { screen >&2; fail "read-only add"; }
wait_text " 1/5  sort: revenue" || { screen >&2; fail "add form opened read-only"; }
keys d
wait_text "read-only: kam was opened with --read-only, edits are refused" || { screen >&2; fail "read-only delete"; }
keys y
[ "$("$KAM_BIN" --db "$T/db" ls account | wc -l)" -eq 11 ] || fail "read-only kam changed the accounts"
quit_kam
