#!/bin/bash
# check-dom0-script.sh LOG: dom0 ran its script s.sh (tests/dom0/s.sh,
# given as a `file s.sh` module with cmdline="script=s.sh"): comments and
# blank lines skipped, quotes grouping, the files listed with their sizes
# and hello.txt printed whole (a newline added after its last line), the
# selftest passing with foreign mappings of d2, and poweroff printing the summary of the 6 commands
# before it, then the verdict, with nothing after it run. Prints one line;
# exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

if clean_log "$1" | grep -q '^(d1) never reached$'; then
    echo "a command after poweroff ran"
    exit 1
fi
dom0_files=$BOOT_TEST_DIR/../dom0
size_line() {
    printf '(d1)   %-24s %d bytes\n' "$1" "$(wc -c <"$dom0_files/$1")"
}
{
    size_line s.sh
    size_line hello.txt
    cat <<'EOF2'
(d1) dom0 script: start   here
(d1) 2 files
(d1) hello from a boot module
(d1) second line, no newline at the end
(d1) selftest: foreign-domain: PASS
(d1) selftest: libs: PASS
(d1) selftest: 12 passed, 0 failed
(d1)    0  running        main
(d1) script s.sh: 6 commands, 0 failed
(d1) Test result: SUCCESS
EOF2
} | expect_lines "$1"
