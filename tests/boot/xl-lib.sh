# shellcheck shell=bash
# Helpers for the log checks of dom0's xl scripts (check-dom0-loop.sh,
# check-dom0-list.sh, check-dom0-bad.sh), sourced after lib.sh. Those that
# read the log take it cleaned (clean_log) as their first argument.

# check_fail WHY...: the check's one line, and it fails.
check_fail() {
    echo "$*"
    exit 1
}

# xl_lists LOG: one line per `xl list` dom0 printed, in order: its rows as
# "NAME ID MEM VCPUS STATE" joined by ';' (empty if it had none). The rows
# follow the header; other domains' lines may come between them, a line
# of dom0's that is not a row ends the list. (mawk has no {6}.)
xl_lists() {
    local header state row_re
    header='(d1) Name                                        ID   Mem VCPUs      State   Time(s)    Paged'
    state='[-r][-b][-p][-s][-c][-d]'
    row_re="^\\(d1\\) [^ ]+ +[0-9]+ +[0-9]+ +[0-9]+ +$state +[0-9]+\\.[0-9] +0\$"
    awk -v h="$header" -v re="$row_re" '
        $0 == h { if (n++) print rows; rows = ""; in_list = 1; next }
        in_list && $0 ~ re {
            rows = rows (rows == "" ? "" : ";") $2 " " $3 " " $4 " " $5 " " $6
            next
        }
        in_list && /^\(d1\) / { in_list = 0 }
        END { if (n) print rows }' <<<"$1"
}

# XL_DOM0_ROW: an xl_lists row that is dom0 (domain 1, 1 vCPU) running.
# shellcheck disable=SC2034 # used by the checks that source this
XL_DOM0_ROW='^dom0 1 [0-9]+ 1 r-----$'

# xl_no_leak LOG: autoexit's line shows as many free pages as before the
# domains were built. Prints that number, or the problem and returns 1.
xl_no_leak() {
    local counts after before
    counts=$(sed -nE 's/^\(XEN\) autoexit: ([0-9]+) pages free, ([0-9]+) before the domains were built$/\1 \2/p' <<<"$1")
    if [[ -z $counts ]]; then
        echo "no autoexit line with the free pages"
        return 1
    fi
    read -r after before <<<"$counts"
    if ((after != before)); then
        echo "$((before - after)) pages leaked: $after free, $before before"
        return 1
    fi
    echo "$after"
}
