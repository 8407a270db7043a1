#!/usr/bin/env bash
# The new actions are rebindable from kam.yaml like every other: pick on
# F5 (Ctrl-P and F4 no longer open the list), edit-yaml on V; the form's
# hint and the ? help show the keys in force.
source "$(dirname "$0")/lib.sh"
make_fixture
cat >"$T/kam.yaml" <<'YAML'
keys:
  pick: "F5"
  edit_yaml: "V"
YAML
printf '#!/bin/sh\nsed -i "s/^city: .*/city: 佛山/" "$1"\n' >"$T/ed.sh"
chmod +x "$T/ed.sh"
export EDITOR="$T/ed.sh"
start_kam 120 40 --config "$T/kam.yaml"
keys '?' G
wait_text "  F5              :pick" || { screen >&2; fail "help shows F5 for pick"; }
wait_text "  V               :edit-yaml" || { screen >&2; fail "help shows V for edit-yaml"; }
keys q Space j V
wait_text "saved account 2 (version 2)" || { screen >&2; fail "V runs edit-yaml"; }
"$KAM_BIN" --db "$T/db" show account 2 | grep -q '^city  *佛山' || fail "city not saved"
keys e Down Down
wait_text "F5 pick  one of: carrier" || { screen >&2; fail "the form's hint names F5"; }
keys F4
sleep 0.5
screen | grep -qF "| industry: pick" && fail "F4 still opens the pick list"
keys F5
wait_text "| industry: pick a value (12 of 12)" || { screen >&2; fail "F5 opens the pick list"; }
keys Escape Escape
quit_kam
