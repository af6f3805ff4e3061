#!/usr/bin/env bash
# Every hypervisor and tool-library header must compile on its own: include
# each one alone in an empty translation unit. Prints failures, then
# "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2046
flags=$(make -s --no-print-directory print-xen-cflags)
pass=0 fail=0
# The tool libraries' headers (tools/libs/include) too, on the same flags.
flags="$flags -Itools/libs/include"
for h in xen/include/xen/*.h xen/include/public/*.h \
	xen/arch/x86/include/asm/*.h tools/libs/include/*.h; do
	[ -f "$h" ] || continue
	inc=${h#xen/include/}
	inc=${inc#xen/arch/x86/include/}
	inc=${inc#tools/libs/include/}
	# shellcheck disable=SC2086
	if out=$(echo "#include <$inc>" |
		gcc $flags -Wno-missing-prototypes -x c -c - -o /dev/null 2>&1)
	then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL header: $h does not compile on its own"
		echo "$out" | head -10
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
