#!/bin/bash
# check-dom0-xl.sh LOG: issue 12's check (the dom0xl ISO). dom0 ran t.sh:
# `xl info`, `xl create hello ...`, `xl list` (Xen's columns in Xen's
# order, then ours, with hello's row: id 2, 16 MiB, 1 vCPU), `xl wait
# hello` (poweroff), `xl destroy hello`, `xl list` (hello gone), then
# poweroff, which printed the script's summary: 6 commands, 0 failed.
# hello (d2) printed SUCCESS. Prints one line: what it found, or the first
# problem; exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
header='(d1) Name                                        ID   Mem VCPUs      State   Time(s)    Paged'
n=$(grep -cFx -- "$header" <<<"$log" || true)
((n == 2)) || { echo "xl list's header seen $n times, not 2"; exit 1; }
grep -Eq '^\(d1\) hello +2 +16 +1 +[-rbpscd]{6} +[0-9]+\.[0-9] +0$' <<<"$log" ||
    { echo "no xl list row for hello (id 2, 16 MiB, 1 vCPU)"; exit 1; }
rows_after=$(awk -v h="$header" '$0 == h { n++ } n == 2 && /^\(d1\) hello / { print }' <<<"$log")
[[ -z $rows_after ]] || { echo "hello still listed after xl destroy"; exit 1; }
expect_lines "$1" <<'EOF'
(d1) domain 2 (hello): 16 MiB, 1 vCPU, hello.elf
(d2) Test result: SUCCESS
(d1) domain 2 (hello): poweroff
(d1) script t.sh: 6 commands, 0 failed
(d1) Test result: SUCCESS
EOF
