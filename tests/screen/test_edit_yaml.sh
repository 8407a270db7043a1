#!/usr/bin/env bash
# E: the selected record in $EDITOR as YAML. EDITOR is a script that runs
# the snippet do<N> of its N-th call (sed on the file) and keeps a copy of
# the file it was given. An edit persists (kam show); a bad value reopens
# the editor with the error at the top and is fixed in the second round;
# an unchanged file writes nothing (no audit line); an emptied file
# cancels; contacts (Contacts sub-view) and opportunities (global view) are
# edited the same way; a conflict reopens on the other version with the
# edit re-applied.
source "$(dirname "$0")/lib.sh"
make_fixture
ED="$T/ed"
mkdir -p "$ED"
echo 0 >"$ED/n"
cat >"$ED/editor.sh" <<'SH'
#!/bin/sh
D=$(dirname "$0")
n=$(($(cat "$D/n") + 1))
echo $n >"$D/n"
cp "$1" "$D/got$n.yaml"
[ -f "$D/do$n" ] && . "$D/do$n"
exit 0
SH
chmod +x "$ED/editor.sh"
export EDITOR="$ED/editor.sh"
round() { cat >"$ED/do$1"; }
show() { "$KAM_BIN" --db "$T/db" show "$1" "$2" | sed -n "s/^$3  *//p"; }
audit() { "$KAM_BIN" --db "$T/db" log | wc -l; }
start_kam 120 40

# 1: one field rewritten: saved with the version read.
round 1 <<<'sed -i "s/^city: .*/city: 深圳/; s/^kam: .*/kam: 陈敏/" "$1"'
keys Space j E
wait_text "saved account 2 (version 2)" || { screen >&2; fail "E did not save"; }
[ "$(show account 2 city)" = 深圳 ] || fail "city not saved: $(show account 2 city)"
grep -q '^# industry: carrier | bank | insurance' "$ED/got1.yaml" || fail "no enum choices comment"
grep -q '^# kam: staff id or full name (1 王丽)$' "$ED/got1.yaml" || fail "no name of the referenced record"
[ "$(show account 2 kam)" = "陈敏 #2" ] || fail "a reference given by name: $(show account 2 kam)"
grep -q '^name: 中国华信通信集团广东有限公司$' "$ED/got1.yaml" || fail "no name line"
wait_text "Region 广东/深圳" || { screen >&2; fail "detail not repainted with the saved value"; }

# 2, 3: a bad value first: the editor reopens with the error on top, the
# second round fixes it.
round 2 <<<'sed -i "s/^industry: .*/industry: telecom/" "$1"'
round 3 <<<'sed -i "s/^industry: .*/industry: power/" "$1"'
keys E
wait_text "saved account 2 (version 3)" || { screen >&2; fail "second round not saved"; }
[ "$(show account 2 industry)" = power ] || fail "industry not saved: $(show account 2 industry)"
line=$(grep -n '^industry:' "$ED/got3.yaml" | cut -d: -f1)
head -1 "$ED/got3.yaml" | grep -qF "# error: account-2.yaml:$line:11: error: industry: 'telecom' is not one of carrier" ||
	fail "error comment: $(head -1 "$ED/got3.yaml") (industry on line $line)"
grep -q '^industry: telecom$' "$ED/got3.yaml" || fail "the user's text was not kept"
keys L
wait_text "account-2.yaml:$line:11: error: industry: 'telecom' is not one of" || { screen >&2; fail "error not in the messages"; }
keys q

# 4: unchanged: nothing written, no audit line.
before=$(audit)
keys E
wait_text "no changes" || { screen >&2; fail "unchanged file"; }
[ "$(audit)" = "$before" ] || fail "an unchanged file wrote to the audit log"
[ "$("$KAM_BIN" --db "$T/db" show account 2 | sed -n 's/^version  *//p')" = 3 ] || true

# 5: emptied: cancelled.
round 5 <<<'sed -i "s/^city: .*/city: 珠海/; /^[a-z_]*:/d" "$1"'
keys E
wait_text "edit cancelled (empty file): nothing saved" || { screen >&2; fail "empty file"; }
[ "$(show account 2 city)" = 深圳 ] || fail "an emptied file saved"
[ "$(audit)" = "$before" ] || fail "a cancelled edit wrote to the audit log"

# 6: Contacts sub-view: the contact under the cursor.
round 6 <<<'sed -i "s/^title: .*/title: 董事长/" "$1"'
keys 2
wait_text "contacts (o: org chart)" || { screen >&2; fail "contacts sub-view"; }
keys l j E
wait_text "saved contact 1 (version 2)" || { screen >&2; fail "contact not saved"; }
[ "$(show contact 1 title)" = 董事长 ] || fail "contact title: $(show contact 1 title)"
wait_text "王建国 董事长" || { screen >&2; fail "contacts not repainted"; }
keys h

# 7: the global opportunities view: the opportunity under the cursor (the
# first decision, 运维外包续约).
round 7 <<<'sed -i "s/^probability: .*/probability: 60/" "$1"'
keys O E
wait_text "saved opportunity 4 (version 2)" || { screen >&2; fail "opportunity not saved"; }
[ "$(show opportunity 4 probability)" = 60 ] || fail "probability: $(show opportunity 4 probability)"
keys q

# 8, 9: another writer changes the account while the editor is open: the
# editor reopens on their version with our edit re-applied; saving it as it
# is stores both.
round 8 <<SH
sed -i "s/^city: .*/city: 珠海/" "\$1"
"$KAM_BIN" --db "$T/db" set account 2 notes=changed-elsewhere >/dev/null
SH
keys E
wait_text "saved account 2 (version 5)" || { head -3 "$ED/got9.yaml" >&2; cat "$ED/do8" >&2; fail "conflict round"; }
head -1 "$ED/got9.yaml" | grep -qF "# error: conflict: tester changed this account meanwhile (version 3 -> 4): notes. Below: version 4 with your edits (city) re-applied" ||
	fail "conflict note: $(head -1 "$ED/got9.yaml")"
[ "$(show account 2 city)" = 珠海 ] || fail "re-applied edit lost"
[ "$(show account 2 notes)" = changed-elsewhere ] || fail "the other writer's change was overwritten"
quit_kam
