#!/usr/bin/env bash
# PROCS (default 16) processes run read-modify-write loops on the same few
# records for SECONDS_RUN (default 20) s: read the record (kam show --format
# json), then kam set employees=N+1 --if-version V; exit 4 (conflict) means
# somebody else won: re-read and retry. Each worker counts its successful
# sets per record. Zero lost updates means: for every record, the final
# employees value equals the number of successful sets on it (every success
# built on the previous one). Prints ops/s, successes, conflicts, lost.
#
# TUI_WRITERS (default 3, 0 without tmux) of the PROCS are kam TUIs in tmux
# (private server, tmux -S) instead: each opens the edit form (e) on one of
# the records (the list's row N), writes its short_name, saves (Ctrl-S) and, on a conflict,
# reloads (Ctrl-R) and saves again, in a loop. Their saves are counted from
# the audit log (kam log, cmd "tui set account N") and must equal what the
# writers saw on the screen; the version of each record must be 1 + CLI sets
# + TUI saves (nothing overwrote anything), and a TUI save must not touch
# employees (that would show up as lost CLI updates).
set -u
. "$(dirname "$0")/common.sh"
procs=${PROCS:-16}
tui=${TUI_WRITERS:-3}
command -v tmux >/dev/null || tui=0
[ "$tui" -lt "$procs" ] || tui=$((procs - 1))
cli=$((procs - tui))
secs=${SECONDS_RUN:-20}
nrec=${RECORDS:-3}
db=$STRESS_TMP/conc.db
rm -rf "$db"
"$KAM" --db "$db" init >/dev/null
for r in $(seq 1 "$nrec"); do
	"$KAM" --db "$db" add account "name=Hot $r" employees=0 >/dev/null || exit 2
done

