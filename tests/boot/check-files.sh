#!/bin/bash
# check-files.sh LOG: the files ISO's `file NAME` modules reached the
# control domain whole. The `files` guest prints `files: NAME SIZE HASH`
# (FNV-1a of its bytes) for each file in its start info; they must be
# hello.elf and pagetest.elf with the size and hash of dist/guests' copies
# (the ISO's), the repeated and the bad name refused, and the placement
# logged. Prints one line: what it found, or the first problem; exits 0 if
# all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"
guests=$BOOT_TEST_DIR/../../dist/guests

# "NAME SIZE HASH" of a file, HASH as the guest prints it.
describe() {
    python3 - "$1" "$2" <<'PY'
import sys
h = 2166136261
data = open(sys.argv[1], 'rb').read()
for b in data:
    h = ((h ^ b) * 16777619) & 0xffffffff
print('%s %d %08x' % (sys.argv[2], len(data), h))
PY
}

clean_log "$1" | grep -Eq '^\(XEN\) d1 \(files\): 2 files at 0x[0-9a-f]+-0x7fffff$' ||
    { echo "no placement line for d1's 2 files"; exit 1; }
expect_lines "$1" <<EOF
(d1) files: $(describe "$guests/hello.elf" hello.elf)
(d1) files: $(describe "$guests/pagetest.elf" pagetest.elf)
(XEN) module 4 (file hello.elf): a file of that name was given before: refused
(XEN) module 5 ('file bad/name'): 'file bad/name': bad file name (1 to 63 of a-z A-Z 0-9 _ - .): refused
(XEN) d1 (files): PASS (poweroff, expected SUCCESS and poweroff)
(XEN) d2 (plain): PASS (poweroff, expected SUCCESS and poweroff)
EOF
