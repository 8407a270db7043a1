# Salesforce export headers: Id -> ext_id, FirstName+LastName, AccountId links, StageName values
kam init >/dev/null
kam import "$FIXTURES/sf_accounts.csv" "$FIXTURES/sf_contacts.csv" "$FIXTURES/sf_opportunities.csv"
kam ls account
kam ls contact
kam ls account_contact
kam ls opportunity
# the same files again: matched on their external ids, nothing changes
kam import "$FIXTURES/sf_opportunities.csv" "$FIXTURES/sf_contacts.csv" "$FIXTURES/sf_accounts.csv"
