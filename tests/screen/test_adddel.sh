#!/usr/bin/env bash
# a adds an account in a form, d deletes one after y/N: both persist
# (checked with kam show / kam ls); a delete of an account other records
# point to is refused with the reason; n keeps the account.
source "$(dirname "$0")/lib.sh"
make_fixture
name() { "$KAM_BIN" --db "$T/db" show account "$1" 2>/dev/null | sed -n 's/^name  *//p'; }
start_kam 120 40
keys a
wait_text " New account   Tab/Up/Down move  Ctrl-S save  Esc cancel" || { screen >&2; fail "add form"; }
keys -l '华南测试有限公司'
keys Down Down Down
keys -l '广东'
keys C-s
wait_text "added account 11" || { screen >&2; fail "add not saved"; }
[ "$(name 11)" = 华南测试有限公司 ] || fail "added account not stored: $(name 11)"
"$KAM_BIN" --db "$T/db" show account 11 | grep -q '^province  *广东' || fail "province not stored"
wait_text "| 华南测试有限公司" || { screen >&2; fail "cursor and detail on the new account"; }
# A required field left empty is not saved.
keys a Down Down Down
keys -l '上海'
keys C-s
wait_text " not saved: " || { screen >&2; fail "account without a name saved"; }
keys Escape
wait_text "discard your changes? y/n" || { screen >&2; fail "cancel asks"; }
keys y
[ "$("$KAM_BIN" --db "$T/db" ls account | wc -l)" -eq 12 ] || fail "an empty account was added"
# d asks; n keeps it.
keys d
wait_text "delete account 11 华南测试有限公司? y/N" || { screen >&2; fail "delete asks"; }
keys n
wait_text "not deleted" || { screen >&2; fail "n answers no"; }
[ "$(name 11)" = 华南测试有限公司 ] || fail "n deleted the account"
keys d
wait_text "delete account 11 华南测试有限公司? y/N" || { screen >&2; fail "delete asks again"; }
keys y
wait_text "deleted account 11" || { screen >&2; fail "delete"; }
"$KAM_BIN" --db "$T/db" show account 11 >/dev/null 2>&1 && fail "account 11 still stored"
"$KAM_BIN" --db "$T/db" ls account | grep -q 华南测试 && fail "kam ls still lists it"
# An account with figures, contacts ... is not deleted: the reason shows.
keys g d y
wait_text "not deleted: " || { screen >&2; fail "referenced account"; }
[ "$(name 1)" = 中国华信通信集团有限公司 ] || fail "referenced account deleted"
quit_kam
