#!/usr/bin/env bash
# Every hypervisor header, tool-library header and header of dom0's kernel
# must compile on its own: include each one alone in an empty translation
# unit. Prints failures, then "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0 fail=0

# check DIR FLAGS HEADER INC: #include <INC> alone, compiled in DIR with
# FLAGS; HEADER names it in a failure.
check() {
	local out
	# shellcheck disable=SC2086
	if out=$(cd "$1" && echo "#include <$4>" |
		gcc $2 -x c -c - -o /dev/null 2>&1)
	then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL header: $3 does not compile on its own"
		echo "$out" | head -10
	fi
}

# The tool libraries' headers (tools/libs/include) too, on the same flags.
flags="$(make -s --no-print-directory print-xen-cflags) -Wno-missing-prototypes"
flags="$flags -Itools/libs/include"
for h in xen/include/xen/*.h xen/include/public/*.h \
	xen/arch/x86/include/asm/*.h tools/libs/include/*.h; do
	[ -f "$h" ] || continue
	inc=${h#xen/include/}
	inc=${inc#xen/arch/x86/include/}
	check . "$flags" "$h" "${inc#tools/libs/include/}"
done
# dom0's headers (tools/minios/include), with its own flags.
flags=$(make -s --no-print-directory -C tools/minios print-cflags)
for h in tools/minios/include/*.h tools/minios/include/minios/*.h; do
	[ -f "$h" ] || continue
	check tools/minios "$flags" "$h" "${h#tools/minios/include/}"
done
# xenpaging's headers (tools/xenpaging), with dom0's flags: it runs there.
flags=$(make -s --no-print-directory -C tools/minios print-cflags)
for h in tools/xenpaging/*.h; do
	check tools/minios "$flags -I../xenpaging" "$h" "${h#tools/xenpaging/}"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
