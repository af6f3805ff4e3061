#!/usr/bin/env bash
# mkiso.sh ISO DIR XEN [GUESTS]: a hybrid BIOS + UEFI GRUB ISO booting XEN
# with the grub.cfg already in DIR/boot/grub, and the guest images of the
# directory GUESTS (as /boot/guests) if given.
set -euo pipefail
iso=$1 dir=$2 xen=$3 guests=${4:-}
log=$dir.log
mkdir -p "$dir/boot"
cp "$xen" "$dir/boot/xen"
if [ -n "$guests" ]; then
	rm -rf "$dir/boot/guests"
	cp -r "$guests" "$dir/boot/guests"
fi
grub-mkrescue -o "$iso" "$dir" \
	--install-modules="multiboot2 normal serial terminal configfile \
	part_acorn part_amiga part_apple part_bsd part_dfly part_dvh \
	part_gpt part_msdos part_plan part_sun part_sunpc" \
	--locales= --fonts= --themes= >"$log" 2>&1 || {
	cat "$log" >&2
	exit 1
}
