#!/usr/bin/env bash
# \ (:find TEXT): accounts, contacts and opportunities whose name has the
# text, from anywhere, Chinese or Latin (case and width folded); Enter goes
# to the record's account and sub-view, e edits the record.
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 120 40
keys '\'
wait_text ":find" || { screen >&2; fail "\\ does not ask for the text"; }
keys -l 华信
keys Enter
wait_text "Search: 华信" || { screen >&2; fail "search view"; }
screen | grep -qE '^ account +中国华信通信集团有限公司 *$' || { screen >&2; fail "account match"; }
screen | grep -q "3 matches" || { screen >&2; fail "match count"; }
keys Escape : find ' ' 5g Enter
wait_text "Search: 5g" || { screen >&2; fail ":find 5g"; }
screen | grep -qE '^ opportunity +5G 室分 深圳 +中国华信通信集团广东有限公司$' || { screen >&2; fail "opportunity match, case folded"; }
keys e
wait_text " Edit opportunity" || { screen >&2; fail "e on a search result"; }
keys Escape
keys : find ' ' 王建 Enter
wait_text "Search: 王建" || { screen >&2; fail ":find 王建"; }
screen | grep -qE '^ contact +王建国 +中国华信通信集团广东有限公司$' || { screen >&2; fail "contact match"; }
keys Enter
wait_text "[2 Contacts]" || { screen >&2; fail "Enter: the contact's account and Contacts"; }
quit_kam
