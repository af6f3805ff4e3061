#!/bin/bash
# check-gnttab.sh LOG: the hypervisor logged each grant_table_op the
# gnttab guest asked for and does not provide (map_grant_ref 0, copy 5)
# once, naming the domain. Prints one line; exits 0 if it holds, 1 if
# not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
dom=$(sed -n 's/^(XEN) \(d[0-9]*\) (gnttab): .*/\1/p' <<<"$log" | head -1)
[[ -n $dom ]] || { echo "FAIL: no domain gnttab in the log"; exit 1; }
for op in 0 5; do
	n=$(grep -c "^(XEN) $dom: grant_table_op $op not supported (-ENOSYS)$" \
		<<<"$log" || true)
	if [[ $n != 1 ]]; then
		echo "FAIL: $dom: grant_table_op $op logged $n times, not once"
		exit 1
	fi
done
echo "PASS: $dom: unsupported grant_table_ops logged once each"
