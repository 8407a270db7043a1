#!/usr/bin/env bash
# kill -9 at random moments around a save in the TUI: kam runs in tmux (a
# private server, tmux -S); each run opens the edit form (e) on the first
# account of the list, replaces its name, presses Ctrl-S and kills kam -9
# 0 to 60 ms after starting tmux send-keys C-s (two runs in three) or up to
# 1.5 x the measured save time. After each kill: kam fsck is clean, the name
# is either the old or the new value, and the record's version matches the
# audit log (as many entries as the version, the last one at that version
# and with that name). The database carries over from run to run.
# KILL_RUNS (default 100). Exits 1 if any run failed.
set -u
. "$(dirname "$0")/common.sh"
command -v tmux >/dev/null || { echo "kill9_tui: skipped, no tmux"; exit 0; }
runs=${KILL_RUNS:-100}
db=$STRESS_TMP/tui.db
sock=$STRESS_TMP/tui.sock
tm() { tmux -S "$sock" -f /dev/null "$@"; }
STRESS_ATEXIT='tm kill-server 2>/dev/null'
rm -rf "$db"
"$KAM" --db "$db" init >/dev/null
for r in 1 2 3 4 5; do "$KAM" --db "$db" add account "name=Tui $r" employees=$r >/dev/null || exit 2; done
# A session that outlives kam's, so the server stays up between runs.
tm new-session -d -s keep "sleep 100000"
screen() { tm capture-pane -p -t kam 2>/dev/null; }
wait_text() { # TEXT [TIMEOUT_S]
	local end=$((SECONDS + ${2:-10}))
	while [ $SECONDS -lt $end ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.02
	done
	return 1
}
# Start kam (exec: the pane's pid is kam's) and open the edit form; sets
# $pid, $id (the account edited) and $ver (its version in the form).
open_form() {
	tm new-session -d -s kam -x 120 -y 40 "exec env TERM=xterm-256color $KAM --db $db 2>>$STRESS_TMP/tui.stderr"
	pid=$(tm display -p -t kam '#{pane_pid}')
	wait_text "? help" || return 1
	tm send-keys -t kam e
	wait_text "Edit account" || return 1
	read -r id ver < <(screen | sed -n 's/.*Edit account \([0-9]*\) (version \([0-9]*\)).*/\1 \2/p')
	[ -n "$id" ]
}
field() { "$KAM" --db "$db" --format json show account "$1" | sed -n "s/.*\"$2\":\"\{0,1\}\([^\",]*\).*/\1/p"; }

# Sleep $1 ms without a fork (read -t on a fifo nobody writes to): a fork
# of sleep takes milliseconds on a loaded machine.
mkfifo "$STRESS_TMP/tui.fifo"; exec 9<>"$STRESS_TMP/tui.fifo"
snooze() { [ "$1" -eq 0 ] || read -r -t "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))" -u 9; }

# Measure a save: keys to "saved" on the screen.
open_form || { screen; echo "kill9_tui: the edit form did not open"; exit 2; }
tm send-keys -t kam C-u "Tui calibrate"
wait_text "Tui calibrate" || exit 2
t0=$(now_ms); tm send-keys -t kam C-s
wait_text "saved account" || { screen; echo "kill9_tui: no save"; exit 2; }
span=$(( $(now_ms) - t0 ))
kill -9 "$pid"; sleep 0.1
echo "kill9_tui: a save takes ${span} ms from Ctrl-S to the message on the screen"

fails=0 new=0 old=0 t_start=$(now_ms)
for i in $(seq 1 "$runs"); do
	verdict=ok
	if ! open_form; then
		verdict="FAIL: kam did not start or open the form: $(screen | tail -2)"
	else
		before=$(field "$id" name)
		want="Tui kill $i"
		tm send-keys -t kam C-u "$want"
		wait_text "$want" || verdict="FAIL: typing not shown"
		# two runs in three land in the first 60 ms (the commit itself is
		# a few ms); the others anywhere up to 1.5 x the measured save
		lim=$(( i % 3 ? 60 : span * 15 / 10 ))
		delay=$(( (RANDOM * 32768 + RANDOM) % (lim + 1) ))
		# send-keys in the background: the kill may land before kam reads
		# the key, while it saves, or after
		tm send-keys -t kam C-s 2>/dev/null &
		snooze "$delay"
		kill -9 "$pid" 2>/dev/null
		wait $!
		for _ in $(seq 1 50); do tm has-session -t kam 2>/dev/null || break; sleep 0.02; done
		fsck_out=$("$KAM" --db "$db" fsck 2>&1) || verdict="FAIL: fsck: $(printf '%s' "$fsck_out" | head -3)"
		now=$(field "$id" name) v=$(field "$id" version)
		log=$("$KAM" --db "$db" log --record "account:$id")
		nlog=$(printf '%s\n' "$log" | grep -c .)
		last=$(printf '%s\n' "$log" | tail -1)
		if [ "$now" = "$want" ] && [ "$v" -eq $((ver + 1)) ]; then new=$((new + 1)); state="new value, version $v"
		elif [ "$now" = "$before" ] && [ "$v" -eq "$ver" ]; then old=$((old + 1)); state="old value, version $v"
		else verdict="FAIL: name '$now' version $v (before: '$before' version $ver, typed '$want')"; fi
		[ "$nlog" -eq "$v" ] || verdict="FAIL: version $v but $nlog audit entries"
		case $last in *"\"version\":$v,"*"\"name\":\"$now\""*) ;;
		*) verdict="FAIL: the last audit entry is not version $v with name '$now': $last" ;; esac
	fi
	tm kill-session -t kam 2>/dev/null
	if [ "$verdict" != ok ]; then fails=$((fails + 1)); state=$verdict; fi
	printf 'kill9_tui run %3d: account %s, killed %3d ms after Ctrl-S: %s\n' "$i" "$id" "$delay" "$state"
done
[ -s "$STRESS_TMP/tui.stderr" ] && { echo "kill9_tui: kam wrote to stderr:"; head -5 "$STRESS_TMP/tui.stderr"; }
echo "kill9_tui: $runs runs in $(( ($(now_ms) - t_start) / 1000 )) s, $fails failures ($new saved, $old not saved)"
[ "$fails" -eq 0 ]
