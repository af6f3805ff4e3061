#!/bin/bash
# check-paging-restart.sh LOG: a pager that goes away and comes back (the
# pagingrestart ISO). The pager left N > 0 page-in requests unanswered and
# disabled the ring; the hypervisor logged the ring gone with fewer
# responses than requests, then a new ring; the pager's SUCCESS (checked
# by check-paging.sh) says each of the N came again on the new ring.
# Prints one line; exits 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean_log "$1" | awk '
function fail(msg) { print "check-paging-restart: " msg; bad = 1; exit 1 }
/^\(d1\) pager: restart: [0-9]+ page-in requests unanswered/ {
    unanswered = $4; disabled = NR
}
/^\(XEN\) d2 \(pagetest\): paging ring gone \(pager d1\)/ {
    if (disabled && !gone) { gone = NR; req = $9; rsp = $11 }
}
/^\(XEN\) d2 \(pagetest\): paging ring at gfn/ {
    if (gone && !again) again = NR
}
END {
    if (bad) exit 1
    if (!disabled) fail("the pager did not restart")
    if (unanswered == 0) fail("no request was left unanswered on the old ring")
    if (!gone) fail("no \"paging ring gone\" line after the restart")
    if (req - rsp < unanswered)
        fail("the old ring: " req " requests, " rsp " responses, but " unanswered " unanswered")
    if (!again) fail("no new ring after the old one went")
    printf "check-paging-restart: %d requests left on the old ring (%d requests, %d responses), a new ring took over\n",
        unanswered, req, rsp
}'
