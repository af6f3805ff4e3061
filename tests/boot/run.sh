#!/bin/bash
# Run named emulator boot tests against one ISO and print a summary.
# See tests/boot/README.md.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

# name             script   ISO (dist/xen-ISO.iso) flags
# (run.sh adds --iso, --log, --name and the overrides)
# The longest first: with -j N it runs beside the others, not after them;
# but the --solo rows last, once make test's --early row is done.
# --solo (run.sh's own flag): with -j N the test runs with no other beside
# it: a multi-CPU QEMU run of many cross-CPU flushes and IPIs slows three
# to six times when another emulator shares the host's cores (a vCPU
# thread holding a lock is descheduled by the host).
# --extra (run.sh's own flag): not in the default set, run when named
# (make check-paging): issue 11's 64 MiB check, whose case the dom0
# pager's check (dom0-page-qemu-smp2) runs too; long Bochs paging runs
# (issue 13's Bochs check among them) whose cases QEMU rows and
# paging-bochs-vmx cover, and the 2-CPU pageplus run (a --solo row; the
# 1-CPU one runs beside others and covers the same script); for time. (make
# check-linux): the bzImage under Bochs (about 2.5 minutes); for time.
# --early (run.sh's own flag): a long single-core run that make test
# (scripts/run-tests.sh) starts before the host suites, with
# --early-only, so that it overlaps them; the boot suite then runs the
# rest (--no-early). Named, or with neither option, it runs like any row.
TESTS=(
    "linux-pvh-bochs-vmx bochs.sh linuxbochs --early --expect domains --model corei7_skylake_x --smp 1 --mem 1024 --serial yes --timeout 600 --check check-linux.sh"
    "dom0-page-bochs-vmx bochs.sh dom0pagebochs --extra --expect domains --model corei7_skylake_x --smp 2 --serial yes --timeout 400 --check check-dom0-paging.sh"
    "dom0-pageplus-bochs-vmx bochs.sh dom0pageplusbochs --extra --expect domains --model corei7_skylake_x --smp 2 --serial yes --timeout 400 --check check-dom0-pageplus.sh"
    "dom0-pageplus-qemu-smp1 qemu.sh dom0pageplus --expect domains --smp 1 --timeout 240 --check check-dom0-pageplus.sh"
    "paging-qemu-smp2  qemu.sh  paging   --solo --extra --expect domains --smp 2 --timeout 300 --check check-paging.sh"
    "qemu-bios-smp1    qemu.sh  test   --firmware bios --smp 1 --timeout 60"
    "linux-pvh-qemu    qemu.sh  linuxpvh --expect domains --smp 2 --mem 1024 --timeout 300 --check check-linux.sh"
    "linux-bz-qemu     qemu.sh  linuxbz --expect domains --smp 1 --mem 1024 --timeout 300 --check check-linux.sh"
    "linux-bz32-qemu   qemu.sh  linuxbz32 --expect domains --smp 1 --mem 1024 --timeout 300 --check check-linux32.sh"
    "pvtime-qemu-smp2  qemu.sh  pvtime   --expect domains --smp 2 --timeout 120 --input pvtime-input.txt --input-after pvtime:.waiting.for.console.ring.input --check check-pvtime.sh"
    "pvtime-qemu-smp1  qemu.sh  pvtime   --expect domains --smp 1 --timeout 120 --input pvtime-input.txt --input-after pvtime:.waiting.for.console.ring.input --check check-pvtime.sh"
    "pvtime-bochs-vmx  bochs.sh pvtimebochs --expect domains --model corei7_skylake_x --smp 2 --timeout 300 --check check-pvtime.sh"
    "bzboot-qemu       qemu.sh  bzboot --expect domains --smp 2 --timeout 60"
    "uartin-qemu       qemu.sh  uartin --expect domains --smp 2 --timeout 60 --input uart-input.txt --input-after ^.d1..uart:.waiting.for.input --check check-uart-input.sh"
    "bzboot-bochs-vmx  bochs.sh bzboot --expect domains --model corei7_skylake_x --smp 1 --timeout 120"
    "linux-bz-bochs-vmx bochs.sh linuxbz --extra --expect domains --model corei7_skylake_x --smp 1 --mem 1024 --serial yes --timeout 900 --check check-linux.sh"
    "dom0-linux-qemu   qemu.sh  dom0linux --expect domains --smp 2 --mem 1024 --timeout 200 --check check-dom0-linux.sh"
    "dom0-linux-paged-qemu qemu.sh dom0linuxpaged --expect domains --smp 2 --mem 1024 --timeout 400 --check check-dom0-linux-paged.sh"
    "platform-qemu     qemu.sh  platform --expect domains --smp 2 --timeout 60 --check check-acpi-s5.sh --check check-uart.sh"
    "platform-bochs-vmx bochs.sh platform --expect domains --model corei7_skylake_x --smp 1 --timeout 120 --check check-acpi-s5.sh --check check-uart.sh"
    "platform-bochs-svm bochs.sh platform --expect domains --model ryzen --smp 2 --timeout 120 --check check-acpi-s5.sh --check check-uart.sh"
    "taskswitch-qemu   qemu.sh  taskswitch --expect domains --smp 1 --timeout 60"
    "taskswitch-bochs-vmx bochs.sh taskswitchbochs --expect domains --model corei7_skylake_x --smp 1 --timeout 120"
    "taskswitch-bochs-svm bochs.sh taskswitchbochs --expect domains --model ryzen --smp 1 --timeout 120"
    "unpopulated-qemu  qemu.sh  unpopulated --expect domains --smp 1 --timeout 60 --check check-unpopulated.sh"
    "unpopulated-bochs-vmx bochs.sh unpopulated --expect domains --model corei7_skylake_x --smp 1 --timeout 120 --check check-unpopulated.sh"
    "unpopulated-bochs-svm bochs.sh unpopulated --expect domains --model ryzen --smp 1 --timeout 120 --check check-unpopulated.sh"
    "qemu-uefi-smp2    qemu.sh  test   --firmware uefi --smp 2 --timeout 120"
    "bochs-vmx-smp1    bochs.sh test   --model corei7_skylake_x --smp 1 --timeout 120"
    "bochs-vmx-smp2    bochs.sh test   --model corei7_skylake_x --smp 2 --timeout 180"
    "bochs-svm-smp1    bochs.sh test   --model ryzen --smp 1 --timeout 120"
    "guests-qemu-smp1  qemu.sh  guests --expect domains --smp 1 --timeout 120 --check check-console-io.sh --input console-input.txt --input-after waiting.for.console.input --check check-console-input.sh"
    "guests-qemu-smp4  qemu.sh  guests --expect domains --smp 4 --timeout 120 --check check-console-io.sh --input console-input.txt --input-after waiting.for.console.input --check check-console-input.sh"
    "fair-qemu-smp2    qemu.sh  fair   --expect domains --smp 2 --timeout 120"
    "fairwake-qemu-smp2 qemu.sh fairwake --expect domains --smp 2 --timeout 120"
    "guests-bochs-vmx  bochs.sh guests --expect domains --model corei7_skylake_x --smp 2 --timeout 240 --check check-console-io.sh"
    "fair-bochs-vmx    bochs.sh fair   --expect domains --model corei7_skylake_x --smp 1 --timeout 180"
    "basic-bochs-ryzen bochs.sh basic  --expect domains --model ryzen --smp 1 --timeout 180 --check check-console-io.sh"
    "basic-bochs-phenom bochs.sh basic --expect domains --model phenom_8650_toliman --smp 1 --timeout 180 --check check-console-io.sh"
    "isolation-qemu    qemu.sh  isolation --expect domains --smp 1 --timeout 60"
    "isolation-qemu-epyc qemu.sh isolation --expect domains --smp 1 --cpu EPYC --timeout 60"
    "isolation-bochs-vmx bochs.sh isolation --expect domains --model corei7_skylake_x --smp 1 --timeout 120"
    "isolation-bochs-ryzen bochs.sh isolation --expect domains --model ryzen --smp 1 --timeout 120"
    "glob-qemu-smp1    qemu.sh  glob   --smp 1 --timeout 30"
    "input-qemu-smp2   qemu.sh  input  --expect domains --smp 2 --timeout 60 --check check-input.sh"
    "oom-qemu          qemu.sh  oom      --expect domains --smp 2 --mem 1024 --timeout 60 --check check-oom.sh"
    "reap-qemu         qemu.sh  reap     --expect domains --smp 2 --mem 1024 --timeout 60 --check check-reap.sh"
    "hang-qemu         qemu.sh  hang     --expect domains --smp 2 --timeout 60 --check check-hang.sh"
    "hang-bochs-vmx    bochs.sh hang     --expect domains --model corei7_skylake_x --smp 1 --timeout 180 --check check-hang.sh"
    "hangfail-qemu     qemu.sh  hangfail --expect domains --smp 1 --timeout 60 --outcome fail --check check-hang.sh"
    "nodomain-qemu     qemu.sh  nodomain --expect domains --smp 1 --timeout 20 --outcome fail --check check-nodomain.sh"
    "files-qemu        qemu.sh  files    --expect domains --smp 1 --timeout 60 --check check-files.sh"
    "startinfo-qemu    qemu.sh  startinfo --expect domains --smp 2 --timeout 60 --check check-startinfo.sh"
    "crashfail-qemu    qemu.sh  crashfail --expect domains --smp 2 --timeout 60 --outcome fail --check check-crashfail.sh"
    "hvmfail-qemu-smp2 qemu.sh  hvmfail --expect domains --smp 2 --timeout 90 --check check-hvmfail.sh"
    "tlb-qemu-smp2     qemu.sh  tlb      --expect domains --smp 2 --timeout 60"
    "apic-qemu-smp2    qemu.sh  apic     --expect domains --smp 2 --timeout 90"
    "apic-bochs-vmx    bochs.sh apic     --expect domains --model corei7_skylake_x --smp 2 --timeout 300"
    "apic-bochs-svm    bochs.sh apic     --expect domains --model ryzen --smp 1 --timeout 300"
    "tlb-bochs-vmx     bochs.sh tlb      --expect domains --model corei7_skylake_x --smp 2 --timeout 180"
    "pagetest-qemu     qemu.sh  pagetest --expect domains --smp 2 --timeout 60"
    "paging-qemu-smp1  qemu.sh  pagingsmall --expect domains --smp 1 --timeout 300 --check check-paging.sh"
    "paging-bochs-vmx  bochs.sh pagingsmall --expect domains --model corei7_skylake_x --smp 1 --serial yes --timeout 600 --check check-paging.sh"
    "paging-hostile-qemu qemu.sh paginghostile --expect domains --smp 1 --timeout 60 --check check-paging.sh"
    "paging-lazy-qemu  qemu.sh  paginglazy --expect domains --smp 1 --timeout 120 --check check-paging.sh --check check-paging-lazy.sh"
    "paging-restart-qemu qemu.sh pagingrestart --expect domains --smp 1 --timeout 120 --check check-paging.sh --check check-paging-restart.sh"
    "paging-vcpus4-qemu qemu.sh pagingvcpus4 --expect domains --smp 1 --timeout 120 --check check-paging.sh"
    "paging-same-qemu  qemu.sh  pagingsame --expect domains --smp 1 --timeout 120 --check check-paging.sh"
    "paging-die-qemu   qemu.sh  pagingdie --expect domains --smp 1 --timeout 60 --check check-paging-die.sh"
    "paging-outlive-qemu qemu.sh pagingoutlive --expect domains --smp 2 --timeout 60 --check check-paging-outlive.sh"
    "paging-pt64-bochs-vmx bochs.sh pagingpt64 --extra --expect domains --model corei7_skylake_x --smp 1 --serial yes --timeout 300 --check check-paging.sh"
    "paging-accessed-qemu qemu.sh pagingaccessed --expect domains --smp 1 --timeout 60"
    "paging-accessed-bochs-vmx bochs.sh pagingaccessed --expect domains --model corei7_skylake_x --smp 1 --serial yes --timeout 300"
    "paging-accessed-bochs-svm bochs.sh pagingaccessed --expect domains --model ryzen --smp 1 --serial yes --timeout 300"
    "dom0-shell-qemu   qemu.sh  dom0shell --expect domains --smp 2 --timeout 120 --input dom0-shell-input.txt --input-after dom0:.shell.on.the.serial.console --check check-dom0-shell.sh"
    "dom0-selftest-qemu qemu.sh dom0selftest --expect domains --smp 1 --timeout 60"
    "dom0-selftest-bochs-vmx bochs.sh dom0selftest --expect domains --model corei7_skylake_x --smp 1 --timeout 180"
    "dom0-xl-qemu-smp2 qemu.sh  dom0xl --expect domains --smp 2 --timeout 120 --check check-dom0-xl.sh"
    "dom0-xl-bochs-vmx bochs.sh dom0xl --expect domains --model corei7_skylake_x --smp 2 --serial yes --timeout 300 --check check-dom0-xl.sh"
    "dom0-loop-qemu-smp1 qemu.sh dom0loop --expect domains --smp 1 --timeout 60 --check check-dom0-loop.sh"
    "dom0-loop-qemu-smp2 qemu.sh dom0loop --expect domains --smp 2 --timeout 60 --check check-dom0-loop.sh"
    "dom0-loop-bochs-vmx bochs.sh dom0loopsmall --expect domains --model corei7_skylake_x --smp 2 --serial yes --timeout 300 --check check-dom0-loop.sh"
    "dom0-list-qemu-smp2 qemu.sh dom0list --expect domains --smp 2 --timeout 60 --check check-dom0-list.sh"
    "dom0-list-bochs-vmx bochs.sh dom0list --expect domains --model corei7_skylake_x --smp 2 --serial yes --timeout 300 --check check-dom0-list.sh"
    "dom0-bad-qemu-smp1 qemu.sh dom0bad --expect domains --smp 1 --timeout 60 --outcome fail --input dom0-poweroff-input.txt --input-after dom0:.shell.on.the.serial.console --check check-dom0-bad.sh"
    "dom0-bad-qemu-smp2 qemu.sh dom0bad --expect domains --smp 2 --timeout 60 --outcome fail --input dom0-poweroff-input.txt --input-after dom0:.shell.on.the.serial.console --check check-dom0-bad.sh"
    "dom0-script-qemu  qemu.sh  dom0script --expect domains --smp 2 --timeout 60 --check check-dom0-script.sh"
    "dom0-script-bochs-vmx bochs.sh dom0script --expect domains --model corei7_skylake_x --smp 1 --timeout 180 --check check-dom0-script.sh"
    "dom0-onfail-qemu  qemu.sh  dom0onfail --expect domains --smp 1 --timeout 30 --outcome fail --check check-dom0-onfail.sh"
    "dom0-script-fail-qemu qemu.sh dom0scriptfail --expect domains --smp 1 --timeout 60 --outcome fail --input dom0-poweroff-input.txt --input-after dom0:.shell.on.the.serial.console --check check-dom0-script-fail.sh"
    "dom0-nocontrol-qemu qemu.sh dom0nocontrol --expect domains --smp 1 --timeout 60 --check check-dom0-nocontrol.sh"
    "ctl-qemu-smp1     qemu.sh  ctl      --expect domains --smp 1 --timeout 120"
    "ctl-qemu-smp2     qemu.sh  ctl      --expect domains --smp 2 --timeout 120"
    "ctl-bochs-vmx     bochs.sh ctlsmall --expect domains --model corei7_skylake_x --smp 1 --timeout 300"
    "stackoverflow-qemu qemu.sh stack    --outcome panic --smp 1 --timeout 30 --check check-stack-overflow.sh"
    "gnttab-qemu       qemu.sh  gnttab   --expect domains --smp 1 --timeout 60 --check check-gnttab.sh"
    "gnttab-bochs-vmx  bochs.sh gnttab   --expect domains --model corei7_skylake_x --smp 1 --timeout 120 --check check-gnttab.sh"
    "dom0-page-qemu-smp2 qemu.sh dom0page --solo --expect domains --smp 2 --timeout 300 --check check-dom0-paging.sh"
    "dom0-pageplus-qemu-smp2 qemu.sh dom0pageplus --extra --solo --expect domains --smp 2 --timeout 300 --check check-dom0-pageplus.sh"
    "qemu-bios-smp4    qemu.sh  test   --solo --firmware bios --smp 4 --timeout 180"
    "paging-pt64-qemu  qemu.sh  pagingpt64 --solo --expect domains --smp 2 --timeout 120 --check check-paging.sh"
)

