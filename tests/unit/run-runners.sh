#!/usr/bin/env bash
# Run unit-test runners one after the other with the same arguments and end
# with one "N passed, M failed" line over all of them; exit non-zero on any
# failure, or if no runner has a test matching the patterns.
#
#   run-runners.sh RUNNER... -- [-v] [PATTERN...]
#
# Each runner's own summary line is left out. A runner that ends without
# one (it crashed) counts as one failure.
set -uo pipefail

runners=()
while [[ $# -gt 0 && $1 != -- ]]; do
	runners+=("$1")
	shift
done
[[ $# -gt 0 ]] && shift

summary='^([0-9]+) passed, ([0-9]+) failed$'
total_pass=0
total_fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for r in "${runners[@]}"; do
	"$r" -n "$@" 2>&1 | tee "$out" | grep -Ev "$summary"
	line=$(grep -E "$summary" "$out" | tail -n 1)
	if [[ $line =~ $summary ]]; then
		total_pass=$((total_pass + BASH_REMATCH[1]))
		total_fail=$((total_fail + BASH_REMATCH[2]))
	else
		echo "FAIL $r: ended without a summary line"
		total_fail=$((total_fail + 1))
	fi
done

if [[ $total_pass -eq 0 && $total_fail -eq 0 ]]; then
	echo "no test matches" >&2
fi
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 && $total_pass -gt 0 ]]
