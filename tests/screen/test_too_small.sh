#!/usr/bin/env bash
# A terminal smaller than 80x24 gets a clear message; growing it back
# restores the screen; starting small works too; q quits from there.
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 80 24
tm resize-window -t kam -x 60 -y 20
expect_screen too_small_60x20.txt
tm resize-window -t kam -x 80 -y 24
expect_screen start_80x24.txt
quit_kam
tm kill-session -t kam
tm new-session -d -s kam -x 70 -y 30 \
	"env TERM=xterm-256color $KAM_BIN --db $T/db 2>$T/stderr; echo \"[kam exited \$?]\"; sleep 600"
wait_text "This one is 70x30." || { screen >&2; fail "too small at start"; }
keys q
wait_text "[kam exited 0]" || fail "q from the too-small screen"
