#!/bin/bash
# check-paging.sh LOG: the pager really paged pagetest (the paging and
# pagingsmall ISOs): both domains printed "Test result: SUCCESS", and the
# hypervisor logged
#     (XEN) d2 (pagetest): paging: E evictions, P page-ins
# with E and P above zero, and once every domain was gone every page was
# free again:
#     (XEN) autoexit: F pages free, F before the domains were built
# Prints one line; exits 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean_log "$1" | awk '
/^\(d1\) Test result: SUCCESS/ { pager = 1 }
/^\(d2\) Test result: SUCCESS/ { pagetest = 1 }
/^\(XEN\) autoexit: [0-9]+ pages free, [0-9]+ before the domains were built/ {
    free = $3; before = $6; freed = 1
}
/^\(XEN\) d2 \(pagetest\): paging: [0-9]+ evictions, [0-9]+ page-ins/ {
    ev = $5; pi = $7; counted = 1
}
END {
    if (!pager) { print "check-paging: the pager did not report SUCCESS"; exit 1 }
    if (!pagetest) { print "check-paging: pagetest did not report SUCCESS"; exit 1 }
    if (!counted) { print "check-paging: no paging counts for d2 (pagetest)"; exit 1 }
    if (!freed) { print "check-paging: no free-page count at the end"; exit 1 }
    if (free != before) {
        print "check-paging: " free " pages free at the end, " before " before the domains: " before - free " not given back"
        exit 1
    }
    if (ev <= 0 || pi <= 0) {
        print "check-paging: d2 (pagetest): " ev " evictions, " pi " page-ins: not both above zero"
        exit 1
    }
    print "check-paging: d2 (pagetest): " ev " evictions, " pi " page-ins, both SUCCESS, every page free again"
}'
