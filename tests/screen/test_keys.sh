#!/usr/bin/env bash
# Key bindings from kam.yaml's keys: section: a rebound action, a key taken
# from its default action, page_down spelt with '_', and a bad entry shown
# in the status line while the other bindings and the defaults still work.
source "$(dirname "$0")/lib.sh"
make_fixture
cat >"$T/kam.yaml" <<'YAML'
keys:
  down: ["x", "Down"]
  page_down: ["PgDn", "C-f"]
  dwn: "j"
  top: "Homer"
YAML
# start_kam waits for the key hints, which the long message replaces.
tm new-session -d -s kam -x 120 -y 40 -c "$T" \
	"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $KAM_BIN --db $T/db --config kam.yaml 2>$T/stderr; echo \"[kam exited \$?]\"; sleep 600"
wait_text "config: kam.yaml:4:3: error: keys: unknown action 'dwn' (did you mean down?) (+1 more)" ||
	{ screen >&2; fail "bad keys entry not reported"; }
keys t
wait_text " 1/10  sort: revenue  flat" || { screen >&2; fail "flat"; }
keys x
wait_text " 2/10  sort: revenue  flat" || { screen >&2; fail "x moves down"; }
keys Down
wait_text " 3/10  sort: revenue  flat" || { screen >&2; fail "Down still moves down"; }
# j was down's default: the config gave down other keys.
keys j
wait_text "no action on this key here" || { screen >&2; fail "j should be unbound"; }
keys k g
wait_text " 1/10  sort: revenue  flat" || { screen >&2; fail "top keeps g (its entry was bad)"; }
keys C-f
wait_text "10/10  sort: revenue  flat" || { screen >&2; fail "C-f pages down"; }
# The help lists the keys in force.
keys '?'
wait_text "  x Down          :down" || { screen >&2; fail "help shows the new keys"; }
wait_text "  PgDn Ctrl-f     :page-down" || { screen >&2; fail "help shows page_down"; }
keys q
quit_kam