worker() {
	local w=$1 end=$2 ok=0 conflict=0 other=0 r json v e rc
	declare -A per
	for r in $(seq 1 "$nrec"); do per[$r]=0; done
	RANDOM=$((w * 7919 + $$))
	# only builtins besides the two kam runs: forks dominate otherwise
	while [ "$SECONDS" -lt "$end" ]; do
		r=$(( RANDOM % nrec + 1 ))
		json=$("$KAM" --db "$db" --format json show account "$r" 2>/dev/null) || { other=$((other + 1)); continue; }
		[[ $json =~ \"version\":([0-9]+) ]] && v=${BASH_REMATCH[1]}
		[[ $json =~ \"employees\":([0-9]+) ]] && e=${BASH_REMATCH[1]}
		"$KAM" --db "$db" set account "$r" "employees=$((e + 1))" --if-version "$v" >/dev/null 2>&1
		rc=$?
		case $rc in
		0) ok=$((ok + 1)); per[$r]=$((per[$r] + 1)) ;;
		4) conflict=$((conflict + 1)) ;;
		*) other=$((other + 1)) ;;
		esac
	done
	{
		echo "total $ok $conflict $other"
		for r in $(seq 1 "$nrec"); do echo "rec $r ${per[$r]}"; done
	} >"$STRESS_TMP/worker.$w"
}

sock=$STRESS_TMP/conc.sock
tm() { tmux -S "$sock" -f /dev/null "$@"; }
[ "$tui" -eq 0 ] || STRESS_ATEXIT='tm kill-server 2>/dev/null'

# TUI writer $1 on record $3 until $SECONDS reaches $2: saves, conflicts
# (each followed by a reload) and timeouts (nothing on the screen for 10 s).
tui_worker() {
	local w=$1 end=$2 r=$3 s=tui$1 ok=0 conflict=0 other=0 n=0 scr t
	look() { scr=$(tm capture-pane -p -t "$s" 2>/dev/null); }
	# Poll until the screen matches $1 (an extended regex); 1 on timeout.
	until_re() {
		t=$((SECONDS + 10))
		while [ $SECONDS -lt $t ]; do
			look; [[ $scr =~ $1 ]] && return 0
			sleep 0.05
		done
		return 1
	}
	tm new-session -d -s "$s" -x 120 -y 40 "exec env TERM=xterm-256color $KAM --db $db 2>>$STRESS_TMP/tui.stderr.$w"
	until_re '\? help' || other=$((other + 1))
	for _ in $(seq 2 "$r"); do tm send-keys -t "$s" j; done
	while [ "$SECONDS" -lt "$end" ]; do
		tm send-keys -t "$s" e
		until_re "Edit account [0-9]+ " || { other=$((other + 1)); tm send-keys -t "$s" Escape; continue; }
		[[ $scr =~ Edit\ account\ ([0-9]+) ]] && r=${BASH_REMATCH[1]}
		n=$((n + 1))
		tm send-keys -t "$s" Down C-u "t$w-$n" C-s
		while :; do
			# saved: the form is gone; a conflict keeps it open
			until_re 'saved account|conflict:' || { other=$((other + 1)); break; }
			if [[ $scr != *"Edit account"* ]]; then ok=$((ok + 1)); break; fi
			# the last iteration's "saved" still on the status line
			[[ $scr == *conflict:* ]] || { sleep 0.05; continue; }
			conflict=$((conflict + 1))
			tm send-keys -t "$s" C-r
			until_re 'reloaded version' || { other=$((other + 1)); break; }
			tm send-keys -t "$s" C-s
		done
	done
	tm send-keys -t "$s" Q
	echo "tui $ok $conflict $other $r" >"$STRESS_TMP/tuiworker.$w"
}

SECONDS=0
end=$secs
t0=$(now_ms)
for w in $(seq 1 "$cli"); do worker "$w" "$end" & done
for w in $(seq 1 "$tui"); do tui_worker "$w" "$end" $(( (w - 1) % nrec + 1 )) & done
wait
elapsed=$(( $(now_ms) - t0 ))

ok=0 conflict=0 other=0 lost=0 tok=0 tconf=0 logged=0
for w in $(seq 1 "$tui"); do
	read -r _ a b c r <"$STRESS_TMP/tuiworker.$w"
	tok=$((tok + a)); tconf=$((tconf + b)); other=$((other + c))
	echo "concurrent: TUI writer $w (last on account $r): $a saves, $b conflicts (reloaded), $c timeouts"
done
for w in $(seq 1 "$cli"); do
	read -r _ a b c < <(grep '^total' "$STRESS_TMP/worker.$w")
	ok=$((ok + a)); conflict=$((conflict + b)); other=$((other + c))
done
for r in $(seq 1 "$nrec"); do
	want=$(cat "$STRESS_TMP"/worker.* | awk -v r="$r" '$1 == "rec" && $2 == r { n += $3 } END { print n + 0 }')
	got=$("$KAM" --db "$db" --format json show account "$r" | sed -n 's/.*"employees":\([0-9]*\).*/\1/p')
	version=$("$KAM" --db "$db" --format json show account "$r" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
	tlog=$("$KAM" --db "$db" log --record "account:$r" | grep '"cmd":"tui set account')
	tsaves=$(printf '%s' "$tlog" | grep -c .)
	# the last TUI save's short_name is still there (no CLI set undid it)
	if [ "$tsaves" -gt 0 ]; then
		tlast=$(printf '%s\n' "$tlog" | tail -1 | sed -n 's/.*"after":{[^}]*"short_name":"\([^"]*\)".*/\1/p')
		tnow=$("$KAM" --db "$db" --format json show account "$r" | sed -n 's/.*"short_name":"\([^"]*\)".*/\1/p')
		[ "$tlast" = "$tnow" ] || { echo "concurrent: FAIL: account $r: short_name '$tnow', the last TUI save wrote '$tlast'"; lost=$((lost + 1)); }
	fi
	echo "concurrent: account $r: $want successful sets, employees=$got, $tsaves TUI saves (audit log), version=$version"
	[ "$got" -eq "$want" ] || lost=$((lost + want - got))
	logged=$((logged + tsaves))
	[ "$version" -eq $((want + tsaves + 1)) ] || { echo "concurrent: account $r: version $version, expected $((want + tsaves + 1))"; other=$((other + 1)); }
done
if [ "$tui" -gt 0 ]; then
	echo "concurrent: TUI saves: $tok seen on the screen, $logged in the audit log"
	[ "$tok" -eq "$logged" ] || { echo "concurrent: FAIL: TUI saves on the screen and in the audit log differ"; other=$((other + 1)); }
	cat "$STRESS_TMP"/tui.stderr.* 2>/dev/null | head -5
fi
fsck_out=$("$KAM" --db "$db" fsck 2>&1) || { echo "$fsck_out"; other=$((other + 1)); }
ops=$((ok + conflict))
echo "concurrent: $procs processes ($cli CLI, $tui TUI), $secs s, $nrec records: $ok sets ok, $conflict conflicts (exit 4), $tok TUI saves, $tconf TUI conflicts, $other other errors;" \
	"$(awk -v n="$ops" -v ms="$elapsed" 'BEGIN { printf "%.0f", n * 1000 / ms }') set attempts/s," \
	"$(awk -v n="$ok" -v ms="$elapsed" 'BEGIN { printf "%.0f", n * 1000 / ms }') successful sets/s; lost updates: $lost"
[ "$lost" -eq 0 ] && [ "$other" -eq 0 ]
