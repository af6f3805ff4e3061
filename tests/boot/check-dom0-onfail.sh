#!/bin/bash
# check-dom0-onfail.sh LOG: dom0's script fail.sh (tests/dom0/fail.sh),
# run with onfail=poweroff, stopped at its failing line 5, and dom0 then
# powered off with the verdict FAILURE by itself: nothing after the
# failure ran and the shell never opened (the run needs no input).
# Prints one line; exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
if grep -q '^(d1) never reached$' <<<"$log"; then
    echo "a command after the failing one ran"
    exit 1
fi
if grep -q '^(d1) dom0: shell on the serial console' <<<"$log"; then
    echo "dom0 opened its shell after the failed script"
    exit 1
fi
expect_lines "$1" <<'EOF2'
(d1) script fail.sh: line 5: nosuchcommand with arguments failed
(d1) script fail.sh: 2 commands, 1 failed
(d1) Test result: FAILURE
EOF2
