#!/bin/bash
# check-dom0-bad.sh LOG: dom0 ran bad.sh (the dom0bad ISO, tests/dom0/):
# each bad command was refused with its clear message (a missing domain by
# id and by name, 3 GiB asked of the host, an image that is not an ELF, a
# missing file, an unknown xl command with the usage, create without mem=
# or with a number for a name, a bad wait time, a name taken, destroying
# what is gone) and no `!` found a success; the domains the failed creates
# made were destroyed; xl list showed dom0 alone before and after a good
# create of hello, which ran (SUCCESS) and was destroyed. The unknown
# command on line 21 stopped the script (17 commands, 1 failed; nothing
# after it ran), the shell's poweroff gave FAILURE, and autoexit's free
# pages equal those before the domains were built. Prints one line: what
# it found, or the first problem; exits 0 if all holds, 1 if not, 2 on
# usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"
# shellcheck source-path=SCRIPTDIR source=xl-lib.sh
source "$BOOT_TEST_DIR/xl-lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")

out=$(grep -m 1 -E '^\(d1\) (!: .*|never reached)$' <<<"$log" || true)
[[ -z $out ]] || check_fail "unexpected: $out"

# Messages with a number that depends on the host or the domain ids.
while IFS= read -r re; do
    grep -qE -- "$re" <<<"$log" || check_fail "no line matching $re"
done <<'EOF'
^\(d1\) xl create: big \(image=hello\.elf\): 3072 MiB asked, the host has [0-9]+ MiB free: domain [0-9]+ destroyed$
^\(d1\) xl create: text \(image=hello\.txt\): not an ELF image: domain [0-9]+ destroyed$
^\(XEN\) d[0-9]+ \(big\): destroyed$
^\(XEN\) d[0-9]+ \(text\): destroyed$
EOF

hello=$(sed -nE 's/^\(d1\) domain ([0-9]+) \(hello\): 16 MiB, 1 vCPU, hello\.elf$/\1/p' <<<"$log")
[[ $hello =~ ^[0-9]+$ ]] || check_fail "no single 'domain N (hello): 16 MiB, ...' line"

mapfile -t lists < <(xl_lists "$log")
((${#lists[@]} == 2)) || check_fail "${#lists[@]} xl lists, not 2"
[[ ${lists[0]} =~ $XL_DOM0_ROW ]] ||
    check_fail "xl list after the bad input: '${lists[0]}', not dom0 alone"
[[ ${lists[1]} =~ $XL_DOM0_ROW ]] ||
    check_fail "xl list after hello: '${lists[1]}', not dom0 alone"

out=$(expect_lines "$1" <<EOF
(d1) xl destroy: no domain 99
(d1) xl pause: no domain called 'nosuch'
(d1) xl create: image=nosuch.elf: no such file
(d1) xl: unknown command 'nosuchcommand'
(d1) usage: xl COMMAND [ARGS]
(d1) xl create: mem= and image= are required
(d1) xl create: name '42': a number is a domain id
(d1) xl wait: notanumber: not a number of seconds
(d1) xl create: a domain called 'hello' exists ($hello)
(d$hello) Test result: SUCCESS
(d1) domain $hello (hello): poweroff
(XEN) d$hello (hello): destroyed
(d1) xl destroy: no domain called 'hello'
(d1) dom0: unknown command 'nosuchcommand' (try help)
(d1) script bad.sh: line 21: nosuchcommand with arguments failed
(d1) script bad.sh: 17 commands, 1 failed
(d1) dom0# poweroff
(d1) Test result: FAILURE
EOF
) || check_fail "$out"

out=$(xl_no_leak "$log") || check_fail "$out"
echo "bad.sh: every bad input refused, hello ran after them, $out pages free as before"
