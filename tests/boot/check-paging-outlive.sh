#!/bin/bash
# check-paging-outlive.sh LOG: pages of a dead domain that the control
# domain still mapped stayed intact (the pagingoutlive ISO): the pager
# printed
#     (d1) pager: outlive: N pages of the dead d2 intact ...
# and SUCCESS, pagetest SUCCESS, and once every domain was gone every page
# was free again (the frames freed once, at the unmap, not with their
# owner):
#     (XEN) autoexit: F pages free, F before the domains were built
# Prints one line; exits 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean_log "$1" | awk '
/^\(d1\) pager: outlive: [0-9]+ pages of the dead d2 intact/ { intact = $4 }
/^\(d1\) Test result: SUCCESS/ { pager = 1 }
/^\(d2\) Test result: SUCCESS/ { pagetest = 1 }
/^\(XEN\) autoexit: [0-9]+ pages free, [0-9]+ before the domains were built/ {
    free = $3; before = $6; freed = 1
}
END {
    if (!pager || !intact) { print "check-paging-outlive: the pager did not find the pages intact"; exit 1 }
    if (!pagetest) { print "check-paging-outlive: pagetest did not report SUCCESS"; exit 1 }
    if (!freed) { print "check-paging-outlive: no free-page count at the end"; exit 1 }
    if (free != before) {
        print "check-paging-outlive: " free " pages free at the end, " before " before the domains: " before - free " not given back"
        exit 1
    }
    print "check-paging-outlive: " intact " pages of the dead pagetest intact until unmapped, every page free again"
}'
