#!/usr/bin/env bash
# The Portfolio view (p, :portfolio): the quadrant of the rules and the
# Pareto/ABC curve in ASCII, as kam report quadrant / pareto draw them,
# then the accounts per quadrant cell (best score first) with their ABC
# class; Enter on an account opens it. A cursor move repaints two rows.
source "$(dirname "$0")/lib.sh"
make_fixture
# Plan-year revenue for the Pareto curve: two accounts make A, one B.
for a in 1:5000000000 2:2000000000 6:900000000 8:300000000 9:50000000; do
	k add account_year account=${a%%:*} year=2027 revenue=${a##*:}
done
check() { # name bytes limit
	printf '%-44s %6d B  (budget %d)\n' "$1" "$2" "$3"
	[ "$2" -le "$3" ] || fail "$1: $2 B > $3 B"
}

start_kam 80 24
keys p
expect_screen portfolio_80_top.txt
# The charts are the reports' own.
"$KAM_BIN" --db "$T/db" report quadrant --year 2027 >"$T/quad" || fail "report quadrant"
diff <(sed -n '1,17s/ *$//p' "$T/quad" | sed 's/^/   /') <(screen | sed -n 4,20p) >&2 ||
	fail "the quadrant differs from the report's"
keys G
expect_screen portfolio_80_cells.txt
check "portfolio cursor move k, highlight, 80 cols" "$(count_bytes k)" 260
# Enter on an account row opens it; on a chart row it says so.
keys Enter
wait_text "[1 Overview]" || { screen >&2; fail "Enter did not open the account"; }
keys q p g Enter
wait_text "no account for this row" || fail "chart rows have no account"
keys q
wait_text " kam  [Accounts]" || fail "q closes the view"
keys : p o r t f o l i o Enter
wait_text "Accounts [Portfolio 2027]" || fail ":portfolio"
quit_kam
