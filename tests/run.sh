#!/usr/bin/env bash
# Runs every suite against the build in $1 (build/asan or build/rel) and ends
# with exactly one line "N passed, N failed"; exits non-zero on any failure.
set -u
build=${1:-build/asan}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export KAM_BIN="$top/${build}/kam"
[ "$build" = build/rel ] && KAM_BIN="$top/kam"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KAM_TODAY=2026-11-23 KAM_USER=tester LC_ALL=C.UTF-8 TZ=UTC
unset KAM_DB KAM_CONFIG NO_COLOR
export XDG_CONFIG_HOME=/nonexistent XDG_DATA_HOME=/nonexistent XDG_STATE_HOME=/nonexistent
passed=0 failed=0
failures=()
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# 1. cmocka unit tests: count each test case.
for t in "$top/$build"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if [ -n "${VALGRIND:-}" ]; then
		out=$(cd "$tmp" && valgrind -q --error-exitcode=99 --leak-check=full "$t" 2>&1); rc=$?
	else
		out=$(cd "$tmp" && "$t" 2>&1); rc=$?
	fi
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then failures+=("unit $name"); printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Sanitizer' | head -20; fi
done

# 2. Golden CLI tests: tests/cli/NAME.cmd runs in a fresh directory with its
# own database; stdout+stderr plus "[exit N]" must equal NAME.out.
for c in tests/cli/*.cmd; do
	[ -f "$c" ] || continue
	name=${c%.cmd}
	dir="$tmp/cli.$(basename "$name")"; mkdir -p "$dir"
	actual=$(cd "$dir" && HOME="$dir" KAM_DB="$dir/db" PATH="$(dirname "$KAM_BIN"):$PATH" \
		FIXTURES="$top/tests/fixtures" bash "$top/$c" 2>&1; echo "[exit $?]")
	if [ "$actual" == "$(cat "$name.out" 2>/dev/null)" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); failures+=("cli $(basename "$name")")
		diff -u "$name.out" <(printf '%s\n' "$actual") | head -40
	fi
done

# 3. Screen and byte-budget tests: each tests/screen/*.sh exits 0 on success.
if command -v tmux >/dev/null 2>&1; then
	for s in tests/screen/test_*.sh; do
		[ -f "$s" ] || continue
		if out=$(TMPDIR="$tmp" bash "$s" 2>&1); then
			passed=$((passed + 1))
		else
			failed=$((failed + 1)); failures+=("screen $(basename "$s")")
			printf '%s\n' "$out" | tail -40
		fi
	done
fi

for f in "${failures[@]+"${failures[@]}"}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
