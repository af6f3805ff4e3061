#!/bin/bash
# check-soak-paging.sh LOG: `make soak`'s paging run. pagetest (domain 3)
# ran paged at 25% resident beside the fuzz guest (domain 2): it passed
# with evictions and page-ins above zero, fuzz passed, dom0's script
# ended with 0 failed. Prints one line: what it found, or the first
# problem; exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
stats=$(grep -E '^\(d1\) xenpaging d3: resident [0-9]+, evicted [1-9][0-9]*, page-ins [1-9][0-9]*, ' <<<"$log" | tail -n 1)
[[ -n $stats ]] || { echo "no stats line for d3 with evictions and page-ins"; exit 1; }
out=$(expect_lines "$1" <<'EOF'
(d3) Test result: SUCCESS
(d2) Test result: SUCCESS
(d1) script soak.sh: 6 commands, 0 failed
EOF
) || { echo "$out"; exit 1; }
echo "pagetest passed paged beside fuzz: ${stats#(d1) }"
