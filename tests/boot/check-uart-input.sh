#!/bin/bash
# check-uart-input.sh LOG: console input reached the uart guests' 16550s
# (the uartin ISO, tests/boot/uart-input.txt): d1, the control domain with
# the focus, read "a^Ab^A^Ac" (Ctrl-A once or twice is input like any
# other byte); Ctrl-A three times moved the focus to d2, which read
# "second"; neither read the other's bytes. Prints one line; exits 0 if
# it holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

log=$(clean_log "$1")
for want in "(d1) uart: input line 'a^Ab^A^Ac'" \
	"(XEN) console input: d2 (uart2) (Ctrl-A three times to switch)" \
	"(d2) uart: input line 'second'"; do
	if ! grep -qF -- "$want" <<<"$log"; then
		echo "FAIL: no line starting: $want"
		exit 1
	fi
done
if (($(grep -c "uart: input line" <<<"$log") != 2)); then
	echo "FAIL: more than the two input lines"
	exit 1
fi
echo "PASS: d1 read its line through COM1, Ctrl-A x3 moved the focus, d2 read its own"
