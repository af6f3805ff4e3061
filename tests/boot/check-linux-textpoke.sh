#!/bin/bash
# check-linux-textpoke.sh LOG: the stock Linux kernel of the linuxtextpoke
# ISO turned its static keys on and off as many times as its command line
# asked (textpoke=N: /init prints "LINUX-GUEST-TEXTPOKE asked=N" before
# and "LINUX-GUEST-TEXTPOKE toggles=N" after, tests/linux/fetch.sh) with
# no Oops: every vCPU ran the code Linux
# patched in, none an old copy of it (docs/guests.md, Known problems).
# check-linux.sh checks the rest of the boot. Prints one line; exits 0
# if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
want=$(grep -m1 -o 'LINUX-GUEST-TEXTPOKE asked=[0-9]*' <<<"$log" |
	cut -d= -f2 || true)
[[ -n $want ]] || { echo "FAIL: /init never said LINUX-GUEST-TEXTPOKE asked=N"; exit 1; }
oops=$(grep -m1 -E '^\(d[0-9]+\) .*(Oops|BUG:|kernel BUG)' <<<"$log" || true)
if [[ -n $oops ]]; then
	echo "FAIL: ${oops#* }"
	exit 1
fi
got=$(grep -m1 -o 'LINUX-GUEST-TEXTPOKE toggles=[0-9]*' <<<"$log" |
	cut -d= -f2 || true)
if [[ $got != "$want" ]]; then
	echo "FAIL: /init reported ${got:-no} toggles, the command line asked $want"
	exit 1
fi
echo "PASS: $want rounds of static-key patching, no Oops"
