#!/bin/bash
# check-dom0-shell.sh LOG: dom0's shell ran the commands the boot test fed
# it on COM1 (dom0-shell-input.txt): each echoed with its prompt once
# Enter came (backspace and DEL applied: "helxx" BS DEL "lo" is "hello"),
# quotes grouping words and dropped, each bad command failing with its
# message and the shell going on, a comment line not run, the built-ins answering, the selftest
# passing, and poweroff giving the verdict. Prints one line; exits 0 if
# all holds, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

if clean_log "$1" | grep -q "^(d1) dom0: unknown command '#'"; then
    echo "the comment line was run as a command"
    exit 1
fi
expect_lines "$1" <<'EOF2'
(d1) dom0: shell on the serial console (type help)
(d1) dom0# echo hello   world "quoted   words" cmdline="a b"
(d1) hello world quoted   words cmdline=a b
(d1) dom0# echo typo: hello
(d1) typo: hello
(d1)   cat NAME                 print the file NAME
(d1) 0 files
(d1) cat: no file 'nosuch' (see files)
(d1) sleep: 'abc' is not a number of milliseconds up to 3600000
(d1) dom0# sleep 10
(d1) dom0: unknown command 'frobnicate' (try help)
(d1) dom0: unclosed quote in 'echo "unclosed'
(d1) dom0#   # a comment: not run
(d1)    0  running        main
(d1) selftest: libs: PASS
(d1) selftest: 11 passed, 0 failed
(d1) dom0# poweroff
(d1) Test result: SUCCESS
EOF2
