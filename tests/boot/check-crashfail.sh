#!/bin/bash
# check-crashfail.sh LOG: the crashfail ISO's one domain, memory, marked
# expect=crash, is not crashed by the hypervisor (it gives its own verdict
# and shuts itself down): the log must say
#     (XEN) dN (memory): FAIL (..., expected a crash)
#     (XEN) domains: 0 passed, 1 failed
# (the harness, run with --outcome fail, checks the fail status). Prints
# one line; exits 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

clean=$(clean_log "$1")
verdict=$(grep -aE '^\(XEN\) d[0-9]+ \(memory\): (PASS|FAIL) \(' <<<"$clean" || true)
if [[ -z $verdict ]]; then
    echo "no verdict line for memory"
    exit 1
fi
if ! [[ $verdict =~ ^\(XEN\)\ d[0-9]+\ \(memory\):\ FAIL\ \(.*,\ expected\ a\ crash\)$ ]]; then
    echo "memory: ${verdict#(XEN) }, not a FAIL for want of a crash"
    exit 1
fi
if ! grep -aFxq '(XEN) domains: 0 passed, 1 failed' <<<"$clean"; then
    echo "no '(XEN) domains: 0 passed, 1 failed' line"
    exit 1
fi
echo "${verdict#(XEN) }"
