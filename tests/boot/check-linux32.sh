#!/bin/bash
# check-linux32.sh LOG: check-linux.sh's check, for a kernel that the
# hypervisor entered at its bzImage's 32-bit entry (boot=linux32, the
# linuxbz32 ISO): the domain's build line says so. Prints one line; exits
# 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

built=$(clean_log "$1" | grep -m1 '^(XEN) d[0-9]* (linux): [0-9]* MiB, ' || true)
if [[ $built != *", 32-bit, entry "*"(bzImage, Linux boot protocol, 32-bit entry)"* ]]; then
	echo "FAIL: the linux domain was not built for the 32-bit entry: ${built:-no build line}"
	exit 1
fi
out=$("$BOOT_TEST_DIR/check-linux.sh" "$1") || { echo "$out"; exit 1; }
echo "$out, entered at the 32-bit entry"
