#!/bin/bash
# Boot an ISO under Bochs and judge the hypervisor's summary line plus
# Bochs's exit status. See tests/boot/README.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PASS_STATUS=0 # magic breakpoint (xchg %bx,%bx), then the rc file's "quit"
BIOS_DIR=/usr/share/bochs

model=corei7_skylake_x
ips=5000000
serial= # set: COM1's output goes to the log too (a console=com1 ISO)
timeout=120
work= # private working directory, removed on exit

usage() {
    cat <<EOF
usage: ${0##*/} --iso ISO --log LOG [options]
  --iso ISO          bootable ISO (GRUB + hypervisor)
  --log LOG          console log to write (port 0xE9 output plus Bochs's
                     debugger and exit messages)
  --name NAME        test name in the verdict line (default bochs-MODEL-smpN)
  --model MODEL      Bochs cpu model, see bochs --help cpu (default $model)
  --ips N            emulated instructions per second (default $ips)
  --serial yes       also log COM1 (after port 0xE9's output), for an ISO
                     whose hypervisor writes to COM1 only (console=com1)
  --smp N            CPUs (default $smp)
  --mem MIB          guest memory in MiB (default $mem)
  --timeout SEC      kill Bochs after SEC seconds (default $timeout)
  --expect REGEX     label of the summary line "(XEN) LABEL: N passed, M failed"
                     (default $expect)
  --outcome O        pass (default), fail or panic: with fail, a test of a
                     failure path, the summary must show a failure (a domain
                     failed, or none passed); with panic, the hypervisor must
                     panic (no summary); both with the fail status (1)
  --check SCRIPT     also judge the log with tests/boot/SCRIPT (repeatable)
Passes only with exactly one summary line, "0 failed", at least one passed,
and Bochs exit status 0, and every --check passing. Exit status 0 on pass, 1
on fail, 2 on usage error.
The generated bochsrc and Bochs's own log go to the emulator log next to LOG
(x.log -> x.emu.log).
EOF
}

status_meaning() {
    case $1 in
    0) echo "magic breakpoint" ;;
    1) bochs_exit_message ;;
    124 | 137) echo "killed by timeout" ;;
    esac
}

# bochs_exit_message: the panic or fatal message Bochs logged when exiting.
bochs_exit_message() {
    local msg
    msg=$(grep -a -A1 '^Bochs is exiting with the following message:' \
        "$(emu_log_path "$log")" | tail -n 1)
    case $msg in
    *'Shutdown port: shutdown requested'*) echo "shutdown port 0x8900" ;;
    *'3rd ('*') exception with no resolution'*) echo "triple fault: $msg" ;;
    '') echo "Bochs error, see the emulator log" ;;
    *) echo "$msg" ;;
    esac
}

# write_bochsrc FILE: a headless configuration booting $iso.
write_bochsrc() {
    cat >"$1" <<EOF
display_library: sdl2
romimage: file=$BIOS_DIR/BIOS-bochs-latest
vgaromimage: file=$BIOS_DIR/VGABIOS-lgpl-latest
megs: $mem
cpu: model=$model, count=$smp, ips=$ips, reset_on_triple_fault=0, ignore_bad_msrs=0
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path="$(realpath "$iso")", status=inserted
boot: cdrom
com1: enabled=1, mode=$([[ -n $serial ]] && echo "file, dev=com1.log" || echo null)
port_e9_hack: enabled=1
clock: sync=none, time0=local
magic_break: enabled=1
panic: action=fatal
error: action=ignore
speaker: enabled=0
sound: driver=dummy
log: -
EOF
}

main() {
    while (($#)); do
        [[ $1 == -h || $1 == --help ]] && { usage; exit 0; }
        need_arg "$@"
        case $1 in
        --model) model=$2 ;;
        --ips) ips=$2 ;;
        --serial)
            [[ $2 == yes ]] || die "--serial takes 'yes', not '$2'"
            serial=1
            ;;
        *) common_opt "$1" "$2" ;;
        esac
        shift 2
    done
    is_count "$ips" || die "--ips must be a positive integer, not '$ips'"
    [[ $iso != *'"'* ]] || die "the ISO path must not contain '\"'"
    [[ -r $BIOS_DIR/VGABIOS-lgpl-latest ]] ||
        die "$BIOS_DIR/VGABIOS-lgpl-latest is missing (install vgabios)"
    check_common
    exit_on_signals
    name=${name:-bochs-$model-smp$smp}

    local emu_log start
    work=$(mktemp -d "${TMPDIR:-/tmp}/bochs-boot.XXXXXX")
    trap 'rm -rf -- "$work"' EXIT
    write_bochsrc "$work/bochsrc"
    printf 'c\nquit\n' >"$work/rc"
    emu_log=$(emu_log_path "$log")
    cat "$work/bochsrc" >"$emu_log"

    # Bochs writes relative files into its working directory, so each run
    # gets its own; SDL's dummy video driver makes it headless.
    start=$(now_us)
    bounded "$timeout" env -C "$work" SDL_VIDEODRIVER=dummy \
        bochs -q -f bochsrc -rc rc </dev/null >"$log" 2>>"$emu_log"
    [[ -z $serial || ! -r $work/com1.log ]] || cat "$work/com1.log" >>"$log"
    verdict "$PASS_STATUS" "1" "$start"
}

main "$@"
