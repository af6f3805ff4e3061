#!/bin/bash
# Boot an ISO under QEMU TCG and judge the hypervisor's summary line plus the
# isa-debug-exit status. See tests/boot/README.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PASS_STATUS=33 # the hypervisor writes 0x10 to port 0xf4: (0x10 << 1) | 1
FAIL_STATUS=35 # 0x11 on failure
OVMF_FD=${OVMF_FD:-/usr/share/ovmf/OVMF.fd}

firmware=bios
cpu=qemu64,+svm,+npt
input=
input_after=

usage() {
    cat <<EOF
usage: ${0##*/} --iso ISO --log LOG [options]
  --iso ISO          bootable ISO (GRUB + hypervisor)
  --log LOG          serial console log to write
  --name NAME        test name in the verdict line (default qemu-FIRMWARE-smpN)
  --firmware F       bios (SeaBIOS) or uefi (OVMF, \$OVMF_FD) (default $firmware)
  --cpu MODEL        QEMU -cpu value (default $cpu)
  --input FILE       feed FILE (relative: to tests/boot) to COM1's input; QEMU
                     reads it as the UART takes bytes
  --input-after RE   feed it only once the log has a line matching the ERE
  --smp N            virtual CPUs (default $smp)
  --mem MIB          guest memory in MiB (default $mem)
  --timeout SEC      kill QEMU after SEC seconds (default $timeout)
  --expect REGEX     label of the summary line "(XEN) LABEL: N passed, M failed"
                     (default $expect)
  --outcome O        pass (default), fail or panic: with fail, a test of a
                     failure path, the summary must show a failure (a domain
                     failed, or none passed); with panic, the hypervisor must
                     panic (no summary); both with the fail status (35)
  --check SCRIPT     also judge the log with tests/boot/SCRIPT (repeatable)
Passes only with exactly one summary line, "0 failed", at least one passed,
and QEMU exit status $PASS_STATUS, and every --check passing. Exit status 0 on
pass, 1 on fail, 2 on usage error.
The QEMU command line, its stderr and its -d cpu_reset,guest_errors output go
to the emulator log next to LOG (x.log -> x.emu.log).
EOF
}

# qemu_escape VALUE: commas inside a QEMU option value are written twice.
qemu_escape() {
    echo "${1//,/,,}"
}

status_meaning() {
    local emu_log
    emu_log=$(emu_log_path "$log")
    case $1 in
    "$PASS_STATUS") echo "isa-debug-exit 0x10, pass" ;;
    "$FAIL_STATUS") echo "isa-debug-exit 0x11, fail" ;;
    0)
        if grep -q '^Triple fault' "$emu_log"; then
            echo "triple fault"
        else
            echo "no isa-debug-exit write (power-off or triple fault)"
        fi
        ;;
    124 | 137) echo "killed by timeout" ;;
    *) grep -m1 '^qemu-system-x86_64:' "$emu_log" || true ;;
    esac
}

# feed_after ERE FILE LOG SECS: FILE to stdout once LOG has a line matching
# ERE; nothing if it does not within SECS.
feed_after() {
    local end=$((SECONDS + $4))
    until grep -qE -- "$1" "$3"; do
        ((SECONDS < end)) || return 0
        sleep 0.2
    done
    cat "$2"
}

main() {
    while (($#)); do
        [[ $1 == -h || $1 == --help ]] && { usage; exit 0; }
        need_arg "$@"
        case $1 in
        --firmware) firmware=$2 ;;
        --cpu) cpu=$2 ;;
        --input) input=$2 ;;
        --input-after) input_after=$2 ;;
        *) common_opt "$1" "$2" ;;
        esac
        shift 2
    done
    local fw cmd
    case $firmware in
    bios) fw=() ;;
    uefi)
        [[ -r $OVMF_FD ]] || die "OVMF image not found: $OVMF_FD (set OVMF_FD)"
        fw=(-bios "$OVMF_FD")
        ;;
    *) die "--firmware must be bios or uefi, not '$firmware'" ;;
    esac
    check_common
    exit_on_signals
    name=${name:-qemu-$firmware-smp$smp}

    # With input, COM1 is QEMU's stdio: stdin from the file, stdout the log.
    local serial=(-serial "file:$log") in=/dev/null out=/dev/stdout
    if [[ -n $input ]]; then
        [[ $input == /* ]] || input=$BOOT_LIB_DIR/$input
        [[ -r $input ]] || die "input not readable: $input"
        serial=(-chardev stdio,id=com1,signal=off -serial chardev:com1)
        in=$input out=$log
    fi
    # shellcheck disable=SC2054 # the commas belong to QEMU option values
    cmd=(qemu-system-x86_64 -accel tcg -cpu "$cpu" -m "$mem" -smp "$smp"
        -display none -monitor none -nic none -no-reboot
        "${serial[@]}"
        -device isa-debug-exit,iobase=0xf4,iosize=0x04
        -drive "file=$(qemu_escape "$iso"),media=cdrom,format=raw,readonly=on"
        -d cpu_reset,guest_errors
        "${fw[@]}")

    local emu_log start
    emu_log=$(emu_log_path "$log")
    printf '%q ' "${cmd[@]}" >"$emu_log"
    echo >>"$emu_log"
    start=$(now_us)
    if [[ -n $input_after ]]; then
        # A FIFO, written once the log shows input_after (or never).
        local fifo feeder
        fifo=$(mktemp -u "${log%.log}.XXXXXX.fifo")
        mkfifo "$fifo"
        feed_after "$input_after" "$in" "$log" "$timeout" >"$fifo" &
        feeder=$!
        in=$fifo
    fi
    bounded "$timeout" "${cmd[@]}" <"$in" >>"$out" 2>>"$emu_log"
    if [[ -n $input_after ]]; then
        kill "$feeder" 2>/dev/null || true
        wait "$feeder" 2>/dev/null || true
        rm -f "$fifo"
    fi
    verdict "$PASS_STATUS" "$FAIL_STATUS" "$start"
}

main "$@"
