#!/usr/bin/env bash
# Stress suite (not part of make test): make stress, or tests/stress/run.sh
# [PART...] to run some of the parts only.
#   kill9.sh           kill -9 during imports and kam gen (KILL_RUNS, default 20)
#   kill9_rollover.sh  kill -9 during plan rollover (KILL_RUNS, default 100)
#   kill9_tui.sh       kill -9 around a save in the TUI in tmux (KILL_RUNS, 100)
#   concurrent.sh      PROCS (16) read-modify-write loops, TUI_WRITERS (3) of
#                      them TUIs in tmux, for SECONDS_RUN (20) s
#   readers.sh         stale reader slots of killed processes are cleared
#   diskfull.sh        an import onto a full 2 MiB tmpfs (root only, else skipped)
# Uses the release binary ./kam (make kam) or $KAM. Prints the figures of
# each part and a summary; exits non-zero if any part failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export STRESS_TMP=${STRESS_TMP:-$(mktemp -d /tmp/kam_stress.XXXXXX)}
keep=${KEEP:-}
[ -n "$keep" ] || trap 'rm -rf "$STRESS_TMP"' EXIT
status=0
summary=()
parts=("$@")
[ $# -gt 0 ] || parts=(kill9 kill9_rollover kill9_tui concurrent readers diskfull)
for part in "${parts[@]}"; do
	echo "== $part"
	"$here/$part.sh" 2>&1 | tee "$STRESS_TMP/$part.log"
	rc=${PIPESTATUS[0]}
	summary+=("$(grep -E "^$part: " "$STRESS_TMP/$part.log" | tail -1) [exit $rc]")
	[ "$rc" -eq 0 ] || status=1
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
