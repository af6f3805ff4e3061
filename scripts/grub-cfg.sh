#!/usr/bin/env bash
# grub-cfg.sh CMDLINE [MODULE...] > grub.cfg
# A serial-only GRUB menu booting /boot/xen with CMDLINE. Each MODULE is
# "FILE STRING": /boot/FILE is loaded as a multiboot2 module with STRING.
set -euo pipefail
cmdline=$1
shift
cat <<EOF2
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
menuentry "xen" {
	multiboot2 /boot/xen $cmdline
EOF2
for m in "$@"; do
	printf '\tmodule2 /boot/%s\n' "$m"
done
printf '\tboot\n}\n'
