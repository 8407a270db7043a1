#!/usr/bin/env bash
# make lint: the include boundaries of CONVENTIONS section 1 and clang-format.
set -u
cd "$(dirname "$0")/.."
bad=0
check_home() { # header, the only directory allowed to include it
	local out
	out=$(grep -rlE "#include[[:space:]]*<$1>" src include tests/unit | grep -v "^$2/")
	if [ -n "$out" ]; then echo "lint: <$1> included outside $2/: $out"; bad=1; fi
}
check_home 'lmdb\.h' src/store
check_home 'yaml\.h' src/conf
check_home 'n?cursesw?\.h|ncursesw/curses\.h' src/tui
if command -v clang-format >/dev/null; then
	for f in $(find src include tests/unit -name '*.[ch]'); do
		if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
			echo "lint: $f is not clang-formatted (clang-format -i $f)"; bad=1
		fi
	done
fi
[ $bad -eq 0 ] && echo "lint: clean"
exit $bad
