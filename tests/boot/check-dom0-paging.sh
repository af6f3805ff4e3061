#!/bin/bash
# check-dom0-paging.sh LOG: issue 13's check (the dom0page and
# dom0pagebochs ISOs). dom0 ran p.sh: pagetest created paused as domain 2,
# xenpaging attached and evicted it down to its target, pagetest ran to
# SUCCESS (every page checked against its pattern every pass), the stats
# line for d2 shows evictions and page-ins above zero, then hello started
# lazily as domain 3 (every gfn paged out, served on first touch) and
# passed, and the script's summary says 9 commands, 0 failed. Prints one
# line: what it found, or the first problem; exits 0 if all holds, 1 if
# not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
stats_re='^\(d1\) xenpaging d2: resident ([0-9]+), evicted ([0-9]+), page-ins ([0-9]+), faults/s [0-9]+, store [0-9]+ bytes'
# The --stats line: the one right after `xl wait 2` said poweroff.
stats=$(awk '/^\(d1\) domain 2 \(pt\): poweroff$/ { n = 1; next } n && /^\(d1\) xenpaging d2: resident / { print; exit }' <<<"$log")
[[ $stats =~ $stats_re ]] ||
    { echo "no xenpaging --stats line for d2 after pagetest finished"; exit 1; }
evicted=${BASH_REMATCH[2]} pageins=${BASH_REMATCH[3]}
((evicted > 0 && pageins > 0)) ||
    { echo "d2's stats: $evicted evictions, $pageins page-ins (both must be above zero)"; exit 1; }
grep -Eq '^\(d1\) xenpaging d2: resident [0-9]+ of [0-9]+ pages \(target [0-9]+\) after [1-9][0-9]* evictions' <<<"$log" ||
    { echo "xenpaging never reported d2 at its target"; exit 1; }
grep -Eq '^\(d1\) xenpaging d3: lazy start: first output after [0-9]+ ms, [1-9][0-9]* pages touched by then$' <<<"$log" ||
    { echo "no lazy-start report for d3"; exit 1; }
out=$(expect_lines "$1" <<'EOF'
(d1) domain 2 (pt): poweroff
(d2) Test result: SUCCESS
(d1) domain 3 (lz): poweroff
(d3) Test result: SUCCESS
(d1) script p.sh: 9 commands, 0 failed
(d1) Test result: SUCCESS
EOF
) || { echo "$out"; exit 1; }
echo "d2: $evicted evictions, $pageins page-ins, SUCCESS; d3 started lazily, SUCCESS; p.sh: 9 commands, 0 failed"
