xl create linux mem=256M vcpus=2 image=vmlinux ramdisk=initrd.img cmdline="console=hvc0 console=ttyS0 quiet"
xl wait linux
xl destroy linux
poweroff
