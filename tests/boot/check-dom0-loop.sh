#!/bin/bash
# check-dom0-loop.sh LOG: dom0 ran loop.sh (the dom0loop ISO, 100 rounds)
# or loopsmall.sh (dom0loopsmall, 10 rounds), tests/dom0/. Every round
# created `loop` (4 MiB, 1 vCPU), saw it power off and destroyed it, and
# no round failed; xl list then showed dom0 alone. Then xl list showed
# `two` (24 MiB, 2 vCPUs, paused: --p---) and `one` (8 MiB, 1 vCPU, shut
# down: ---s--) with the ids their creation printed, `xl console-log` gave
# one's hello lines, `xl dmesg` the hypervisor's log from its first line to
# one's shutdown, and after both were destroyed xl list showed dom0 alone.
# The script's summary (11 commands, 0 failed) and SUCCESS, and autoexit's
# free pages equal to those before the domains were built (nothing
# leaked). Prints one line: what it found, or the first problem; exits 0
# if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"
# shellcheck source-path=SCRIPTDIR source=xl-lib.sh
source "$BOOT_TEST_DIR/xl-lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

fail() {
    echo "$*"
    exit 1
}

log=$(clean_log "$1")
if grep -qx '(d1) script loop.sh: 11 commands, 0 failed' <<<"$log"; then
    script=loop.sh rounds=100
elif grep -qx '(d1) script loopsmall.sh: 11 commands, 0 failed' <<<"$log"; then
    script=loopsmall.sh rounds=10
else
    fail "no summary 'script loop.sh (or loopsmall.sh): 11 commands, 0 failed'"
fi

# count REGEX: the lines of the log that match REGEX (extended).
count() {
    grep -cE -- "$1" <<<"$log" || true
}

out=$(grep -m 1 -E '^\(d1\) repeat: ' <<<"$log" || true)
[[ -z $out ]] || fail "$out"
n=$(count '^\(d1\) domain [0-9]+ \(loop\): 4 MiB, 1 vCPU, hello\.elf$')
((n == rounds)) || fail "loop created $n times, not $rounds"
n=$(count '^\(d1\) domain [0-9]+ \(loop\): poweroff$')
((n == rounds)) || fail "xl wait saw loop power off $n times, not $rounds"
n=$(count '^\(XEN\) d[0-9]+ \(loop\): destroyed$')
((n == rounds)) || fail "loop destroyed $n times, not $rounds"

# The id xl create printed for NAME.
created_id() {
    sed -nE "s/^\(d1\) domain ([0-9]+) \($1\): .*, hello\.elf(, paused)?\$/\1/p" <<<"$log"
}
two=$(created_id two)
one=$(created_id one)
[[ $two =~ ^[0-9]+$ && $one =~ ^[0-9]+$ ]] ||
    fail "no single 'domain N (two|one): ...' line from xl create"

mapfile -t lists < <(xl_lists "$log")
((${#lists[@]} == 3)) || fail "${#lists[@]} xl lists, not 3"
[[ ${lists[0]} =~ $XL_DOM0_ROW ]] ||
    fail "xl list after the loop: '${lists[0]}', not dom0 alone"
want="two $two 24 2 --p---;one $one 8 1 ---s--"
[[ ${lists[1]#*;} == "$want" && ${lists[1]%%;*} =~ $XL_DOM0_ROW ]] ||
    fail "xl list with two and one: '${lists[1]}', not dom0's row then '$want'"
[[ ${lists[2]} =~ $XL_DOM0_ROW ]] ||
    fail "xl list after the destroys: '${lists[2]}', not dom0 alone"

# xl console-log one: its three lines, right after the list's rows.
got=$(awk -v re="^\\\\(d1\\\\) one +$one " '
    $0 ~ re { on = 1; next }
    on && /^\(d1\) / { print; if (++n == 3) exit }' <<<"$log")
want=$(printf '(d1) %s\n' "Hello from vCPU 0 of domain $one" \
    'Hello through console_io' 'Test result: SUCCESS')
[[ $got == "$want" ]] ||
    fail "xl console-log one printed '${got//$'\n'/|}', not its hello lines"

out=$(expect_lines "$1" <<EOF
(d1) domain $two (two): 24 MiB, 2 vCPUs, hello.elf, paused
(d1) domain $one (one): 8 MiB, 1 vCPU, hello.elf
(d1) domain $one (one): poweroff
(d1) (XEN) Xen-lineage microhypervisor starting
(d1) (XEN) d$one (one): shutdown: poweroff
(XEN) d$one (one): destroyed
(XEN) d$two (two): destroyed
EOF
) || fail "$out"

out=$(xl_no_leak "$log") || fail "$out"
echo "$script: $rounds rounds, 3 lists right, $out pages free as before"
