#!/usr/bin/env bash
# kill -9 at random moments during kam plan rollover --from Y --to Y+1 on a
# generated dataset (KILL_SCALE, default S). The rollover is one write txn:
# after each kill the database opens, kam fsck is clean, and the target year
# holds either no draft opportunity or exactly as many as the dry run
# announced (with as many audit entries), nothing in between.
# KILL_RUNS (default 100). Prints one line per run and a summary; exits 1 if
# any run failed.
set -u
. "$(dirname "$0")/common.sh"
runs=${KILL_RUNS:-100}
scale=${KILL_SCALE:-S}
base=$STRESS_TMP/rollbase
from=${ROLL_FROM:-2027}
to=$((from + 1))

rm -rf "$base"
"$KAM" --db "$base" gen --scale "$scale" >/dev/null || exit 2
# Draft opportunities of the target year, and audit entries (every record the
# rollover adds is audited in the same txn).
drafts() {
	"$KAM" --db "$1" --format csv ls opportunity --year "$to" --where draft=true 2>/dev/null |
		tail -n +2 | wc -l
}
audits() { "$KAM" --db "$1" --format csv stats 2>/dev/null | awk -F, '$1 == "audit" { print $2 }'; }
want=$("$KAM" --db "$base" plan rollover --from "$from" --to "$to" --dry-run |
	sed -n 's/^\([0-9]*\) to create (dry run).*/\1/p')
[ -n "$want" ] && [ "$want" -gt 0 ] || { echo "kill9_rollover: dry run announces nothing to create"; exit 2; }
[ "$(drafts "$base")" -eq 0 ] || { echo "kill9_rollover: $to already has drafts"; exit 2; }
audit0=$(audits "$base")

cp -r "$base" "$STRESS_TMP/rollfull"; t0=$(now_ms)
"$KAM" --db "$STRESS_TMP/rollfull" plan rollover --from "$from" --to "$to" >/dev/null || exit 2
span=$(( $(now_ms) - t0 ))
[ "$(drafts "$STRESS_TMP/rollfull")" -eq "$want" ] || { echo "kill9_rollover: a full rollover made $(drafts "$STRESS_TMP/rollfull") drafts, not $want"; exit 2; }
rm -rf "$STRESS_TMP/rollfull"
echo "kill9_rollover: scale $scale, rollover $from -> $to drafts $want opportunities in ${span} ms"

fails=0 there=0 absent=0 fsck_ms_total=0 t_start=$(now_ms)
for i in $(seq 1 "$runs"); do
	db=$STRESS_TMP/roll$i
	rm -rf "$db"; cp -r "$base" "$db"
	"$KAM" --db "$db" plan rollover --from "$from" --to "$to" >/dev/null 2>&1 &
	pid=$!
	delay=$(( (RANDOM * 32768 + RANDOM) % (span * 12 / 10 + 1) ))
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -9 "$pid" 2>/dev/null && killed=killed || killed=finished
	wait "$pid" 2>/dev/null
	t0=$(now_ms)
	fsck_out=$("$KAM" --db "$db" fsck 2>&1); frc=$?
	fsck_ms_total=$((fsck_ms_total + $(now_ms) - t0))
	n=$(drafts "$db") a=$(audits "$db")
	verdict=ok
	if [ $frc -ne 0 ]; then verdict="FAIL: fsck exit $frc"
	elif [ "$n" -eq "$want" ] && [ "$a" -eq $((audit0 + want)) ]; then there=$((there + 1)); state="fully there ($n drafts)"
	elif [ "$n" -eq 0 ] && [ "$a" -eq "$audit0" ]; then absent=$((absent + 1)); state="fully absent"
	else verdict="FAIL: $n drafts and $((a - audit0)) new audit entries, expected 0 or $want"; fi
	if [ "$verdict" != ok ]; then
		fails=$((fails + 1)); state=$verdict
		printf '%s\n' "$fsck_out" | head -5
		echo "kill9_rollover: database in $db (run with KEEP=1 to keep it)"
	fi
	printf 'kill9_rollover run %3d: %-8s after %4d ms: %s\n' "$i" "$killed" "$delay" "$state"
	[ "$verdict" = ok ] && rm -rf "$db"
done
echo "kill9_rollover: $runs runs in $(( ($(now_ms) - t_start) / 1000 )) s, $fails failures ($there fully there, $absent fully absent; fsck after a kill averaged $((fsck_ms_total / (runs > 0 ? runs : 1))) ms)"
[ "$fails" -eq 0 ]
