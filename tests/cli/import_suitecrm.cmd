# SuiteCRM headers: id -> ext_id, billing_address_*, email1, phone_work/phone_mobile, account_name
kam init >/dev/null
kam import "$FIXTURES/suite_accounts.csv" "$FIXTURES/suite_contacts.csv" "$FIXTURES/suite_opportunities.csv"
kam ls account
kam ls contact
kam ls account_contact
kam ls opportunity
