#!/bin/bash
# check-oom.sh LOG: domains whose build failed for want of memory gave
# everything back at once (the oom ISO). Each such domain has one line
#     (XEN) dN (NAME): build failed (-12): destroyed, F pages free (B before it was created)
# with F equal to B; there must be two (one asking more than the host has,
# one asking more than is free). A domain built after the last must pass, and
# "Boot complete" must report that memory free again: at least its B less
# 20 MiB (the next domain's 16 MiB and its tables). Prints one line: what
# it found, or the first problem; exits 0 if all holds, 1 if not, 2 on
# usage error.
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
/^\(XEN\) d[0-9]+ \([^)]*\): build failed / {
    if (!match($0, /build failed \(-12\): destroyed, [0-9]+ pages free \([0-9]+ before it was created\)$/))
        fail("not an -ENOMEM failure giving back its memory: " $0)
    split(substr($0, RSTART), f, /[ (]+/)
    last = dom(); after = f[5] + 0; before = f[8] + 0
    if (after != before)
        fail(last " took " before - after " pages it did not give back")
    refused = refused (nr++ ? ", " : "") last
    split("", later)
    passed = ""
    next
}
last != "" && /^\(XEN\) d[0-9]+ \([^)]*\): [0-9]+ MiB, / {
    later[dom()] = 1
    next
}
/^\(XEN\) Boot complete: .* MiB free\.$/ {
    boot_mib = $(NF - 2)
    next
}
/^\(XEN\) d[0-9]+ \([^)]*\): PASS \(/ && dom() in later {
    passed = passed ? passed : dom()
}
END {
    if (bad)
        exit 1
    if (nr != 2)
        fail(nr + 0 " builds failed with -12, expected 2")
    if (boot_mib == "")
        fail("no Boot complete line")
    if (boot_mib * 256 < before - 20 * 256)
        fail("Boot complete reports " boot_mib " MiB free, " before " pages were free before " last)
    if (!passed)
        fail("no domain built after " last " passed")
    printf "%s refused with -12, all pages back (%d free); %d MiB free at boot; %s passed\n", refused, before, boot_mib, passed
}'
