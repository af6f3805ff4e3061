#!/bin/bash
# check-linux.sh LOG: a stock Linux kernel booted as a domain reached its
# userspace and powered off (the linuxpvh and linuxbz ISOs, issue 14). The
# initramfs's /init (tests/linux/fetch.sh) prints
#     LINUX-GUEST-UP cpus=N
# then sleeps a second and prints LINUX-GUEST-DONE before `poweroff -f`.
# Both must appear in the domain's console lines, in that order, with N
# the domain's vCPU count (from the hypervisor's "dN (linux): ..., K vCPUs"
# line), a PVH kernel's grant table must have been set up (the
# LINUX-GUEST-DMESG lines /init copies from dmesg), and the domain must
# end with PASS (poweroff). Prints one line;
# exits 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
built=$(grep -m1 '^(XEN) d[0-9]* (linux): [0-9]* MiB, [0-9]* vCPU' <<<"$log" || true)
[[ -n $built ]] || { echo "FAIL: no domain named linux was built"; exit 1; }
dom=$(sed 's/^(XEN) \(d[0-9]*\) .*/\1/' <<<"$built")
vcpus=$(sed 's/.* MiB, \([0-9]*\) vCPU.*/\1/' <<<"$built")
up=$(grep -n "^($dom) .*LINUX-GUEST-UP cpus=" <<<"$log" | head -1 || true)
done_line=$(grep -n "^($dom) .*LINUX-GUEST-DONE" <<<"$log" | head -1 | cut -d: -f1 || true)
# Booted through the Linux boot protocol, a kernel is an HVM guest and
# waits for Xen's platform PCI device (which there is none of) to set up
# grant tables; a PVH one sets them up at once.
grant=''
if [[ $built == *", PVH entry "* ]]; then
	if ! why=$(linux_grant_table "$log" "$dom"); then
		echo "FAIL: $why"
		exit 1
	fi
	grant='grant table set up, '
fi
if [[ -z $up ]]; then
	echo "FAIL: $dom never printed LINUX-GUEST-UP (its /init did not run)"
	exit 1
fi
cpus=$(sed 's/.*LINUX-GUEST-UP cpus=\([0-9]*\).*/\1/' <<<"$up")
if [[ $cpus != "$vcpus" ]]; then
	echo "FAIL: $dom's /init saw $cpus CPUs, the domain has $vcpus"
	exit 1
fi
if [[ -z $done_line || $done_line -lt ${up%%:*} ]]; then
	echo "FAIL: $dom printed no LINUX-GUEST-DONE after LINUX-GUEST-UP (sleep 1 never returned?)"
	exit 1
fi
if ! grep -q "^(XEN) $dom (linux): PASS (poweroff" <<<"$log"; then
	echo "FAIL: $dom did not end with PASS (poweroff)"
	exit 1
fi
echo "PASS: $dom: $grant/init saw $cpus CPUs, slept and powered off"
