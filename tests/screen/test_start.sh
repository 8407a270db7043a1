#!/usr/bin/env bash
# The first screen at 80x24 (one pane) and at 120x40 (navigator + detail),
# with CJK, full-width and Latin names, and a clean exit.
source "$(dirname "$0")/lib.sh"
make_fixture
start_kam 80 24
expect_screen start_80x24.txt
quit_kam
tm kill-session -t kam
start_kam 120 40
expect_screen start_120x40.txt
quit_kam
