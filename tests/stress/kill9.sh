#!/usr/bin/env bash
# kill -9 at random moments during large imports (kam import of the CSV files
# of kam gen --scale M --csv) and during kam gen --scale M. After each kill:
# the database opens, kam fsck is clean, and the import / generation is
# either fully there or fully absent (record counts). kam gen commits every
# GEN_CHUNK (50000, src/cli/cmd_gen.c) records by design, so after a kill
# during gen the count must be a whole number of chunks (no txn half-there)
# and fsck clean. KILL_RUNS (default 20)
# runs, alternating import and gen. Prints one line per run and a summary;
# exits 1 if any run failed.
set -u
. "$(dirname "$0")/common.sh"
runs=${KILL_RUNS:-20}
scale=${KILL_SCALE:-M}
csv=$STRESS_TMP/csv
base=$STRESS_TMP/base

"$KAM" --db "$STRESS_TMP/gen.db" gen --scale "$scale" --csv "$csv" >/dev/null || exit 2
rm -rf "$STRESS_TMP/gen.db"
# The database an import goes into: not empty, so "absent" is not "zero".
"$KAM" --db "$base" init >/dev/null
# ... and with the user as an admin: the import brings admins, after which
# a login without a staff record may not even read.
"$KAM" --db "$base" add staff name=Base login="$KAM_USER" role=admin >/dev/null
base_n=$(total_records "$base")

# How long the two jobs take when left alone: kills land in [0, 1.2 x that].
t0=$(now_ms); cp -r "$base" "$STRESS_TMP/full.db"
"$KAM" --db "$STRESS_TMP/full.db" import "$csv"/*.csv >/dev/null || exit 2
import_ms=$(( $(now_ms) - t0 )); import_n=$(total_records "$STRESS_TMP/full.db")
t0=$(now_ms)
"$KAM" --db "$STRESS_TMP/fullgen.db" gen --scale "$scale" >/dev/null || exit 2
gen_ms=$(( $(now_ms) - t0 )); gen_n=$(total_records "$STRESS_TMP/fullgen.db")
rm -rf "$STRESS_TMP/full.db" "$STRESS_TMP/fullgen.db"
echo "kill9: scale $scale, import of $((import_n - base_n)) records takes ${import_ms} ms, gen of $gen_n takes ${gen_ms} ms"

fails=0 there=0 absent=0 partial=0 fsck_ms_total=0 t_start=$(now_ms)
for i in $(seq 1 "$runs"); do
	db=$STRESS_TMP/run$i
	rm -rf "$db"
	if [ $((i % 2)) -eq 1 ]; then
		what=import; cp -r "$base" "$db"; span=$import_ms
		"$KAM" --db "$db" import "$csv"/*.csv >/dev/null 2>&1 &
		full=$import_n empty=$base_n
	else
		what=gen; span=$gen_ms
		"$KAM" --db "$db" gen --scale "$scale" >/dev/null 2>&1 &
		full=$gen_n empty=none
	fi
	pid=$!
	delay=$(( RANDOM * 32768 + RANDOM ))
	delay=$(( delay % (span * 12 / 10 + 1) ))
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -9 "$pid" 2>/dev/null && killed=killed || killed=finished
	wait "$pid" 2>/dev/null
	n=$(total_records "$db")
	# An empty database that gen created before the kill counts as absent.
	[ "$what" = gen ] && [ "$n" = 0 ] && n=none
	verdict=ok
	if [ "$n" = none ]; then
		[ "$what" = gen ] || verdict="FAIL: database gone"
		fsck_out="(no database)"
	else
		t0=$(now_ms)
		fsck_out=$("$KAM" --db "$db" fsck 2>&1); frc=$?
		fsck_ms_total=$((fsck_ms_total + $(now_ms) - t0))
		[ $frc -eq 0 ] || verdict="FAIL: fsck exit $frc"
		if [ "$what" = gen ] && [ "$n" != "$full" ]; then
			[ $((n % ${GEN_CHUNK:-50000})) -eq 0 ] || verdict="FAIL: $n records, not whole chunks of ${GEN_CHUNK:-50000}"
		elif [ "$n" != "$full" ] && [ "$n" != "$empty" ]; then
			verdict="FAIL: $n records, expected $empty or $full"
		fi
	fi
	if [ "$verdict" = ok ]; then
		if [ "$n" = "$full" ]; then there=$((there + 1)); state="fully there"
		elif [ "$n" = "$empty" ] || [ "$n" = none ]; then absent=$((absent + 1)); state="fully absent"
		else partial=$((partial + 1)); state="$n records = $((n / ${GEN_CHUNK:-50000})) committed chunks"; fi
	else
		fails=$((fails + 1)); state=$verdict
		printf '%s\n' "$fsck_out" | head -5
		echo "kill9: database in $db (run with KEEP=1 to keep it)"
	fi
	printf 'kill9 run %2d: %-6s %-8s after %5d ms: %s\n' "$i" "$what" "$killed" "$delay" "$state"
	[ "$verdict" = ok ] && rm -rf "$db"
done
checked=$((there + absent + partial))
echo "kill9: $runs runs in $(( ($(now_ms) - t_start) / 1000 )) s, $fails failures ($there fully there, $absent fully absent, $partial gen runs with whole chunks; fsck after a kill averaged $((fsck_ms_total / (checked > 0 ? checked : 1))) ms)"
[ "$fails" -eq 0 ]
