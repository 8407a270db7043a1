#!/usr/bin/env bash
# Global views reachable from anywhere: all contacts (C), all opportunities
# of the plan year (O), the message log (L), also by name at ':'. They use
# the one list widget (a cursor move repaints two rows), Enter goes to the
# row's account, q closes. At 120x40 and 80x24, with Chinese names.
source "$(dirname "$0")/lib.sh"
make_fixture
k add contact name=欧阳娜娜 title=顾问
k add account_contact account=8 contact=6 role=coach owner_a=Smith
k add contact name=无主的人
k set opportunity 3 status=lost

start_kam 120 40
keys C
expect_screen views_contacts.txt
# Enter on 李丽: her account, Contacts sub-view.
keys j j Enter
wait_text "| 1 Overview [2 Contacts] 3 Opps" || fail "Enter did not open the contacts"
wait_text " 中国华信通信集团广东有限公司                                  key" || fail "wrong account"
# From the detail pane too, and by name.
keys l : a l l - o p p s Enter
expect_screen views_opps.txt
# Budgets: a cursor move repaints the two rows it touches and the counter
# in the status line, whatever the length of the list. The highlight
# reverses a full 120-column row (the navigator's 52 columns cost ~167 B).
check() { # name bytes limit
	printf '%-44s %6d B  (budget %d)\n' "$1" "$2" "$3"
	[ "$2" -le "$3" ] || fail "$1: $2 B > $3 B"
}
check "view cursor move, highlight, 120 cols" "$(count_bytes j)" 400
keys M
check "view cursor move, arrow marker" "$(count_bytes k)" 48
keys M
keys / 5 G Enter
wait_text " 2/4  4 opportunities" || fail "search in the view"
keys Enter
wait_text "| 1 Overview 2 Contacts [3 Opps] 4 Acts" || fail "Enter did not open the opps"
# A row without an account says so; the message log keeps it.
keys C G Enter
wait_text "no account for this row" || fail "contact without account"
keys L
wait_text "Accounts [Messages]" || fail "messages view"
wait_text "  no account for this row" || fail "message in the log"
keys q
wait_text " kam  [Accounts]" || fail "q closes the view"
wait_text "----+----" || fail "panes back"
quit_kam
tm kill-session -t kam

start_kam 80 24
keys Space j Enter 3
wait_text "[3 Opps]" || fail "opps at 80x24"
keys O
expect_screen views_80_opps.txt
keys Escape
wait_text "[3 Opps]" || fail "Esc back to the detail"
keys C
expect_screen views_80_contacts.txt
keys ?
wait_text ":jump" || fail "help lists the view's actions"
keys q
wait_text "Accounts [Contacts]" || fail "help closes back to the view"
keys q q
wait_text " - 中国华信通信集团有限公司" || fail "back to the navigator"
quit_kam
