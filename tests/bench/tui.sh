#!/usr/bin/env bash
# The workstation on a big database (issue 5): time from start to the first
# full frame, memory with the database open, and bytes a burst of 40 j sends,
# in tmux at 120x40 (TERM=xterm-256color, UTF-8). Measured, not asserted.
#   tests/bench/tui.sh KAM KAMDB
set -u
kam=$1 db=$2
command -v tmux >/dev/null || { echo "tui.sh: tmux is needed"; exit 1; }
sock=kambench$$
tm() { tmux -L "$sock" "$@"; }
out=$(mktemp -d)
trap 'tm kill-server 2>/dev/null; rm -rf "$out"' EXIT
ms() { echo $(($(date +%s%N) / 1000000)); }

tm new-session -d -x 120 -y 40 "sleep 600"
tm set-option -g default-terminal xterm-256color >/dev/null
t0=$(ms)
tm respawn-pane -k -t 0 "env TERM=xterm-256color KAM_TODAY=${KAM_TODAY:-} KAM_USER=${KAM_USER:-} \
	LC_ALL=C.UTF-8 '$kam' --db '$db' 2>'$out/stderr'"
# The first full frame ends with the status line on the last row.
until tm capture-pane -p -t 0 | tail -1 | grep -q 'help'; do
	[ $(($(ms) - t0)) -lt 60000 ] || { echo "tui.sh: no frame in 60 s"; cat "$out/stderr"; exit 1; }
	sleep 0.005
done
first=$(($(ms) - t0))
pid=$(tm list-panes -t 0 -F '#{pane_pid}')
kid=$(pgrep -P "$pid" -x kam || echo "$pid")
sleep 3 # scores and the detail pane follow the first frame
anon=$(awk '/^RssAnon/ {print $2}' "/proc/$kid/status")
file=$(awk '/^RssFile/ {print $2}' "/proc/$kid/status")
tm send-keys -t 0 F j # detail pinned: the navigator alone answers the keys
sleep 1
tm pipe-pane -o -t 0 "cat >> '$out/bytes'"
sleep 0.3
tm send-keys -t 0 $(printf 'j %.0s' $(seq 40))
sleep 2
tm pipe-pane -t 0
bytes=$(wc -c <"$out/bytes" 2>/dev/null || echo 0)
tm send-keys -t 0 Q
echo "first full frame: ${first} ms (target <= 30 ms)"
echo "memory with the database open: private (anonymous) $((anon / 1024)) MiB (target <= 20 MiB)," \
	"database pages mapped $((file / 1024)) MiB (shared page cache)"
echo "burst of 40 j at 120x40: $bytes bytes (target <= 1 KB)"
