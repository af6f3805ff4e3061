#!/bin/bash
# check-nodomain.sh LOG: with autoexit, a boot that built no domain ends
# at once (the nodomain ISO): right after "(XEN) Boot complete" the log
# must say
#     (XEN) autoexit: no domain was built
#     (XEN) autoexit: N pages free, N before the domains were built
#     (XEN) domains: 0 passed, 0 failed
# (the harness, run with --outcome fail, checks the fail status). Prints
# one line; exits 0 if it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

got=$(clean_log "$1" | grep -a -A3 '^(XEN) Boot complete: ' |
    sed -E 's/[0-9]+ pages free, [0-9]+ before/N pages free, N before/' || true)
want_tail=$'(XEN) autoexit: no domain was built\n(XEN) autoexit: N pages free, N before the domains were built\n(XEN) domains: 0 passed, 0 failed'
if [[ -z $got ]]; then
    echo "no Boot complete line"
    exit 1
fi
if [[ ${got#*$'\n'} != "$want_tail" ]]; then
    echo "after Boot complete: $(echo "${got#*$'\n'}" | tr '\n' '|')"
    exit 1
fi
echo "the run ended right after Boot complete: no domain was built"
