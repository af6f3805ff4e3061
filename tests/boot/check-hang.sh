#!/bin/bash
# check-hang.sh LOG: a hung domain was reported once, after every other
# domain had gone, and judged (the hang and hangfail ISOs). The log must
# have exactly one line
#     (XEN) dN (NAME): hung: ...
# after the verdict line of every other domain, then NAME's verdict
#     (XEN) dN (NAME): PASS (hung, expected a hang)
# or, for a domain not marked expect=hang, FAIL (hung, expected SUCCESS and
# poweroff). Prints one line; exits 0 if it holds, 1 if not, 2 on usage
# error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean_log "$1" | awk '
function fail(msg) { print msg; bad = 1; exit 1 }
# "dN (NAME)" of a "(XEN) dN (NAME): ..." line
function dom() { return $2 " " substr($3, 1, length($3) - 1) }
/^\(XEN\) d[0-9]+ \([^)]*\): hung: / {
    if (hung != "")
        fail("a second hung report: " $0)
    hung = dom()
    next
}
/^\(XEN\) d[0-9]+ \([^)]*\): (PASS|FAIL) \(/ {
    d = dom()
    if (d != hung) {
        if (hung != "")
            fail(d " was still there when " hung " was reported hung")
        others = others (others ? ", " : "") d " " $4
        next
    }
    verdict = $0
    sub(/^[^:]*: /, "", verdict)
}
END {
    if (bad)
        exit 1
    if (hung == "")
        fail("no domain was reported hung")
    if (verdict != "PASS (hung, expected a hang)" &&
        verdict != "FAIL (hung, expected SUCCESS and poweroff)")
        fail(hung ": verdict \"" verdict "\"")
    if (others == "")
        fail("no other domain ran beside " hung)
    printf "%s reported hung once, after %s had gone; then %s\n", hung, others, verdict
}'
