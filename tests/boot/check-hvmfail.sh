#!/bin/bash
# check-hvmfail.sh LOG: booted with hvm_fail_cpu=1 on two CPUs, CPU1 must
# be reported unable to run guests and left out of vCPU placement: both
# CPUs online, the line
#     (XEN) CPU1: cannot enable HVM (error -5): no guest vCPU will run on it
# and every `(XEN) dNvM: placed on CPUk` line (one per guest vCPU, six in
# all) names CPU0. Prints one line; exits 0 if it holds, 1 if not, 2 on
# usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean=$(clean_log "$1")
if ! out=$(expect_lines "$1" <<'LINES'
(XEN) CPU1: cannot enable HVM (error -5): no guest vCPU will run on it
(XEN) 2 CPUs online
LINES
); then
    echo "$out"
    exit 1
fi
placed=$(grep -aE '^\(XEN\) d[0-9]+v[0-9]+: placed on CPU[0-9]+$' <<<"$clean" || true)
count=$(grep -c . <<<"$placed" || true)
if ((count != 6)); then
    echo "expected 6 vCPU placement lines, found $count"
    exit 1
fi
elsewhere=$(grep -v ' on CPU0$' <<<"$placed" || true)
if [[ -n $elsewhere ]]; then
    echo "vCPU placed off CPU0: ${elsewhere%%$'\n'*}"
    exit 1
fi
echo "CPU1 left out: all 6 guest vCPUs placed on CPU0"