dist=dist
logdir=build/test-logs
jobs=1
overrides=()
selected=()
early=all # all, only or no: the --early rows of the default set

usage() {
    cat <<EOF
usage: ${0##*/} [--dist DIR] [--logdir DIR] [-j N] [--timeout SEC] [--expect REGEX]
       [--early-only | --no-early] [TEST...]
       ${0##*/} --list
Runs the named tests (default: all but the --extra rows, in table order) on the ISOs in the dist
directory (default dist: xen-test.iso, xen-guests.iso, ...), writes DIR/TEST.log and
DIR/TEST.emu.log (DIR defaults to $logdir), prints one verdict per test and
then "N passed, M failed". Exits 1 if any test failed, 2 on usage error.
  -j N             run up to N tests at once (default 1)
  --timeout SEC    override every test's timeout
  --expect REGEX   summary-line label for every test (default selftest)
  --early-only     of the default set, only the --early rows
  --no-early       the default set without the --early rows
Tests: $(list_tests | tr '\n' ' ')
EOF
}

list_tests() {
    local entry
    for entry in "${TESTS[@]}"; do
        echo "${entry%% *}"
    done
}

# default_tests: the tests run when none is named (all but --extra rows;
# with early=only or early=no, only or no --early rows).
default_tests() {
    local entry is_early
    for entry in "${TESTS[@]}"; do
        [[ " $entry " == *" --extra "* ]] && continue
        is_early=no
        [[ " $entry " == *" --early "* ]] && is_early=only
        [[ $early == all || $early == "$is_early" ]] || continue
        echo "${entry%% *}"
    done
}

# test_entry NAME: the table row for NAME.
test_entry() {
    local entry
    for entry in "${TESTS[@]}"; do
        [[ ${entry%% *} == "$1" ]] && { echo "$entry"; return 0; }
    done
    return 1
}

parse_args() {
    while (($#)); do
        case $1 in
        -h | --help) usage; exit 0 ;;
        --list) list_tests; exit 0 ;;
        --early-only) early=only; shift ;;
        --no-early) early=no; shift ;;
        --dist | --logdir | -j | --timeout | --expect)
            need_arg "$@"
            case $1 in
            --dist) dist=$2 ;;
            --logdir) logdir=$2 ;;
            -j) jobs=$2 ;;
            *) overrides+=("$1" "$2") ;;
            esac
            shift 2
            ;;
        -*) die "unknown option '$1' (try --help)" ;;
        *)
            test_entry "$1" >/dev/null || die "unknown test '$1' (try --list)"
            selected+=("$1")
            shift
            ;;
        esac
    done
    is_count "$jobs" || die "-j must be a positive integer, not '$jobs'"
    ((${#selected[@]})) || mapfile -t selected < <(default_tests)
}

passed=0
failed=0
declare -A output_of=() # pid (= process group) -> file holding its output
outdir=

solo_running=0

# is_solo NAME: whether NAME's row has --solo.
is_solo() {
    [[ " $(test_entry "$1") " == *" --solo "* ]]
}

# start_test NAME: start one test in the background in its own session, so
# that stop_tests can signal the script, timeout and emulator together.
start_test() {
    local tname script isoname flags iso f kept=()
    read -r tname script isoname flags <<<"$(test_entry "$1")"
    read -ra flags <<<"$flags"
    for f in "${flags[@]}"; do
        [[ $f == --solo || $f == --extra || $f == --early ]] ||
            kept+=("$f")
    done
    flags=("${kept[@]}")
    iso=$dist/xen-$isoname.iso
    setsid "$BOOT_TEST_DIR/$script" "${flags[@]}" --iso "$iso" --name "$tname" \
        --log "$logdir/$tname.log" "${overrides[@]}" >"$outdir/$tname" 2>&1 &
    output_of[$!]=$outdir/$tname
}

# reap: wait for one running test, print its output and count its result.
reap() {
    local pid status=0
    wait -n -p pid || status=$?
    cat "${output_of[$pid]}"
    [[ ${solo_pid:-} == "$pid" ]] && solo_running=0
    unset "output_of[$pid]"
    if ((status == 0)); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
}

stop_tests() {
    local pid
    for pid in "${!output_of[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    wait
}

main() {
    parse_args "$@"
    mkdir -p "$logdir"
    outdir=$(mktemp -d "${TMPDIR:-/tmp}/boot-tests.XXXXXX")
    trap 'rm -rf -- "$outdir"' EXIT
    trap 'stop_tests; exit 130' INT
    trap 'stop_tests; exit 143' TERM

    local tname start
    start=$(now_us)
    for tname in "${selected[@]}"; do
        if is_solo "$tname"; then
            while ((${#output_of[@]})); do reap; done
            start_test "$tname"
            solo_running=1 solo_pid=$!
            continue
        fi
        while ((${#output_of[@]} >= jobs || solo_running)); do reap; done
        start_test "$tname"
    done
    while ((${#output_of[@]})); do reap; done

    echo "${#selected[@]} boot tests took $(seconds_since "$start"); logs in $logdir"
    echo "$passed passed, $failed failed"
    ((failed == 0))
}

main "$@"
