#!/usr/bin/env bash
# PROCS (default 16) processes run read-modify-write loops on the same few
# records for SECONDS_RUN (default 20) s: read the record (kam show --format
# json), then kam set employees=N+1 --if-version V; exit 4 (conflict) means
# somebody else won: re-read and retry. Each worker counts its successful
# sets per record. Zero lost updates means: for every record, the final
# employees value equals the number of successful sets on it (every success
# built on the previous one). Prints ops/s, successes, conflicts, lost.
set -u
. "$(dirname "$0")/common.sh"
procs=${PROCS:-16}
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

SECONDS=0
end=$secs
t0=$(now_ms)
for w in $(seq 1 "$procs"); do worker "$w" "$end" & done
wait
elapsed=$(( $(now_ms) - t0 ))

ok=0 conflict=0 other=0 lost=0
for w in $(seq 1 "$procs"); do
	read -r _ a b c < <(grep '^total' "$STRESS_TMP/worker.$w")
	ok=$((ok + a)); conflict=$((conflict + b)); other=$((other + c))
done
for r in $(seq 1 "$nrec"); do
	want=$(cat "$STRESS_TMP"/worker.* | awk -v r="$r" '$1 == "rec" && $2 == r { n += $3 } END { print n + 0 }')
	got=$("$KAM" --db "$db" --format json show account "$r" | sed -n 's/.*"employees":\([0-9]*\).*/\1/p')
	version=$("$KAM" --db "$db" --format json show account "$r" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
	echo "concurrent: account $r: $want successful sets, employees=$got, version=$version"
	[ "$got" -eq "$want" ] || lost=$((lost + want - got))
	[ "$version" -eq $((want + 1)) ] || echo "concurrent: account $r: version $version, expected $((want + 1))"
done
fsck_out=$("$KAM" --db "$db" fsck 2>&1) || { echo "$fsck_out"; other=$((other + 1)); }
ops=$((ok + conflict))
echo "concurrent: $procs processes, $secs s, $nrec records: $ok sets ok, $conflict conflicts (exit 4), $other other errors;" \
	"$(awk -v n="$ops" -v ms="$elapsed" 'BEGIN { printf "%.0f", n * 1000 / ms }') set attempts/s," \
	"$(awk -v n="$ok" -v ms="$elapsed" 'BEGIN { printf "%.0f", n * 1000 / ms }') successful sets/s; lost updates: $lost"
[ "$lost" -eq 0 ] && [ "$other" -eq 0 ]
