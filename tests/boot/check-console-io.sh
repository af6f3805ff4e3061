#!/bin/bash
# check-console-io.sh LOG: the hypercall guest's long console_io write
# arrived whole. A domain that announces
#     (dN) hypercall: console_io write of L lines, B bytes, in one hypercall
# must then print "console_io line I of L: <letters>" for I = 1..L, in
# order, each line 155 characters with the letters running on from
# 'a' + I % 26 (see tests/guests/hypercall), and the hypervisor must report
#     (XEN) dN (NAME): K hypercall continuations
# with K at least ceil(B / 4096) - 1: console_io writes at most 4096 bytes
# per round (CONSOLE_ROUND in xen/common/console_io.c). At least one domain
# must announce. Prints one line: what it found, or the first problem;
# exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean_log "$1" | awk -v round=4096 '
function fail(msg) { print msg; bad = 1; exit 1 }
BEGIN {
    letters = "abcdefghijklmnopqrstuvwxyz"
    letters = letters letters letters letters letters letters letters
}
match($0, /^\(d[0-9]+\) hypercall: console_io write of [0-9]+ lines, [0-9]+ bytes/) {
    split($0, f, /[() ]+/)
    d = f[2]
    if (d in lines)
        fail(d ": announced a second console_io write")
    lines[d] = f[7]; bytes[d] = f[9]; seen[d] = 0
    next
}
/^\(d[0-9]+\) console_io line / {
    d = substr($1, 2, length($1) - 2)
    if (!(d in lines))
        fail(d ": console_io lines without an announcement")
    want = seen[d] + 1
    head = sprintf("(%s) console_io line %03d of %03d: ", d, want, lines[d])
    fill = 155 - (length(head) - length(d) - 3)
    if ($0 != head substr(letters, want % 26 + 1, fill))
        fail(d ": expected line " want " of " lines[d] ", got: " substr($0, 1, 60) "...")
    seen[d] = want
    next
}
/^\(XEN\) d[0-9]+ \([^)]*\): [0-9]+ hypercall continuations$/ {
    conts[$2] = $4
}
END {
    if (bad)
        exit 1
    n = 0
    for (d in lines) {
        n++
        if (seen[d] != lines[d])
            fail(d ": " seen[d] " of " lines[d] " console_io lines arrived")
        need = int((bytes[d] + round - 1) / round) - 1
        if (conts[d] + 0 < need)
            fail(d ": " conts[d] + 0 " hypercall continuations for " bytes[d] " bytes, expected at least " need)
        summary = summary sprintf("%s%s: %d lines, %d continuations", n > 1 ? "; " : "", d, lines[d], conts[d])
    }
    if (!n)
        fail("no domain announced a console_io write")
    print summary
}'
