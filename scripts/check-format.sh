#!/usr/bin/env bash
# Check every tracked C source and header against .clang-format; print the
# files that differ (with the diff), then "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || {
	echo "clang-format is not installed"
	echo "0 passed, 1 failed"
	exit 1
}
pass=0 fail=0
while IFS= read -r f; do
	[ -f "$f" ] || continue
	if clang-format "$f" | diff -u "$f" - >/tmp/check-format.$$; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL format: $f (fix: clang-format -i $f)"
		head -20 /tmp/check-format.$$
	fi
done < <(git ls-files --cached --others --exclude-standard \
	'xen/*.[ch]' 'tests/*.[ch]' 'tools/*.[ch]')
rm -f /tmp/check-format.$$
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
