#!/bin/bash
# check-dom0-nocontrol.sh LOG: dom0 booted as an ordinary domain
# (control_domain=none) may not read the console: it said so, its shell
# stopped, and it was found hung (expect=hang) rather than crashing.
# Prints one line; exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

expect_lines "$1" <<'EOF2'
(d1) dom0: console_io read failed (-1): no console input
(d1) dom0: the shell stops
(XEN) d1 (dom0): PASS (hung, expected a hang)
EOF2
