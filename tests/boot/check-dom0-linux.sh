#!/bin/bash
# check-dom0-linux.sh LOG: the stock Linux kernel created from dom0 (the
# dom0linux ISO, tests/dom0/linux.sh): `xl create` built it as domain 2
# (the ELF at its PVH note, 2 vCPUs, the initramfs as its ramdisk, its PV
# console), its /init printed both markers with 2 CPUs (so dom0's builder
# left vCPU 1 for the kernel to start), it powered off, and the script's
# summary says 3 commands, 0 failed. Prints one line; exits 0 if all
# holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
grep -q '^(XEN) d2v1: offline until the guest starts it$' <<<"$log" ||
    { echo "d2's vCPU 1 was not created offline"; exit 1; }
linux_markers "$log" d2 2 || exit 1
out=$(expect_lines "$1" <<'EOF'
(d1) domain 2 (linux): poweroff
(d1) script linux.sh: 3 commands, 0 failed
(d1) Test result: SUCCESS
EOF
) || { echo "$out"; exit 1; }
echo "d2 (Linux from xl create, 2 vCPUs) reached /init and powered off; linux.sh: 3 commands, 0 failed"
