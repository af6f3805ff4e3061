#!/bin/bash
# check-acpi-s5.sh LOG: the acpi_s5 guest (platform ISO) powered its
# domain off through the ACPI sleep control register. The log must have,
# for the domain named acpi_s5, exactly one warning that sleep type 3 was
# ignored (it asked twice), then the hypervisor's S5 line and its PASS
# line (poweroff). Prints one line; exits 0 if it holds, 1 if not, 2 on
# usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
dom=$(sed -n 's/^(XEN) \(d[0-9]*\) (acpi_s5): .*/\1/p' <<<"$log" | head -1)
[[ -n $dom ]] || { echo "FAIL: no domain acpi_s5 in the log"; exit 1; }
ignored=$(grep -c "^(XEN) $dom: ACPI sleep type 3 requested: only S5 is offered; ignored$" <<<"$log" || true)
s5=$(grep -n "^(XEN) $dom: ACPI S5 (sleep control register): power off$" <<<"$log" | head -1 | cut -d: -f1 || true)
pass=$(grep -n "^(XEN) $dom (acpi_s5): PASS (poweroff" <<<"$log" | head -1 | cut -d: -f1 || true)
if [[ $ignored != 1 ]]; then
	echo "FAIL: $dom: sleep type 3 reported $ignored times, not once"
	exit 1
fi
if [[ -z $s5 || -z $pass || $s5 -gt $pass ]]; then
	echo "FAIL: $dom: no S5 power-off line before its PASS (poweroff) line"
	exit 1
fi
echo "PASS: $dom powered off through the ACPI sleep register"
