# A bad checks: section stops kam check with FILE:LINE:COL errors (exit 3)
# before it reads the database.
kam init >/dev/null
cat >"$HOME/bad.yaml" <<'YAML'
checks:
  brand_budgt: {enabled: false}
  ab_owners:
    severity: critical
  private_visits: {enabled: no, ratio: 120}
  exec_meeting_days: 90
YAML
kam check --config "$HOME/bad.yaml" 2>&1 | sed "s|$HOME|HOME|"; echo "exit ${PIPESTATUS[0]}"
kam check --list --config "$HOME/bad.yaml" 2>&1 | head -1 | sed "s|$HOME|HOME|"; echo "exit ${PIPESTATUS[0]}"
kam config check "$HOME/bad.yaml" 2>&1 | tail -1 | sed "s|$HOME|HOME|"
