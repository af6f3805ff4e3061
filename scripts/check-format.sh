#!/usr/bin/env bash
# Check every tracked C source and header against .clang-format; print the
# files that differ (with the diff), then "N passed, M failed". One
# clang-format process reads them all (--dry-run names each file that
# differs); only those are formatted again for their diffs.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || {
	echo "clang-format is not installed"
	echo "0 passed, 1 failed"
	exit 1
}
files=()
while IFS= read -r f; do
	[ -f "$f" ] && files+=("$f")
done < <(git ls-files --cached --others --exclude-standard \
	'xen/*.[ch]' 'tests/*.[ch]' 'tools/*.[ch]')
mapfile -t bad < <(clang-format --dry-run --Werror "${files[@]}" 2>&1 |
	sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' |
	sort -u)
for f in "${bad[@]}"; do
	echo "FAIL format: $f (fix: clang-format -i $f)"
	clang-format "$f" | diff -u "$f" - | head -20
done
echo "$((${#files[@]} - ${#bad[@]})) passed, ${#bad[@]} failed"
[ "${#bad[@]}" -eq 0 ]
