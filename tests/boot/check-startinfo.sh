#!/bin/bash
# check-startinfo.sh LOG: the startinfo ISO's domains were entered and laid
# out as docs/domains.md says. d1 (pvh) was entered at its PVH note and
# printed `startinfo: ramdisk SIZE HASH` (FNV-1a) matching dist/guests'
# hello.elf, its ISO ramdisk; the ramdisk placement is logged; d2 (ctl)
# passed with the control domain's flags; the three bad ramdisk modules
# were refused with their reasons. Prints one line: what it found, or the
# first problem; exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"
hello=$BOOT_TEST_DIR/../../dist/guests/hello.elf

# "SIZE HASH" of a file, HASH as the guest prints it.
describe() {
    python3 - "$1" <<'PY'
import sys
h = 2166136261
data = open(sys.argv[1], 'rb').read()
for b in data:
    h = ((h ^ b) * 16777619) & 0xffffffff
print('%d %08x' % (len(data), h))
PY
}

log=$(clean_log "$1")
grep -Eq '^\(XEN\) d1 \(pvh\): 16 MiB, 3 vCPUs, 32-bit, PVH entry 0x[0-9a-f]+$' <<<"$log" ||
    { echo "no PVH entry line for d1"; exit 1; }
grep -Eq '^\(XEN\) d1 \(pvh\): ramdisk \(module 2, [0-9]+ KiB\) at 0x[0-9a-f]+000-0x[0-9a-f]+$' <<<"$log" ||
    { echo "no ramdisk placement line for d1"; exit 1; }
grep -Eq "^\(XEN\) module 6 \('domain name=small mem=2M'\): the ramdisk \([0-9]+ KiB\) does not fit between the image's end \(0x[0-9a-f]+\) and 0x200000: refused$" <<<"$log" ||
    { echo "no refusal of the ramdisk too big for d (small)"; exit 1; }
expect_lines "$1" <<EOF
(XEN) module 0 ('ramdisk'): a ramdisk with no domain module right before it: refused
(XEN) module 4 ('domain name=bad mem=8M'): its ramdisk (module 5): 'x=1': a ramdisk module takes nothing after 'ramdisk': refused
(d1) startinfo: ramdisk $(describe "$hello")
(XEN) d1 (pvh): PASS (poweroff, expected SUCCESS and poweroff)
(XEN) d2 (ctl): the control domain
(XEN) d2 (ctl): PASS (poweroff, expected SUCCESS and poweroff)
(XEN) domains: 2 passed, 0 failed
EOF
