#!/bin/bash
# check-dom0-script-fail.sh LOG: dom0's script fail.sh (tests/dom0/fail.sh)
# stopped at its unknown command on line 5 with the command's message and
# the line, the summary counting it (2 commands, 1 failed) and nothing
# after it run; the shell then took the input (dom0-poweroff-input.txt),
# and poweroff's verdict was FAILURE. Prints one line; exits 0 if all
# holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

if clean_log "$1" | grep -q '^(d1) never reached$'; then
    echo "a command after the failing one ran"
    exit 1
fi
expect_lines "$1" <<'EOF2'
(d1) before the failure
(d1) dom0: unknown command 'nosuchcommand' (try help)
(d1) script fail.sh: line 5: nosuchcommand with arguments failed
(d1) script fail.sh: 2 commands, 1 failed
(d1) dom0# echo after the script
(d1) after the script
(d1) dom0# poweroff
(d1) Test result: FAILURE
EOF2
