#!/bin/bash
# check-paging-lazy.sh LOG: start-up demand paging (the paginglazy ISO).
# The pager paused pagetest as soon as it found it, before pagetest's
# first pass was done, paged out every gfn it saved with populate_evicted
#     (d1) pager: populate_evicted paged N of N gfns saved, in C calls
# and evicted nothing after that ("(d1) pager: 0 evictions"); pagetest's
# page-ins and verdict are check-paging.sh's. Says whether the pause came
# before pagetest's first line. Prints one line; exits 0 if it holds, 1 if
# not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean_log "$1" | awk '
function fail(msg) { print "check-paging-lazy: " msg; bad = 1; exit 1 }
/^\(d2\) pagetest: started/ { started = NR }
/^\(d2\) pagetest: pass 1\// { pass1 = NR }
/^\(d1\) pager: d2 paused at start/ { paused = NR }
/^\(d1\) pager: populate_evicted paged [0-9]+ of [0-9]+ gfns saved/ {
    paged = $5; saved = $7; calls = $11
}
/^\(d1\) pager: [0-9]+ evictions/ { evictions = $3 }
END {
    if (bad) exit 1
    if (!paused) fail("the pager did not say it paused d2")
    if (!pass1 || pass1 < paused) fail("d2 finished its first pass before it was paused")
    if (saved == "" || saved == 0 || paged != saved)
        fail("populate_evicted paged " paged " of " saved " gfns")
    if (evictions == "") fail("no pager counts")
    if (evictions != 0) fail("the pager evicted " evictions " gfns after start-up")
    printf "check-paging-lazy: d2 paused %s its first line; %d gfns paged out in %d calls, no eviction after\n",
        started && started < paused ? "after" : "before", paged, calls
}'
