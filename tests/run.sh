#!/usr/bin/env bash
# Runs every suite against the build in $1 (build/asan or build/rel) and ends
# with exactly one line "N passed, N failed"; exits non-zero on any failure.
set -u
build=${1:-build/asan}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export KAM_BIN="$top/${build}/kam"
[ "$build" = build/rel ] && KAM_BIN="$top/kam"
export KAM_BIN
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KAM_TODAY=2026-11-23 KAM_USER=tester LC_ALL=C.UTF-8 TZ=UTC
unset KAM_DB KAM_CONFIG NO_COLOR
export XDG_CONFIG_HOME=/nonexistent XDG_DATA_HOME=/nonexistent XDG_STATE_HOME=/nonexistent
# SUITES="unit cli screen" (the default) picks the suites to run.
suites=" ${SUITES:-unit cli screen} "
passed=0 failed=0
failures=()
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# VALGRIND=1 (make test-valgrind, with the release build): every unit test
# and every kam that the CLI and screen tests start runs under memcheck. Its
# reports go to $vglog/TEST.PID.log (TEST from $KAM_VG_TEST), not to stderr
# (the golden outputs stay exact); a test with a non-empty report fails and
# the report is shown. Suppressions for code that is not ours:
# tests/valgrind.supp.
vg=()
vglog=$tmp/valgrind
screen_bin=$KAM_BIN
if [ -n "${VALGRIND:-}" ]; then
	mkdir -p "$vglog" "$tmp/vgbin"
	vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
		--track-fds=no --suppressions="$top/tests/valgrind.supp" --log-file="$vglog/%q{KAM_VG_TEST}.%p.log")
	# kam itself: a wrapper first on PATH (the CLI tests) that runs every
	# kam under valgrind.
	vgenv=': "${KAM_VG_TEST:=kam}"; export KAM_VG_TEST'
	printf '#!/bin/sh\n%s\nexec %s "%s" "$@"\n' "$vgenv" "${vg[*]}" "$KAM_BIN" >"$tmp/vgbin/kam"
	# The screen tests ($KAM_BIN): the workstation, the kam on a terminal,
	# under valgrind; the dozens of kam add that build their fixtures run
	# natively (the same commands run under valgrind in the CLI tests; all of
	# them under valgrind made a screen test take 4 min instead of 15 s).
	printf '#!/bin/sh\n%s\n[ -t 0 ] && exec %s "%s" "$@"\nexec "%s" "$@"\n' "$vgenv" "${vg[*]}" "$KAM_BIN" "$KAM_BIN" \
		>"$tmp/vgbin/kam-tui"
	chmod +x "$tmp/vgbin/kam" "$tmp/vgbin/kam-tui"
	KAM_BIN=$tmp/vgbin/kam screen_bin=$tmp/vgbin/kam-tui
	# The TUI under valgrind is 10-50 times slower: the screen tests wait longer.
	export SCREEN_WAIT=${SCREEN_WAIT:-90}
	echo "valgrind: $(valgrind --version): unit tests, every kam of the CLI tests, the TUI of the screen tests"
fi
# Prints and removes the valgrind reports of test $2 (all when not given)
# under the label $1; 1 if any.
vg_check() {
	[ ${#vg[@]} -gt 0 ] || return 0
	local bad=0 f
	for f in "$vglog/${2:-}"*.log; do
		[ -f "$f" ] || continue
		if [ -s "$f" ]; then
			bad=1
			echo "valgrind ($1):"; head -60 "$f"
		fi
		rm -f "$f"
	done
	return $bad
}

# 1. cmocka unit tests: count each test case.
for t in "$top/$build"/tests/test_*; do
	[ -x "$t" ] && [[ $suites == *" unit "* ]] || continue
	name=$(basename "$t")
	out=$(cd "$tmp" && KAM_VG_TEST=$name "${vg[@]}" "$t" 2>&1); rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if ! vg_check "unit $name"; then f=$((f + 1)); p=$((p > 0 ? p - 1 : 0)); fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then failures+=("unit $name"); printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Sanitizer' | head -20; fi
done

# 2. Golden CLI tests: tests/cli/NAME.cmd runs in a fresh directory with its
# own database; stdout+stderr plus "[exit N]" must equal NAME.out. JOBS of
# them run at once (default 1; 2 under valgrind, where a test waits mostly
# for the CPU it gets on a shared machine).
jobs_max=${JOBS:-1}
[ ${#vg[@]} -eq 0 ] || jobs_max=${JOBS:-2}
cli_tests=()
for c in tests/cli/*.cmd; do
	[ -f "$c" ] && [[ $suites == *" cli "* ]] || continue
	cli_tests+=("$c")
	base=$(basename "${c%.cmd}")
	dir="$tmp/cli.$base"; mkdir -p "$dir"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
	(cd "$dir" && HOME="$dir" KAM_DB="$dir/db" PATH="$(dirname "$KAM_BIN"):$PATH" KAM_VG_TEST="cli-$base." \
		FIXTURES="$top/tests/fixtures" bash "$top/$c" 2>&1; echo "[exit $?]") >"$dir.actual" &
done
wait
for c in "${cli_tests[@]+"${cli_tests[@]}"}"; do
	name=${c%.cmd}; base=$(basename "$name")
	actual=$(cat "$tmp/cli.$base.actual")
	if [ "$actual" == "$(cat "$name.out" 2>/dev/null)" ]; then
		if vg_check "cli $base" "cli-$base."; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1)); failures+=("cli $base (valgrind)")
		fi
	else
		vg_check "cli $base" "cli-$base."
		failed=$((failed + 1)); failures+=("cli $base")
		diff -u "$name.out" <(printf '%s\n' "$actual") | head -40
	fi
done

# 3. Screen and byte-budget tests: each tests/screen/*.sh exits 0 on success.
if [[ $suites != *" screen "* ]]; then
	:
elif command -v tmux >/dev/null 2>&1; then
	for s in tests/screen/test_*.sh; do
		[ -f "$s" ] || continue
		if out=$(TMPDIR="$tmp" KAM_BIN="$screen_bin" KAM_VG_TEST="screen-$(basename "$s")." bash "$s" 2>&1) &&
			vg_check "screen $(basename "$s")"; then
			passed=$((passed + 1))
		else
			vg_check "screen $(basename "$s")"
			failed=$((failed + 1)); failures+=("screen $(basename "$s")")
			printf '%s\n' "$out" | tail -40
		fi
	done
else
	echo "screen tests not run: no tmux (apt-get install tmux)"
fi

for f in "${failures[@]+"${failures[@]}"}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
