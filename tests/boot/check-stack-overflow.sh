#!/bin/bash
# check-stack-overflow.sh LOG: the stack_overflow_test boot option ran a
# vCPU into the guard page below its stack, and the hypervisor panicked
# naming that stack (the stack ISO, --outcome panic). Prints one line;
# exits 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

expect_lines "$1" <<'LINES'
(XEN) stack_overflow_test: d32257v0 recurses into its guard page
(XEN) stack overflow: hypervisor stack (vCPU d32257v0)
LINES
