#!/bin/sh
# make fuzz: build each tests/fuzz/fuzz_*.c with clang -fsanitize=fuzzer and
# run it for FUZZ_SECONDS (default 60), or for FUZZ_RUNS executions when set
# (the long runs: FUZZ_RUNS=10000000), on its corpus in tests/fuzz/corpus/NAME,
# seeded from the files kam ships and the test corpora. Exit non-zero on a
# crash, leak or timeout (libFuzzer leaves the input as crash-* / leak-* /
# timeout-* in build/fuzz/NAME; run the harness on that file for the full
# report: allocation stacks are left out of the runs, which doubles their
# speed).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
secs=${FUZZ_SECONDS:-60}
limit="-max_total_time=$secs"
[ -z "${FUZZ_RUNS:-}" ] || limit="-runs=$FUZZ_RUNS"
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=8}
command -v clang >/dev/null 2>&1 || { echo "fuzz: clang is needed (apt-get install clang)"; exit 1; }
lib=$(find src -name '*.c' ! -path 'src/tui/*' ! -name main.c | sort)
flags="-std=c11 -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED -DKAM_VERSION=\"fuzz\" -Iinclude -g -O1
 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
libs="$(pkg-config --libs lmdb yaml-0.1 2>/dev/null || echo -llmdb -lyaml) -lm"
status=0
for h in tests/fuzz/fuzz_*.c; do
	name=$(basename "$h" .c)
	out=build/fuzz/$name
	corpus=tests/fuzz/corpus/$name
	mkdir -p "$out" "$corpus"
	# shellcheck disable=SC2086
	clang $flags -o "$out/$name" "$h" $lib $libs || { status=1; continue; }
	seeds=""
	case $name in
	fuzz_conf) seeds="config tests/config" ;;
	fuzz_expr) seeds="tests/fuzz/seeds_expr" ;;
	fuzz_query) seeds="tests/fuzz/seeds_query" ;;
	fuzz_csv | fuzz_json) seeds="tests/fixtures" ;;
	fuzz_vcard) seeds="tests/fixtures/vcard" ;;
	esac
	echo "fuzz: $name (${limit#-})"
	# shellcheck disable=SC2086
	(cd "$out" && ./"$name" "$limit" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 "$top/$corpus" $(for s in $seeds; do echo "$top/$s"; done) 2>&1) |
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==.*ERROR|SUMMARY|Done)' 
	rc=$(ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* 2>/dev/null | wc -l)
	[ "$rc" -eq 0 ] || { echo "fuzz: $name found $rc failing inputs in $out"; status=1; }
done
exit $status
