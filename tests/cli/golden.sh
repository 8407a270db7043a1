#!/usr/bin/env bash
# Runs golden CLI tests by name against build/asan, as tests/run.sh does, and
# shows the diff; with -w writes NAME.out from the actual output (review the
# diff first: a golden file is a claim about behaviour).
#   tests/cli/golden.sh [-w] NAME...
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
write=0
[ "${1:-}" = -w ] && { write=1; shift; }
export ASAN_OPTIONS=detect_leaks=1 KAM_TODAY=2026-11-23 KAM_USER=tester LC_ALL=C.UTF-8 TZ=UTC
unset KAM_DB KAM_CONFIG NO_COLOR
export XDG_CONFIG_HOME=/nonexistent XDG_DATA_HOME=/nonexistent XDG_STATE_HOME=/nonexistent
rc=0
for name in "$@"; do
	name=$(basename "${name%.cmd}")
	dir=$(mktemp -d)
	actual=$(cd "$dir" && HOME="$dir" KAM_DB="$dir/db" PATH="$top/build/asan:$PATH" \
		FIXTURES="$top/tests/fixtures" bash "$top/tests/cli/$name.cmd" 2>&1; echo "[exit $?]")
	rm -rf "$dir"
	if [ $write = 1 ]; then
		printf '%s\n' "$actual" >"$top/tests/cli/$name.out"
	elif ! diff -u "$top/tests/cli/$name.out" <(printf '%s\n' "$actual"); then
		rc=1
	fi
done
exit $rc
