#!/usr/bin/env bash
# Run every test suite (host unit tests, emulator boot tests), then print
# one line "N passed, M failed" over all of them; exit non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."

total_pass=0
total_fail=0
start=$SECONDS

# add_summary NAME FILE: add FILE's summary line to the totals.
add_summary() {
	local name=$1 summary p f
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$2" | tail -n 1)
	if [[ -z $summary ]]; then
		echo "=== $name: no summary line: counted as 1 failure"
		total_fail=$((total_fail + 1))
		return
	fi
	read -r p _ f _ <<<"$summary"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

# run_suite NAME CMD...: run CMD, echo its output, add its summary line.
run_suite() {
	local name=$1 out
	shift
	echo "=== $name: $*"
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	add_summary "$name" "$out"
	rm -f "$out"
}

# The --early boot rows (a long single-core Bochs run) start now, beside
# the host suites, which leave a core idle; their output comes at the end.
# Boot tests named on the command line run in the boot suite alone.
no_early=()
if (($# == 0)); then
	early_out=$(mktemp)
	echo "=== boot-early: started beside the host suites"
	tests/boot/run.sh -j 1 --dist dist --logdir build/test-logs \
		--early-only >"$early_out" 2>&1 &
	early_pid=$!
	no_early=(--no-early)
fi

run_suite format scripts/check-format.sh
run_suite headers scripts/check-headers.sh
run_suite public-abi scripts/check-public-headers.sh
run_suite unit make --no-print-directory -C tests/unit
# Boot tests two at a time on this 2-core machine (one emulator a core;
# the --solo rows alone): the host's cores, at least 1.
run_suite boot tests/boot/run.sh -j "$(nproc 2>/dev/null || echo 1)" \
	--dist dist --logdir build/test-logs "${no_early[@]}" "$@"
if ((${#no_early[@]})); then
	wait "$early_pid"
	echo "=== boot-early: tests/boot/run.sh --early-only"
	cat "$early_out"
	add_summary boot-early "$early_out"
	rm -f "$early_out"
fi

echo "=== all suites took $((SECONDS - start))s"
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
