#!/usr/bin/env bash
# Every hypervisor header, and every header of dom0's kernel, must compile
# on its own: include each one alone in an empty translation unit. Prints failures, then "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2046
flags=$(make -s --no-print-directory print-xen-cflags)
pass=0 fail=0
for h in xen/include/xen/*.h xen/include/public/*.h \
	xen/arch/x86/include/asm/*.h; do
	[ -f "$h" ] || continue
	inc=${h#xen/include/}
	inc=${inc#xen/arch/x86/include/}
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
# dom0's headers (tools/minios/include), with its own flags.
minios_flags=$(make -s --no-print-directory -C tools/minios print-cflags)
for h in tools/minios/include/*.h tools/minios/include/minios/*.h; do
	[ -f "$h" ] || continue
	inc=${h#tools/minios/include/}
	# shellcheck disable=SC2086
	if out=$(cd tools/minios && echo "#include <$inc>" |
		gcc $minios_flags -x c -c - -o /dev/null 2>&1)
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
