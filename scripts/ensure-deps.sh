#!/usr/bin/env bash
# Install the Debian packages the build, the emulators and the tests need.
# As root: installs what is missing, saying so in one line. Otherwise:
# prints the apt-get command to run and fails.
set -euo pipefail

packages=(gcc binutils make python3 qemu-system-x86 ovmf xorriso
	grub-pc-bin grub-efi-amd64-bin grub-common mtools bochs bochsbios
	vgabios bochs-sdl cpio lz4 gzip zstd xz-utils)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "installing missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/tmp/ensure-deps.log 2>&1; then
	apt-get update -q >>/tmp/ensure-deps.log 2>&1
	apt-get install -y -q "${missing[@]}" >>/tmp/ensure-deps.log 2>&1 || {
		tail -20 /tmp/ensure-deps.log >&2
		exit 1
	}
fi
