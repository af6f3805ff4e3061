# shellcheck shell=bash
# Shared helpers for the emulator boot tests. Sourced by qemu.sh and
# bochs.sh (options, bounded run, verdict) and run.sh (die, need_arg,
# is_count, elapsed time).

TAIL_LINES=30
BOOT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
    echo "${0##*/}: $*" >&2
    exit 2
}

# Options shared by qemu.sh and bochs.sh; the scripts may change defaults
# before parsing.
iso=
log=
name=
smp=1
mem=256
timeout=60
expect=selftest
outcome=pass # fail: a failing summary; panic: a panic (see verdict)
checks=() # log checks: scripts in this directory, run as SCRIPT LOG

# common_opt OPTION VALUE: store one shared option or reject an unknown one.
common_opt() {
    case $1 in
    --iso) iso=$2 ;;
    --log) log=$2 ;;
    --name) name=$2 ;;
    --smp) smp=$2 ;;
    --mem) mem=$2 ;;
    --timeout) timeout=$2 ;;
    --expect) expect=$2 ;;
    --outcome)
        [[ $2 == pass || $2 == fail || $2 == panic ]] ||
            die "--outcome must be pass, fail or panic, not '$2'"
        outcome=$2
        ;;
    --check)
        [[ -x $BOOT_LIB_DIR/$2 ]] || die "no log check '$2' in $BOOT_LIB_DIR"
        checks+=("$2")
        ;;
    *) die "unknown option '$1' (try --help)" ;;
    esac
}

