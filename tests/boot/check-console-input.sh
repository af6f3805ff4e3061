#!/bin/bash
# check-console-input.sh LOG: the control domain read the console input
# the boot test fed (qemu.sh --input console-input.txt) through console_io
# read. The hypercall guest prints each line it read as
#     (dN) hypercall: console input: LINE
# Those lines must be exactly the lines of console-input.txt, in order,
# the last one the end marker, except that the first (a preamble) may lack
# some of its first bytes: GRUB's serial set-up clears the UART of what
# had arrived before it ran. Prints one line: what it found, or the first
# difference; exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"
input=$BOOT_TEST_DIR/console-input.txt

mapfile -t want <"$input"
mapfile -t got < <(clean_log "$1" |
    sed -n 's/^(d[0-9]*) hypercall: console input: //p')
fail() {
    echo "$1"
    exit 1
}
((${#got[@]} == ${#want[@]})) ||
    fail "${#got[@]} lines read back, ${#want[@]} fed (first: '${got[0]-}')"
[[ ${want[0]} == *"${got[0]}" ]] ||
    fail "the preamble came back as '${got[0]}'"
for ((i = 1; i < ${#want[@]}; i++)); do
    [[ ${got[i]} == "${want[i]}" ]] ||
        fail "line $((i + 1)) came back as '${got[i]}', not '${want[i]}'"
done
echo "${#want[@]} lines read back" \
    "($((${#want[0]} - ${#got[0]})) preamble bytes taken before the hypervisor)"
