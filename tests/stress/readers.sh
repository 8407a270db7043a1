#!/usr/bin/env bash
# Stale reader slots: a kam ls that holds a read txn (its output blocked on a
# pipe nobody reads) is killed with -9; its slot stays in lock.mdb (mdb_stat
# -r shows the dead pid) until the next kam opens the database, whose
# mdb_reader_check clears it. A second blocked kam ls keeps the environment
# open meanwhile: when nobody has it open, the next opener gets LMDB's
# exclusive lock and resets the whole reader table anyway (also checked).
# Exits 1 if a slot is not taken or not cleared.
set -u
. "$(dirname "$0")/common.sh"
db=$STRESS_TMP/readers.db
rm -rf "$db"
"$KAM" --db "$db" gen --scale S >/dev/null || exit 2

# mdb_stat -r lists the reader table ("pid thread txnid"); -rr would clear it.
has_reader() { mdb_stat -r "$db" | awk -v p="$1" '$1 == p { f = 1 } END { exit !f }'; }

# Start a kam ls whose output nobody reads: it blocks inside its read txn.
# Sets $reader to its pid; fd $1 holds the fifo's reading end.
start_reader() {
	local fifo=$STRESS_TMP/readers.fifo.$1
	rm -f "$fifo"; mkfifo "$fifo"
	"$KAM" --db "$db" --format json ls activity >"$fifo" &
	reader=$!
	eval "exec $1<\"\$fifo\""
	for _ in $(seq 1 100); do has_reader "$reader" && return 0; sleep 0.05; done
	echo "readers: FAIL: kam ls (pid $reader) never showed up in the reader table"
	return 1
}

start_reader 3 || exit 1
holder=$reader
start_reader 4 || { kill -9 "$holder"; exit 1; }
victim=$reader
kill -9 "$victim"; wait "$victim" 2>/dev/null; exec 4<&-
before=$(has_reader "$victim" && echo present || echo gone)
"$KAM" --db "$db" stats >/dev/null
after=$(has_reader "$victim" && echo present || echo gone)
still=$(has_reader "$holder" && echo present || echo gone)
echo "readers: slot of the killed kam ls (pid $victim): after kill -9 $before, after the next kam start $after" \
	"(the live reader's slot: $still)"
kill -9 "$holder"; wait "$holder" 2>/dev/null; exec 3<&-
ok=0
[ "$before" = present ] && [ "$after" = gone ] && [ "$still" = present ] && ok=1
# Nobody left: the next opener resets the table, the holder's slot goes too.
"$KAM" --db "$db" stats >/dev/null
has_reader "$holder" && { echo "readers: FAIL: slot of pid $holder survived with no user left"; ok=0; }
[ "$ok" = 1 ] && echo "readers: ok (mdb_reader_check cleared the stale slot)" && exit 0
echo "readers: FAIL"
exit 1