# need_arg "$@": every option takes exactly one value.
need_arg() {
    (($# >= 2)) || die "option '$1' needs a value (try --help)"
}

is_count() {
    [[ $1 =~ ^[1-9][0-9]*$ ]]
}

# check_common: validate the shared options and start an empty log.
check_common() {
    [[ -n $iso ]] || die "--iso is required"
    [[ -f $iso && -r $iso ]] || die "ISO not readable: $iso"
    [[ -n $log ]] || die "--log is required"
    is_count "$smp" || die "--smp must be a positive integer, not '$smp'"
    is_count "$mem" || die "--mem must be a positive integer (MiB), not '$mem'"
    is_count "$timeout" || die "--timeout must be a positive integer (s), not '$timeout'"
    mkdir -p "$(dirname "$log")"
    : >"$log"
}

# emu_log_path LOG: where the emulator's own diagnostics go, next to LOG.
emu_log_path() {
    echo "${1%.log}.emu.log"
}

now_us() {
    local t=${EPOCHREALTIME/[.,]/}
    echo "$((10#$t))"
}

# seconds_since START_US: elapsed wall time as "12.3s".
seconds_since() {
    local us=$(($(now_us) - $1))
    printf '%d.%ds' $((us / 1000000)) $((us % 1000000 / 100000))
}

# exit_on_signals: on Ctrl-C or SIGTERM exit (running EXIT traps) once the
# emulator, which gets the same signal, has gone, instead of judging the
# interrupted run.
exit_on_signals() {
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# bounded SECONDS CMD...: run CMD under timeout (SIGKILL 5 s after SIGTERM)
# and set $status to its exit status (124 or 137 when it timed out).
# --foreground keeps CMD in our process group, so Ctrl-C and run.sh's
# group kill reach it.
bounded() {
    local secs=$1
    shift
    status=0
    timeout --foreground -k 5 "$secs" "$@" || status=$?
}

timed_out() {
    ((status == 124 || status == 137))
}

# clean_log FILE: the log without CRs and ANSI escape sequences.
clean_log() {
    sed -E $'s/\x1b(\\[[0-9;?=]*[A-Za-z]|[()][A-Z0-9])//g; s/\r//g' "$1"
}

# linux_grant_table CLEANLOG DOM: DOM's /init found "Grant table
# initialized" in the kernel's log (LINUX-GUEST-DMESG lines,
# tests/linux/fetch.sh). Prints why not and returns 1 if not.
linux_grant_table() {
    local failed
    failed=$(grep -m1 "^($2) LINUX-GUEST-DMESG .*grant table .*failed" <<<"$1" || true)
    [[ -z $failed ]] || { echo "$2's grant table: ${failed#* LINUX-GUEST-DMESG }"; return 1; }
    grep -q "^($2) LINUX-GUEST-DMESG .*Grant table initialized" <<<"$1" ||
        { echo "$2's kernel never said 'Grant table initialized'"; return 1; }
}

# linux_markers CLEANLOG DOM CPUS: DOM's console lines hold the Linux
# initramfs's two markers (tests/linux/fetch.sh), LINUX-GUEST-UP with
# CPUS CPUs, then LINUX-GUEST-DONE, and its grant table was set up.
# Prints the first thing missing and returns 1 if not.
linux_markers() {
    linux_grant_table "$1" "$2" || return 1
    grep -q "^($2) .*LINUX-GUEST-UP cpus=$3\$" <<<"$1" ||
        { echo "$2's /init never printed LINUX-GUEST-UP cpus=$3"; return 1; }
    grep -q "^($2) .*LINUX-GUEST-DONE\$" <<<"$1" ||
        { echo "$2's /init never printed LINUX-GUEST-DONE (sleep 1 never returned?)"; return 1; }
}

# expect_lines LOG: every line read from stdin is a whole line of LOG
# (cleaned). Prints how many were found, or how many are missing and the
# first of them (then returns 1).
expect_lines() {
    local want n=0 missing=0 first='' clean
    clean=$(clean_log "$1")
    while IFS= read -r want; do
        n=$((n + 1))
        grep -Fxq -- "$want" <<<"$clean" && continue
        missing=$((missing + 1))
        [[ -n $first ]] || first=$want
    done
    if ((missing)); then
        echo "$missing of $n expected lines missing, the first: $first"
        return 1
    fi
    echo "all $n expected lines found"
}

# summary_lines FILE: the result lines the --expect regex selects
# ("N passed, M failed", the self-tests' with ", K skipped" after).
summary_lines() {
    clean_log "$1" | grep -aE "^\(XEN\) (${expect}): [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$" || true
}

# run_checks: run every --check script on $log; add a failing one's output
# to reasons and a passing one's to notes.
run_checks() {
    local c out
    for c in "${checks[@]}"; do
        if out=$("$BOOT_LIB_DIR/$c" "$log" 2>&1); then
            notes+=("${c%.sh}: $out")
        else
            reasons+=("${c%.sh}: $out")
        fi
    done
}

# verdict PASS_STATUS FAIL_STATUS START_US: judge the run in $log with
# exit $status and the --check scripts; print one PASS line, or a FAIL line
# and the tail of the log. With --outcome fail (a test of a failure path)
# the run must end with a failing summary (a domain failed, or none passed)
# and the emulator's fail status instead; with --outcome panic, with the
# hypervisor's panic banner, no summary, and the fail status (a --check
# names the panic expected). The calling script defines
# status_meaning STATUS (a short explanation, may be empty).
verdict() {
    local want=$1 start=$3 elapsed reasons=() notes=() lines label
    local passed=0 failed=0 skipped=''
    elapsed=$(seconds_since "$start")
    mapfile -t lines < <(summary_lines "$log")

    timed_out && reasons+=("timed out after ${timeout}s")
    if [[ $outcome == panic ]]; then
        ((${#lines[@]} == 0)) || reasons+=("a summary line where a panic was expected")
        clean_log "$log" | grep -q '^(XEN) Panic on CPU' ||
            reasons+=("no '(XEN) Panic on CPU' banner")
        timed_out || ((status == $2)) ||
            reasons+=("the exit status is $status, not the fail status $2")
    elif ((${#lines[@]} == 0)); then
        reasons+=("no '(XEN) ${expect}: N passed, M failed' line")
    elif ((${#lines[@]} > 1)); then
        reasons+=("${#lines[@]} summary lines, expected exactly one")
    else
        [[ ${lines[0]} =~ ^\(XEN\)\ (.*):\ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]
        label=${BASH_REMATCH[1]}
        passed=$((10#${BASH_REMATCH[2]}))
        failed=$((10#${BASH_REMATCH[3]}))
        [[ -z ${BASH_REMATCH[5]} ]] || skipped=", $((10#${BASH_REMATCH[5]})) skipped"
        if [[ $outcome == fail ]]; then
            want=$2
            if ((failed == 0 && passed > 0)); then
                reasons+=("$label: $passed passed, 0 failed, but a failing run was expected")
            elif timed_out; then
                reasons+=("the summary failed as expected but the exit signal never came")
            elif ((status != want)); then
                reasons+=("the summary failed as expected but the exit status is $status, not $want")
            fi
        elif ((failed > 0)); then
            reasons+=("$label: $failed failed, $passed passed")
        elif ((passed == 0)); then
            reasons+=("$label: no test ran (0 passed)")
        elif timed_out; then
            reasons+=("the summary passed but the exit signal never came")
        elif ((status != want)); then
            reasons+=("the summary passed but the exit status is $status, not $want")
        fi
    fi

    run_checks

    if ((${#reasons[@]} == 0)); then
        echo "PASS $name ($passed passed, $failed failed$skipped, $elapsed)"
        ((${#notes[@]} == 0)) || printf '  %s\n' "${notes[@]}"
        return 0
    fi
    local meaning why
    meaning=$(status_meaning "$status")
    why=$(printf '%s; ' "${reasons[@]}")
    echo "FAIL $name: ${why%; } (exit status $status${meaning:+: $meaning}, $elapsed, log: $log)"
    if [[ -s $log ]]; then
        echo "--- emulator log: $(emu_log_path "$log"); last $TAIL_LINES lines of the log:"
        clean_log "$log" | tail -n "$TAIL_LINES" | sed 's/^/| /'
    else
        echo "--- the log is empty; emulator log: $(emu_log_path "$log")"
    fi
    return 1
}
