# Shared by the stress scripts: the kam binary, a scratch directory, counts.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KAM=${KAM:-$top/kam}
if [ ! -x "$KAM" ]; then
	echo "stress: no kam binary at $KAM (run make kam, or set KAM=...)" >&2
	exit 2
fi
export KAM_USER=${KAM_USER:-stress} LC_ALL=C.UTF-8 TZ=UTC
unset KAM_DB KAM_CONFIG
export XDG_CONFIG_HOME=/nonexistent
# run.sh passes its own STRESS_TMP and removes it; run alone, a script
# removes the directory it made unless KEEP=1 (to look at a failed run).
stress_rm=
if [ -z "${STRESS_TMP:-}" ]; then
	STRESS_TMP=$(mktemp -d /tmp/kam_stress.XXXXXX)
	[ -n "${KEEP:-}" ] || stress_rm=1
fi
# A script's own clean-up (a tmux server, a mount) goes in STRESS_ATEXIT:
# it runs before the scratch directory is removed.
STRESS_ATEXIT=
stress_exit() {
	eval "$STRESS_ATEXIT"
	[ -z "$stress_rm" ] || rm -rf "$STRESS_TMP"
}
trap stress_exit EXIT

# Total number of records (every type) in database $1, or "none".
total_records() {
	[ -f "$1/data.mdb" ] || { echo none; return; }
	"$KAM" --db "$1" --format csv stats 2>/dev/null |
		awk -F, 'NR > 1 && $1 != "audit" { n += $2 } END { print n + 0 }'
}

now_ms() { date +%s%3N; }
