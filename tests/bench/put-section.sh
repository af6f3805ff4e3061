#!/usr/bin/env bash
# put-section.sh REPORT SECTION: put SECTION (a Markdown file that starts
# with its "## " heading) into REPORT, in place of the section of the same
# heading if REPORT has one, else before its "## How to reproduce" (else
# at its end).
set -euo pipefail
report=$1 section=$2
heading=$(head -n 1 "$section")
awk -v heading="$heading" -v file="$section" '
	function put(line) {
		while ((getline line < file) > 0)
			print line
		print ""
		done = 1
	}
	/^## / { skip = ($0 == heading); if (skip && !done) put() }
	/^## How to reproduce/ && !done { put() }
	!skip { print }
	END { if (!done) { print ""; put() } }
' "$report" >"$report.tmp"
mv "$report.tmp" "$report"
