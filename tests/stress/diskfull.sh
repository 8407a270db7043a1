#!/usr/bin/env bash
# A full disk: the database lives on a 2 MiB tmpfs (mount needs root; the
# test is skipped with a message when the mount fails) and an import of the
# CSV files of kam gen --scale S (1.6 MiB, more than the disk takes once
# indexed) must fail with "no space left on the disk; nothing was written",
# exit code 5, and leave the database as it was: kam fsck clean, the same
# record count. A small write afterwards either works or fails with the same
# message, and fsck stays clean. (LMDB's map full, KAM_EFULL too: the golden
# test tests/cli/store_map_full, with a 1 MiB map from KAM_MAP_SIZE.)
set -u
. "$(dirname "$0")/common.sh"
mnt=$STRESS_TMP/full
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=2m tmpfs "$mnt" 2>/dev/null; then
	echo "diskfull: skipped (cannot mount a tmpfs here; needs root)"
	exit 0
fi
STRESS_ATEXIT='umount "$mnt"'
"$KAM" --db "$STRESS_TMP/gen.db" gen --scale S --csv "$STRESS_TMP/fullcsv" >/dev/null || exit 2
rm -rf "$STRESS_TMP/gen.db"
db=$mnt/db
"$KAM" --db "$db" init >/dev/null || exit 2
"$KAM" --db "$db" add staff name=Base login=base >/dev/null || exit 2
"$KAM" --db "$db" add account name=Before >/dev/null || exit 2
n0=$(total_records "$db")
fails=0
fail() { echo "diskfull: FAIL: $*"; fails=$((fails + 1)); }

err=$("$KAM" --db "$db" import "$STRESS_TMP"/fullcsv/*.csv 2>&1 >/dev/null); rc=$?
echo "diskfull: import on a full 2 MiB disk: exit $rc: $err"
[ $rc -eq 5 ] || fail "exit $rc, expected 5"
case $err in *"no space left on the disk; nothing was written"*) ;; *) fail "unclear message" ;; esac
"$KAM" --db "$db" fsck >/dev/null 2>&1 || fail "fsck after the failed import: $("$KAM" --db "$db" fsck 2>&1 | head -3)"
n=$(total_records "$db")
[ "$n" = "$n0" ] || fail "$n records after the failed import, $n0 before"

err=$("$KAM" --db "$db" add account name=After 2>&1 >/dev/null); rc=$?
case $rc:$err in
0:) n0=$((n0 + 1)); echo "diskfull: a small add afterwards: saved (LMDB reuses the pages it had)" ;;
5:*"no space left on the disk"*) echo "diskfull: a small add afterwards: refused: $err" ;;
*) fail "a small add afterwards: exit $rc: $err" ;;
esac
"$KAM" --db "$db" fsck >/dev/null 2>&1 || fail "fsck after the small add"
[ "$(total_records "$db")" = "$n0" ] || fail "record count $(total_records "$db"), expected $n0"

if [ $fails -eq 0 ]; then
	echo "diskfull: ok (clear message, exit 5, nothing half-written, fsck clean)"
else
	echo "diskfull: $fails failures"
fi
[ $fails -eq 0 ]
