#!/bin/bash
# check-reap.sh LOG: a dead domain was reclaimed while a CPU-bound domain
# still spun on CPU0 (the reap ISO: "dead" and "spinner"). dead's verdict
#     (XEN) dN (dead): PASS (...)
# is printed when it is destroyed, after its pages went back: it must come
# before the spinner's "(dM) Test result:" line, which it prints when its
# 3 s of spinning end. Prints one line; exits 0 if it holds, 1 if not, 2
# on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean_log "$1" | awk '
function fail(msg) { print msg; bad = 1; exit 1 }
/^\(XEN\) d[0-9]+ \(spinner\): [0-9]+ MiB/ { spinner = substr($2, 2) }
/^\(XEN\) d[0-9]+ \(dead\): PASS \(/ { dead_line = NR }
spinner != "" && index($0, "(d" spinner ") Test result:") == 1 { spun_line = NR }
END {
    if (bad)
        exit 1
    if (spinner == "")
        fail("no spinner domain was built")
    if (!dead_line)
        fail("the dead domain never passed (or was never destroyed)")
    if (!spun_line)
        fail("the spinner gave no result")
    if (dead_line > spun_line)
        fail("dead was reclaimed only after the spinner stopped (line " dead_line " > " spun_line ")")
    printf "dead reclaimed at line %d, while the spinner spun (its result at line %d)\n", dead_line, spun_line
}'
