# kam.yaml's checks: section: a user file overrides only the checks it names;
# disabled checks find nothing; kam check exits 0 when only warnings remain.
kam init >/dev/null
kam add staff name=王丽 login=wangli function=account_manager >/dev/null
kam add account name=中国华信广东 key=true kam=王丽 >/dev/null
kam add account name=小客户 >/dev/null
kam add contact name=李丽 >/dev/null
kam add account_contact account=中国华信广东 contact=李丽 key=true role=economic_buyer owner_a=王丽 >/dev/null
kam add opportunity account=小客户 year=2026 title=终端更新 decision_date=2026-11-01 status=open >/dev/null
kam add complaint account=小客户 opened=2026-11-01 severity=critical status=open >/dev/null
kam add plan account=中国华信广东 year=2026 profile=运营商 decision_process=集中 product_mix=5G goals=扩大份额 >/dev/null
echo "== defaults"
kam check --format tsv; echo "exit $?"
# errors become warnings or go away: exit 0
cat >"$HOME/warn.yaml" <<'YAML'
checks:
  ab_owners: {severity: warning}
  opportunity_overdue: {enabled: false}
  complaint_sla:
    days: {critical: 30}
YAML
echo "== warn.yaml"
kam --config "$HOME/warn.yaml" check --format tsv; echo "exit $?"
kam check --config "$HOME/warn.yaml" --list --format tsv
echo "== a disabled check asked for by name"
kam check --config "$HOME/warn.yaml" --check opportunity_overdue; echo "exit $?"
echo "== one warning made an error: exit 1"
printf 'checks:\n  contact_cadence:\n    severity: error\n' >"$HOME/err.yaml"
KAM_CONFIG="$HOME/err.yaml" kam check --check contact_cadence --format tsv; echo "exit $?"
