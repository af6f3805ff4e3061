#!/bin/bash
# check-dom0-pageplus.sh LOG: the dom0pageplus and dom0pageplusbochs
# ISOs (their domains' size read from the log). dom0 ran pp.sh: bad
# xenpaging arguments refused with their messages (no such domain, a
# target above the domain's memory, a second pager for a paged domain);
# two pagetest domains paged at once (clock and random); domain 2's limit
# lowered then raised while it ran, its pager following both ways;
# domain 3's pager killed mid-run and restarted with its pages kept; both
# domains passed; domain 2 detached with every page back in (xl list then
# shows 0 paged pages for it); the script's summary: 0 failed. Prints one
# line: what it found, or the first problem; exits 0 if all holds, 1 if
# not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
# Domain a's MiB: the numbers below are that many KiB times 1024 (all
# of it), 256 (a quarter).
mib=$(sed -n 's/^(d1) domain 2 (a): \([0-9]*\) MiB, .*/\1/p' <<<"$log")
[[ -n $mib ]] || { echo "no 'domain 2 (a): N MiB' line from xl create"; exit 1; }
all=$((mib * 1024)) quarter=$((mib * 256))
need() {
    grep -Eq -- "$1" <<<"$log" || { echo "missing: $2"; exit 1; }
}
need '^\(d1\) xenpaging d3: pager killed: [1-9][0-9]* pages stay paged out; its ring and store wait for a restart$' \
    "the kill of d3's pager"
need '^\(d1\) xenpaging d3: restarted: [1-9][0-9]* pages paged out kept in the store, the ring taken up again$' \
    "the restart of d3's pager"
need '^\(d1\) xenpaging d2: detached: every page back in \([0-9]+ page-ins now\), the ring closed$' \
    "d2's detach"
need '^\(d1\) xenpaging d3: resident [0-9]+, evicted [1-9][0-9]*, page-ins [1-9][0-9]*, ' \
    "d3's stats with evictions and page-ins"
need "^\\(d1\\) xenpaging d3: attached: $((mib * 256)) pages of RAM, target $quarter KiB, policy random" \
    "d3 paged with the random policy at 25%"
# The last xl list: d2 with nothing paged (after the detach), d3 still paged.
last_list=$(awk '/^\(d1\) Name +ID +Mem/ { rows = "" } { rows = rows "\n" $0 } END { print rows }' <<<"$log")
grep -Eq "^\\(d1\\) a +2 +$mib +2 +[-rbpscd]{6} +[0-9]+\\.[0-9] +0\$" <<<"$last_list" ||
    { echo "the last xl list does not show d2 with 0 paged pages"; exit 1; }
need "^\\(d1\\) xenpaging: target [0-9]+ KiB is above domain 2's memory \\($all KiB\\)\$" \
    "the refusal of a target above d2's memory"
need "^\\(d1\\) xenpaging d2: target $quarter KiB \\(the domain's memory limit changed\\)\$" \
    "d2's pager following xl mem-set down"
need "^\\(d1\\) xenpaging d2: target $all KiB \\(the domain's memory limit changed\\)\$" \
    "d2's pager following xl mem-set up"
out=$(expect_lines "$1" <<'EOF'
(d1) xenpaging: no domain 9
(d1) xenpaging: domain 2 already has a pager (--detach or --kill it first)
(d2) Test result: SUCCESS
(d3) Test result: SUCCESS
(d1) domain 2 (a): poweroff
(d1) domain 3 (b): poweroff
(d1) Test result: SUCCESS
EOF
) || { echo "$out"; exit 1; }
grep -Eq '^\(d1\) script pp.sh: [0-9]+ commands, 0 failed$' <<<"$log" ||
    { echo "pp.sh did not end with 0 failed"; exit 1; }
echo "two paged domains passed; limits followed down and up; kill, restart and detach; bad arguments refused"
