#!/bin/bash
# check-dom0-loop.sh LOG: dom0 ran loop.sh (the dom0loop ISO, 100 rounds)
# or loopsmall.sh (dom0loopsmall, 10 rounds), tests/dom0/. Every round
# created `loop` (4 MiB, 1 vCPU), saw it power off and destroyed it, and
# no round failed; xl list then showed dom0 alone; the script's summary
# (2 commands, 0 failed); autoexit's free pages equal to those before the
# domains were built (nothing leaked). Prints one line: what it found, or
# the first problem; exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"
# shellcheck source-path=SCRIPTDIR source=xl-lib.sh
source "$BOOT_TEST_DIR/xl-lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
if grep -qx '(d1) script loop.sh: 2 commands, 0 failed' <<<"$log"; then
    script=loop.sh rounds=100
elif grep -qx '(d1) script loopsmall.sh: 2 commands, 0 failed' <<<"$log"; then
    script=loopsmall.sh rounds=10
else
    check_fail "no summary 'script loop.sh (or loopsmall.sh): 2 commands, 0 failed'"
fi

out=$(grep -m 1 -E '^\(d1\) repeat: ' <<<"$log" || true)
[[ -z $out ]] || check_fail "$out"
# Each round's line from xl create, xl wait and the hypervisor's destroy.
while IFS='|' read -r what re; do
    n=$(grep -cE -- "$re" <<<"$log" || true)
    ((n == rounds)) || check_fail "loop $what $n times, not $rounds"
done <<'EOF'
created|^\(d1\) domain [0-9]+ \(loop\): 4 MiB, 1 vCPU, hello\.elf$
seen to power off|^\(d1\) domain [0-9]+ \(loop\): poweroff$
destroyed|^\(XEN\) d[0-9]+ \(loop\): destroyed$
EOF

mapfile -t lists < <(xl_lists "$log")
((${#lists[@]} == 1)) || check_fail "${#lists[@]} xl lists, not 1"
[[ ${lists[0]} =~ $XL_DOM0_ROW ]] ||
    check_fail "xl list after the loop: '${lists[0]}', not dom0 alone"

out=$(xl_no_leak "$log") || check_fail "$out"
echo "$script: $rounds rounds, then dom0 alone, $out pages free as before"
