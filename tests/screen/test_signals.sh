#!/usr/bin/env bash
# Signals: SIGTERM and SIGHUP end kam with the terminal restored (the
# alternate screen is left, the shell's next line is visible) and no leak;
# Ctrl-C quits cleanly.
source "$(dirname "$0")/lib.sh"
make_fixture
for sig in TERM HUP; do
	start_kam 80 24
	signal_kam "$sig"
	# Restored: the alternate screen is gone, so kam's rows are not visible.
	screen | grep -q "sort: revenue" && { screen >&2; fail "SIG$sig: terminal not restored"; }
	[ ! -s "$T/stderr" ] || { cat "$T/stderr" >&2; fail "SIG$sig: stderr"; }
	tm kill-session -t kam
done
start_kam 80 24
keys C-c
wait_text "[kam exited 0]" || { screen >&2; fail "Ctrl-C"; }
