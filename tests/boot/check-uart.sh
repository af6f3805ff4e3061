#!/bin/bash
# check-uart.sh LOG: the uart guest's line written byte by byte to COM1's
# THR came out as its console line, once, and the loopback bytes (Z, R, S)
# did not. Prints one line; exits 0 if it holds, 1 if not, 2 on usage
# error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
dom=$(sed -n 's/^(XEN) \(d[0-9]*\) (uart): .*/\1/p' <<<"$log" | head -1)
[[ -n $dom ]] || { echo "FAIL: no domain uart in the log"; exit 1; }
lines=$(grep -c "^($dom) uart: through THR$" <<<"$log" || true)
if [[ $lines != 1 ]]; then
	echo "FAIL: $dom: the THR line appeared $lines times, not once"
	exit 1
fi
if grep -q "^($dom) .*[ZRS]uart: \|^($dom) [ZRS]$" <<<"$log"; then
	echo "FAIL: $dom: a loopback byte reached the console"
	exit 1
fi
echo "PASS: $dom: COM1 output through THR, loopback kept"
