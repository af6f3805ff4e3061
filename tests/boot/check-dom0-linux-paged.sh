#!/bin/bash
# check-dom0-linux-paged.sh LOG: the stock Linux kernel created from dom0
# (the dom0linuxpaged ISO, tests/dom0/linuxpaged.sh): `xl create` built it
# as domain 2 (the ELF at its PVH note, 2 vCPUs, the initramfs as its ramdisk),
# xenpaging held it at half of its 256 MiB while it booted, its /init
# printed both markers with 2 CPUs, it powered off, the stats line shows
# evictions and page-ins above zero, and the script's summary says
# 6 commands, 0 failed. Prints one line; exits 0 if all holds, 1 if not,
# 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
stats_re='^\(d1\) xenpaging d2: resident ([0-9]+), evicted ([0-9]+), page-ins ([0-9]+), faults/s [0-9]+, store [0-9]+ bytes'
stats=$(awk '/^\(d1\) domain 2 \(linux\): poweroff$/ { n = 1; next } n && /^\(d1\) xenpaging d2: resident / { print; exit }' <<<"$log")
[[ $stats =~ $stats_re ]] ||
    { echo "no xenpaging --stats line for d2 after Linux powered off"; exit 1; }
evicted=${BASH_REMATCH[2]} pageins=${BASH_REMATCH[3]}
((evicted > 0 && pageins > 0)) ||
    { echo "d2's stats: $evicted evictions, $pageins page-ins (both must be above zero)"; exit 1; }
linux_markers "$log" d2 2 || exit 1
out=$(expect_lines "$1" <<'EOF'
(d1) domain 2 (linux): poweroff
(d1) script linuxpaged.sh: 6 commands, 0 failed
(d1) Test result: SUCCESS
EOF
) || { echo "$out"; exit 1; }
echo "d2 (Linux, 2 vCPUs) booted and powered off under xenpaging: $evicted evictions, $pageins page-ins; linuxpaged.sh: 6 commands, 0 failed"
