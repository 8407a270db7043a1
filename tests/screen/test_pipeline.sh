#!/usr/bin/env bash
# The Pipeline view (P, :pipeline): a column per open stage of the plan
# year with count, total and weighted total; h/l change the column and
# scroll sideways at 80 columns (the title line names the stages
# off-screen), j/k move within it. H/L move an opportunity to the
# previous/next stage in one write txn carrying the version it was read
# at: a change made meanwhile is never overwritten. --read-only refuses.
source "$(dirname "$0")/lib.sh"
make_fixture
k set account 2 short_name=华信广东
k add opportunity account=8 year=2027 title='Grid 扩容二期工程项目' stage=proposal amount=210000000 probability=50 decision_date=2027-05-01
k add opportunity account=9 year=2027 title=智能工厂 stage=lead amount=5000000 decision_date=2027-04-01
# The conflict below needs kam to hold the screen it read: no idle re-read
# between the shell's set and the H key.
export KAM_POLL_MS=600000
field() { "$KAM_BIN" --db "$T/db" show opportunity "$1" | sed -n "s/^$2  *//p"; }
check() { # name bytes limit
	printf '%-44s %6d B  (budget %d)\n' "$1" "$2" "$3"
	[ "$2" -le "$3" ] || fail "$1: $2 B > $3 B"
}

start_kam 120 40
keys P
expect_screen pipeline_120.txt
# Proposal: 2027 核心网扩容 (50% = the proposal default) goes to negotiate
# and takes the negotiate default; the move is audited.
keys l l
wait_text " 1/2  proposal" || fail "l moves to the next column"
keys L
wait_text "moved opportunity 1 to Negotiate" || { screen >&2; fail "L did not move"; }
[ "$(field 1 stage)" = negotiate ] || fail "stage not saved"
[ "$(field 1 probability)" = 70 ] || fail "probability did not follow the stage default"
[ "$(field 1 version)" = "2, by tester" ] || fail "version not bumped"
"$KAM_BIN" --db "$T/db" log --record opportunity:1 | grep -qF '"cmd":"tui set opportunity 1 stage=negotiate probability=70"' ||
	fail "no audit entry"
expect_screen pipeline_120_moved.txt
# 5G 室分 深圳 has 80%, not the negotiate default: it keeps it.
keys k L
wait_text "moved opportunity 3 to Commit" || fail "L on 5G"
[ "$(field 3 stage)" = commit ] && [ "$(field 3 probability)" = 80 ] || fail "a set probability must stay"
# Changed from the shell after the screen was read: no overwrite.
keys h
wait_text " 1/1  negotiate" || fail "h"
"$KAM_BIN" --db "$T/db" set opportunity 1 amount=1 >/dev/null && keys H
wait_text "not moved: changed by tester meanwhile (version 2 -> 3): r reloads" || { screen >&2; fail "no conflict"; }
[ "$(field 1 stage)" = negotiate ] && [ "$(field 1 version)" = "3, by tester" ] || fail "conflict overwrote"
keys r H
wait_text "moved opportunity 1 to Proposal" || fail "H after r"
[ "$(field 1 probability)" = 50 ] || fail "H: probability back to the proposal default"
# Narrowed to 80 columns on the last stage: the view scrolls to keep it.
keys l l
wait_text " 2/2  commit" || { screen >&2; fail "l to commit"; }
tm resize-window -t kam -x 80 -y 24
wait_text "< lead, qualify" || { screen >&2; fail "resize: the cursor's column left the screen"; }
wait_text " 2/2  commit  col 5/5" || fail "resize: status"
# Enter: the account's Opps.
keys Enter
wait_text " 1 Overview 2 Contacts [3 Opps]" || { screen >&2; fail "Enter did not open the opps"; }
quit_kam
tm kill-session -t kam

start_kam 80 24
keys : pipeline Enter
expect_screen pipeline_80.txt
keys l l
wait_text " 1/2  proposal" || fail "l at 80"
check "pipeline card move j, 80 cols" "$(count_bytes j)" 200
check "pipeline column move h, 80 cols" "$(count_bytes h)" 300
keys l l
expect_screen pipeline_80_scrolled.txt
keys ?
wait_text ":stage-next" || fail "help lists the pipeline's actions"
keys q q
wait_text " kam  [Accounts]" || fail "q closes the pipeline"
keys L
wait_text "Accounts [Messages]" || fail "L outside the pipeline is the message log"
quit_kam
tm kill-session -t kam

start_kam 80 24 --read-only
keys P L
wait_text "read-only: not moved (kam was opened with --read-only)" || fail "read-only"
[ "$(field 2 stage)" = qualify ] || fail "read-only wrote"
quit_kam
