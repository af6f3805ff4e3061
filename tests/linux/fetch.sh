#!/usr/bin/env bash
# fetch.sh OUTDIR: a stock Debian cloud kernel and a busybox initramfs for
# the Linux guest rows, cached in OUTDIR (build/linux):
#   OUTDIR/vmlinuz     the newest linux-image-*-cloud-amd64's bzImage
#   OUTDIR/vmlinux     the ELF inside it (its PVH note is the entry)
#   OUTDIR/initrd.img  busybox-static and an /init that prints
#                      the kernel's grant-table lines (dmesg) as
#                      "LINUX-GUEST-DMESG ...", then
#                      "LINUX-GUEST-UP cpus=N", runs `sleep 1`, prints
#                      "LINUX-GUEST-DONE" and runs `poweroff -f`
#   OUTDIR/version     the kernel package's version and this script's hash
# The packages come with apt-get download (Debian's archive); nothing is
# fetched again while OUTDIR/version names the newest kernel and this
# script as it is.
set -euo pipefail
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$out/work
newest() {
	# Kernels, not the meta-packages (linux-image-6.12-cloud-amd64).
	apt-cache search --names-only '^linux-image-.*-cloud-amd64$' |
		grep -v meta-package | awk '{ print $1 }' | sort -V | tail -1
}
pkg=$(newest)
if [ -z "$pkg" ]; then
	apt-get update -q >/dev/null 2>&1 || true
	pkg=$(newest)
fi
[ -n "$pkg" ] || { echo "fetch.sh: no linux-image-*-cloud-amd64 in apt's lists" >&2; exit 1; }
stamp="$pkg $(sha256sum "$0" | cut -c1-16)"
if [ -s "$out/version" ] && [ "$(cat "$out/version")" = "$stamp" ] &&
	[ -s "$out/vmlinux" ] && [ -s "$out/initrd.img" ]; then
	exit 0
fi
for tool in cpio lz4 gzip zstd xz; do
	command -v $tool >/dev/null || {
		echo "fetch.sh: needs $tool (make deps)" >&2
		exit 1
	}
done
rm -rf "$work"
mkdir -p "$work/deb" "$work/root"
(cd "$work/deb" && apt-get download -q "$pkg" busybox-static >/dev/null) || {
	echo "fetch.sh: apt-get download $pkg busybox-static failed" >&2
	exit 1
}
dpkg-deb -x "$work"/deb/linux-image-*.deb "$work/kernel"
dpkg-deb -x "$work"/deb/busybox-static_*.deb "$work/busybox"
cp "$work"/kernel/boot/vmlinuz-* "$out/vmlinuz"

# The bzImage's payload (boot protocol 2.08+: payload_offset at 0x248
# and payload_length at 0x24c, from the protected-mode code after the
# setup sectors), unpacked by the tool its magic names.
u8() { od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' '; }
u32() { od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '; }
setup_sects=$(u8 "$out/vmlinuz" $((0x1f1)))
[ "$setup_sects" -ne 0 ] || setup_sects=4
start=$(((setup_sects + 1) * 512 + $(u32 "$out/vmlinuz" $((0x248)))))
len=$(u32 "$out/vmlinuz" $((0x24c)))
payload() { tail -c +$((start + 1)) "$out/vmlinuz" | head -c "$len"; }
case $(payload | head -c 4 | od -An -tx1 | tr -d ' ') in
28b52ffd) unpack="zstd -dcq" ;;
02214c18) unpack="lz4 -dc" ;;
1f8b*) unpack="gzip -dc" ;;
fd377a58) unpack="xz -dc" ;;
*) echo "fetch.sh: $pkg's payload is in no format known here" >&2; exit 1 ;;
esac
payload | $unpack >"$out/vmlinux" 2>/dev/null || true
[ "$(head -c 4 "$out/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || {
	echo "fetch.sh: the payload is not an ELF" >&2
	exit 1
}

root=$work/root
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
for tool in sh echo cat grep wc sleep poweroff mount dmesg sed; do
	ln -s busybox "$root/bin/$tool"
done
cat >"$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
dmesg | grep -i 'grant' | sed 's/^/LINUX-GUEST-DMESG /'
cpus=$(grep -c '^processor' /proc/cpuinfo)
echo "LINUX-GUEST-UP cpus=$cpus"
sleep 1
echo "LINUX-GUEST-DONE"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$out/initrd.img"
echo "$stamp" >"$out/version"
rm -rf "$work"
echo "fetch.sh: $pkg in $out"
