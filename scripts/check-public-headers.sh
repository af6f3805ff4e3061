#!/usr/bin/env bash
# The public ABI as tools see it: each xen/include/public/*.h compiles
# alone (a file that includes it and nothing else) as hosted C99 with
# -Wall -Werror, 64-bit and 32-bit, and tests/public/layout.c checks every
# structure's layout under both. Prints failures, then "N passed, M failed".
#
# gcc -m32 needs no multilib here: -ffreestanding takes gcc's own
# <stdint.h> rather than the (absent) 32-bit libc's, and -fsyntax-only
# needs no 32-bit assembler or libraries.
set -uo pipefail
cd "$(dirname "$0")/.."
cc=${CC:-gcc}
base=(-std=c99 -Wall -Wextra -Werror -x c)
pass=0 fail=0

# check WHAT FLAGS...: compile stdin with FLAGS, count, explain a failure.
check() {
	local what=$1 out
	shift
	if out=$("$cc" "${base[@]}" "$@" - 2>&1); then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL public: $what"
		echo "$out" | head -10
	fi
}

for h in xen/include/public/*.h xen/include/public/io/*.h; do
	name=${h#xen/include/}
	src="#include \"$PWD/$h\""
	check "$name alone, 64-bit hosted" -m64 -c -o /dev/null <<<"$src"
	check "$name alone, 32-bit" -m32 -ffreestanding -fsyntax-only <<<"$src"
done
layout=(-std=c11 -Ixen/include/public -fsyntax-only)
check "layouts, 64-bit hosted" "${layout[@]}" -m64 <tests/public/layout.c
check "layouts, 32-bit" "${layout[@]}" -m32 -ffreestanding \
	<tests/public/layout.c
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
