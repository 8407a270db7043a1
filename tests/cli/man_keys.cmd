# kam(1) KEYS names every action of the TUI's action table, and every
# subcommand of the command table has its own entry
top="$FIXTURES/../.."
missing=0
for a in $(sed -n 's/^\s*X([A-Z_]*, "\([^"]*\)".*/\1/p' "$top/src/tui/actions.def"); do
	m=$(echo "$a" | sed 's/-/\\\\-/g')
	grep -q "(:$m[ \")]" "$top/man/kam.1" || { echo "kam.1 KEYS lacks :$a"; missing=1; }
done
for c in $(kam help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
	grep -q "^\.BR $c\b\|^\.B $c$\|^\.BI $c\b" "$top/man/kam.1" || { echo "kam.1 lacks command $c"; missing=1; }
done
echo "checked"
exit $missing
