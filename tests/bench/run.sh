#!/usr/bin/env bash
# make bench: kam against peers measured in the same run (mdb_load, sqlite3).
# BENCH_SCALE=S|M|L (default L), BENCH_DIR (default build/bench).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd); cd "$top"
scale=${BENCH_SCALE:-L}
dir=${BENCH_DIR:-build/bench}/$scale
kam="$top/kam"
mkdir -p "$dir"
export KAM_TODAY=${KAM_TODAY:-2026-11-23} KAM_USER=bench LC_ALL=C.UTF-8

secs() { local s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }

case $scale in S|M|L) ;; *) echo "run.sh: BENCH_SCALE must be S, M or L (got '$scale')" >&2; exit 2 ;; esac
cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -o build/bench_query tests/bench/bench_query.c build/rel/libkam.a \
	$(pkg-config --cflags --libs lmdb sqlite3) -lm
cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -o build/bench_core tests/bench/bench_core.c build/rel/libkam.a \
	$(pkg-config --cflags --libs lmdb yaml-0.1) -lm

echo "== dataset $scale"
rm -rf "$dir/gen.kamdb" "$dir/csv" "$dir/import.kamdb" "$dir/load.kamdb"
t_gen=$(secs "$kam" --db "$dir/gen.kamdb" gen --scale "$scale")
echo "kam gen --scale $scale: ${t_gen}s"

echo "== import of the generated CSV vs mdb_load of the same records"
"$kam" gen --scale "$scale" --csv "$dir/csv" >/dev/null
files=$(ls "$dir"/csv/*.csv)
t_imp=$(secs "$kam" --db "$dir/import.kamdb" import $files)
mdb_dump -a "$dir/import.kamdb" > "$dir/dump.txt"
mkdir -p "$dir/load.kamdb"
# mdb_load warns once per table about the dump's db_pagesize: noise here.
t_load=$(secs bash -c "mdb_load -f '$dir/dump.txt' '$dir/load.kamdb' 2> >(grep -v db_pagesize >&2)")
rm -f "$dir/dump.txt"
echo "kam import: ${t_imp}s   mdb_load: ${t_load}s   ratio $(ratio "$t_imp" "$t_load")x (target <= 3x)"

echo "== query suite vs sqlite3 with equivalent indexes"
./build/bench_query "$dir/gen.kamdb" "$dir/peer.sqlite" "${BENCH_ROUNDS:-2000}"
kam_size=$(du -b "$dir/gen.kamdb/data.mdb" | cut -f1)
"$kam" --db "$dir/gen.kamdb" backup "$dir/compact.kamdb" >/dev/null
compact=$(du -b "$dir/compact.kamdb/data.mdb" | cut -f1); rm -rf "$dir/compact.kamdb"
sq_size=$(du -b "$dir/peer.sqlite" | cut -f1)
echo "database size: kam $((kam_size / 1048576)) MiB (compacted $((compact / 1048576)) MiB) vs sqlite3 $((sq_size / 1048576)) MiB (sqlite holds accounts, contacts, links and opportunities only)"

echo "== rules, agenda, reports (in process: no start-up or output; best of ${BENCH_CORE_ROUNDS:-3})"
./build/bench_core "$dir/gen.kamdb" "${BENCH_CORE_ROUNDS:-3}"
echo "targets on L: score --all <= 200 ms, agenda <= 50 ms, report pipeline <= 300 ms"

echo "== the same commands end to end (process start, config, output)"
# One KAM's agenda and one account's checks: the KAM of account 1, as bench_core.
staff=$("$kam" --db "$dir/gen.kamdb" --format tsv show account 1 | awk -F'\t' '$1 == "kam" { split($2, w, " "); print w[1] }')
for cmd in "score --all --format csv" "agenda --format tsv" "agenda --staff $staff --format tsv" \
	"check --account 1 --format tsv" "report pipeline"; do
	t=$(secs "$kam" --db "$dir/gen.kamdb" $cmd)
	echo "kam $cmd: ${t}s"
done

echo "== the workstation (tmux 120x40)"
tests/bench/tui.sh "$kam" "$dir/gen.kamdb"
