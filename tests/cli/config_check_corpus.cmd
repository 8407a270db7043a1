# Every file of the broken corpus: all its errors, with positions and carets; exit 3.
cd "$FIXTURES/../config" || exit 99
for f in *.yaml; do
	echo "== $f"
	kam config check "$f"
	echo "exit $?"
done
