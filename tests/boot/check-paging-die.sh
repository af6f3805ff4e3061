#!/bin/bash
# check-paging-die.sh LOG: the pager shut down with pagetest waiting on
# page-ins (the pagingdie ISO). After the pager's SUCCESS and poweroff,
# the hypervisor logged
#     (XEN) d2 (pagetest): paging ring gone (pager d1): ...
# and pagetest printed no verdict of its own (it crashed on nothing, its
# vCPUs slept); then check-hang.sh: it was reported hung, once, after the
# pager had gone, and judged PASS (hung, expected a hang). Prints one
# line; exits 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean_log "$1" | awk '
function fail(msg) { print "check-paging-die: " msg; bad = 1; exit 1 }
/^\(d1\) Test result: SUCCESS/ { success = NR }
/^\(XEN\) d1 \(pager\): shutdown: poweroff/ { off = NR }
/^\(XEN\) d2 \(pagetest\): paging ring gone \(pager d1\)/ { gone = NR }
/^\(d2\) Test result:/ { verdict = $0 }
/^\(XEN\) d2 \(pagetest\): PASS \(hung, expected a hang\)/ { hung = NR }
END {
    if (bad) exit 1
    if (!success || !off) fail("the pager did not end with SUCCESS and poweroff")
    if (!gone || gone < off) fail("no \"paging ring gone\" line after the pager went")
    if (verdict != "") fail("pagetest printed a verdict: " verdict)
    if (!hung || hung < gone) fail("pagetest was not judged hung after its ring went")
}' || exit 1
hang=$("$BOOT_TEST_DIR/check-hang.sh" "$1") || { echo "check-paging-die: $hang"; exit 1; }
echo "check-paging-die: the ring went with the pager; $hang"
