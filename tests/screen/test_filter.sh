#!/usr/bin/env bash
# The filter query language (f, :filter) at 120x40 with Chinese values:
# fields, comparisons, a bad query reported with its column and a
# did-you-mean, plain words still meaning "name, KAM or region contains".
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 120 40
wait_text "strat" || fail "scores"
# Two fields with Chinese values and a revenue comparison.
keys f
keys -l 'region:广东 name~分公司 revenue>400M'
keys Enter
expect_screen filter_query.txt
# A KAM by a Chinese name; codes (tier) match by their start.
keys f C-u
keys -l 'kam:王 tier:ke'
keys Enter
wait_text " 1/1  sort: revenue  filter: kam:王 tier:ke" || { screen >&2; fail "kam and tier"; }
wait_text " 中国华信通信集团广东有限公司" || { screen >&2; fail "kam and tier rows"; }
# An unknown field: a message with the column and a suggestion; the filter
# stays as it was and f brings the bad query back to fix.
keys f C-u
keys -l 'kam:王 teir:key'
keys Enter
wait_text "filter: column 7: unknown field 'teir' (did you mean tier?) (f to fix)" || { screen >&2; fail "unknown field"; }
wait_text " 1/1  sort: revenue  filter: kam:王 tier:ke" || { screen >&2; fail "old filter kept"; }
keys f
wait_text "filter: kam:王 teir:key" || { screen >&2; fail "bad query offered again"; }
keys C-u
keys -l 'revenue>=1,000M'
keys Enter
wait_text "/4  sort: revenue  filter: revenue>=1,000M" || { screen >&2; fail "comparison with separators"; }
# A comparison on a text field is an error too.
keys f C-u
keys -l 'name>银行'
keys Enter
wait_text "filter: column 5: 'name' is text: compare it with : ~ = != !~, not >" || { screen >&2; fail "text comparison"; }
# Plain words (no colon) keep meaning name, KAM or region contains.
keys Escape f C-u
keys -l '上海'
keys Enter
wait_text "/2  sort: revenue  filter: 上海" || { screen >&2; fail "plain word"; }
keys :
keys -l 'filter stage:stab'
keys Enter
wait_text " 1/1  sort: revenue  filter: stage:stab" || { screen >&2; fail ":filter with a query"; }
quit_kam
