xl create linux mem=256M vcpus=2 image=vmlinux ramdisk=initrd.img cmdline="console=hvc0 console=ttyS0 quiet" paused
xenpaging -d 2 -m 131072
xl unpause linux
xl wait linux
xenpaging -d 2 --stats
xl destroy linux
poweroff
