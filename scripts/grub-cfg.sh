#!/usr/bin/env bash
# grub-cfg.sh CMDLINE [MODULE...] > grub.cfg
# A GRUB menu on the serial port booting /boot/xen with CMDLINE at once.
# Each MODULE is "FILE STRING": /boot/FILE is loaded as a multiboot2
# module with STRING. GRUB takes no input from the serial port: what
# arrives there is the hypervisor's console input.
set -euo pipefail
cmdline=$1
shift
cat <<EOF2
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input console
terminal_output serial
menuentry "xen" {
	multiboot2 /boot/xen $cmdline
EOF2
for m in "$@"; do
	printf '\tmodule2 /boot/%s\n' "$m"
done
printf '\tboot\n}\n'
