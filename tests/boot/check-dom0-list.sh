#!/bin/bash
# check-dom0-list.sh LOG: dom0 ran list.sh (the dom0list ISO, tests/dom0/).
# xl list showed `two` (24 MiB, 2 vCPUs, paused: --p---) and `one` (8 MiB,
# 1 vCPU, shut down: ---s--) after dom0, with the ids their creation
# printed; `xl console-log one` gave one's three hello lines; `xl dmesg`
# the hypervisor's log from its first line to one's shutdown; after both
# were destroyed xl list showed dom0 alone. The script's summary (9
# commands, 0 failed), and autoexit's free pages equal to those before the
# domains were built. Prints one line: what it found, or the first problem;
# exits 0 if all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"
# shellcheck source-path=SCRIPTDIR source=xl-lib.sh
source "$BOOT_TEST_DIR/xl-lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")

# The id xl create printed for NAME.
created_id() {
    sed -nE "s/^\(d1\) domain ([0-9]+) \($1\): .*, hello\.elf(, paused)?\$/\1/p" <<<"$log"
}
two=$(created_id two)
one=$(created_id one)
[[ $two =~ ^[0-9]+$ && $one =~ ^[0-9]+$ ]] ||
    check_fail "no single 'domain N (two|one): ...' line from xl create"

mapfile -t lists < <(xl_lists "$log")
((${#lists[@]} == 2)) || check_fail "${#lists[@]} xl lists, not 2"
want="two $two 24 2 --p---;one $one 8 1 ---s--"
[[ ${lists[0]#*;} == "$want" && ${lists[0]%%;*} =~ $XL_DOM0_ROW ]] ||
    check_fail "xl list: '${lists[0]}', not dom0's row then '$want'"
[[ ${lists[1]} =~ $XL_DOM0_ROW ]] ||
    check_fail "xl list after the destroys: '${lists[1]}', not dom0 alone"

# xl console-log one: its three lines, right after the list's rows.
got=$(awk -v re="^\\\\(d1\\\\) one +$one " '
    $0 ~ re { on = 1; next }
    on && /^\(d1\) / { print; if (++n == 3) exit }' <<<"$log")
want=$(printf '(d1) %s\n' "Hello from vCPU 0 of domain $one" \
    'Hello through console_io' 'Test result: SUCCESS')
[[ $got == "$want" ]] ||
    check_fail "xl console-log one printed '${got//$'\n'/|}', not its hello lines"

out=$(expect_lines "$1" <<EOF
(d1) domain $two (two): 24 MiB, 2 vCPUs, hello.elf, paused
(d1) domain $one (one): 8 MiB, 1 vCPU, hello.elf
(d1) domain $one (one): poweroff
(d1) (XEN) Xen-lineage microhypervisor starting
(d1) (XEN) d$one (one): shutdown: poweroff
(XEN) d$one (one): destroyed
(XEN) d$two (two): destroyed
(d1) script list.sh: 9 commands, 0 failed
EOF
) || check_fail "$out"

out=$(xl_no_leak "$log") || check_fail "$out"
echo "list.sh: two and one listed right, one's console log, dmesg, $out pages free as before"
