#!/bin/bash
# check-unpopulated.sh LOG: the unpopulated guests (unpopulated ISO: the
# domains unpopulated and unpopulated64) read and wrote gpas where nothing
# is and their domains went on. The log must have, for each: exactly one
# hypervisor line
#     (XEN) dN: read to gpa G where nothing is, at RIP R (reads ~0, writes
#     dropped; logged once)
# (the first access, at the ballooned-out page the guest names first),
# the guest's count `unpopulated: N accesses where nothing is`, the
# hypervisor's count when the domain ends, equal to it,
#     (XEN) dN (unpopulated): N accesses where nothing is (read ~0, ...)
# and its PASS line. Prints one line; exits 0 if it holds, 1 if not, 2 on
# usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")

# check NAME: prints what failed, or the figures; returns 1 on failure.
check() {
	local name=$1 dom id first logged guest xen
	dom=$(sed -n "s/^(XEN) \(d[0-9]*\) ($name): .*/\1/p" <<<"$log" | head -1)
	[[ -n $dom ]] || { echo "FAIL: no domain $name in the log"; return 1; }
	id=${dom#d}
	first=$(sed -n "s/^(d$id) unpopulated: ballooned out: 0x0*\([0-9a-f]*\)$/\1/p" <<<"$log")
	[[ -n $first ]] || { echo "FAIL: $dom did not name its ballooned-out page"; return 1; }
	logged=$(grep -c "^(XEN) $dom: .* where nothing is, at RIP [0-9a-f]* (reads ~0, writes dropped; logged once)$" <<<"$log" || true)
	if [[ $logged != 1 ]]; then
		echo "FAIL: $dom: the access where nothing is logged $logged times, not once"
		return 1
	fi
	if ! grep -q "^(XEN) $dom: read to gpa $first where nothing is" <<<"$log"; then
		echo "FAIL: $dom: the line logged is not its first access (a read at $first)"
		return 1
	fi
	guest=$(sed -n "s/^(d$id) unpopulated: \([0-9]*\) accesses where nothing is$/\1/p" <<<"$log")
	xen=$(sed -n "s/^(XEN) $dom ($name): \([0-9]*\) accesses where nothing is (read ~0, writes dropped)$/\1/p" <<<"$log")
	if [[ -z $guest || $guest != "$xen" ]]; then
		echo "FAIL: $dom: the guest made ${guest:-no count of} accesses, the hypervisor counted ${xen:-none}"
		return 1
	fi
	if ! grep -q "^(XEN) $dom ($name): PASS" <<<"$log"; then
		echo "FAIL: $dom did not pass"
		return 1
	fi
	echo "$dom ($name) $xen"
}

out=
for name in unpopulated unpopulated64; do
	res=$(check "$name") || { echo "$res"; exit 1; }
	out="$out${out:+, }$res"
done
echo "PASS: accesses where nothing is, logged once, counted, the domains passed: $out"
