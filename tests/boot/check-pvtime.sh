#!/bin/bash
# check-pvtime.sh LOG: what the pvtime guests wrote through their PV
# console rings reached their "(dN)" lines whole and in order. Each domain
# that printed "pvtime: console ring line 1" must print, in this order:
#     pvtime: console ring line 1
#     pvtime: console ring line 2, in two writes
#     pvtime: burst line 00.......   (96 lines, 00 to 95, 63 characters)
#     pvtime: console ring works after corrupt indexes
# and the hypervisor must report its corrupt indexes once:
#     (XEN) dN (NAME): console output ring indexes corrupt ...: reset
# At least one domain must. A domain that printed "waiting for console ring
# input" must then print the lines of pvtime-input.txt as
#     (dN) pvtime: console ring input: LINE
# (the first, a preamble, may lack its first bytes). Prints one line: what
# it found, or the first problem; exits 0 if all holds, 1 if not, 2 on
# usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"
log=$(clean_log "$1")
fail() {
    echo "$1"
    exit 1
}

mapfile -t doms < <(sed -n 's/^(d\([0-9]*\)) pvtime: console ring line 1$/\1/p' <<<"$log")
((${#doms[@]})) || fail "no domain wrote through its console ring"
for d in "${doms[@]}"; do
    want=("pvtime: console ring line 1"
        "pvtime: console ring line 2, in two writes")
    for ((i = 0; i < 96; i++)); do
        line=$(printf 'pvtime: burst line %02d' "$i")
        want+=("$line$(printf '%*s' $((63 - ${#line})) '' | tr ' ' .)")
    done
    want+=("pvtime: console ring works after corrupt indexes")
    mapfile -t got < <(sed -n "s/^(d$d) \(pvtime: \(console ring \(line\|works\)\|burst\).*\)/\1/p" <<<"$log")
    ((${#got[@]} == ${#want[@]})) ||
        fail "d$d: ${#got[@]} console ring lines, not ${#want[@]}"
    for ((i = 0; i < ${#want[@]}; i++)); do
        [[ ${got[i]} == "${want[i]}" ]] ||
            fail "d$d: ring line $((i + 1)) is '${got[i]}', not '${want[i]}'"
    done
    n=$(grep -c "^(XEN) d$d ([^)]*): console output ring indexes corrupt" <<<"$log" || true)
    ((n == 1)) || fail "d$d: the corrupt indexes were reported $n times"
done
summary="${#doms[@]} domains' console rings whole"

if grep -q '^(d[0-9]*) pvtime: waiting for console ring input' <<<"$log"; then
    mapfile -t want <"$BOOT_TEST_DIR/pvtime-input.txt"
    mapfile -t got < <(sed -n 's/^(d[0-9]*) pvtime: console ring input: //p' <<<"$log")
    ((${#got[@]} == ${#want[@]})) ||
        fail "${#got[@]} input lines came through the ring, ${#want[@]} fed"
    [[ ${want[0]} == *"${got[0]}" ]] ||
        fail "the preamble came back as '${got[0]}'"
    for ((i = 1; i < ${#want[@]}; i++)); do
        [[ ${got[i]} == "${want[i]}" ]] ||
            fail "input line $((i + 1)) came back as '${got[i]}'"
    done
    summary+=", ${#want[@]} input lines through the ring"
fi
echo "$summary"
