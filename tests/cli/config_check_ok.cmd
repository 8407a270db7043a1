# The shipped file and the built-in defaults are clean; an override is too.
cd "$FIXTURES/../.." || exit 99
kam config check config/kam.yaml
kam config check
printf 'criteria:\n  margin:\n    weight: 20\n' > "$HOME/w.yaml"
KAM_CONFIG="$HOME/w.yaml" kam config path | sed "s|$HOME|HOME|"
KAM_CONFIG="$HOME/w.yaml" kam config show | grep -A3 '^  margin:'
kam --config /nonexistent/kam.yaml config show
