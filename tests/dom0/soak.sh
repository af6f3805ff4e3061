# dom0's part of `make soak` (dist/xen-soakpaging.iso): pagetest paged at
# 25% resident for about 10 minutes, the fuzz guest (domain 2, a boot
# module) running beside it the whole time.
xl create pt mem=32M vcpus=2 image=pagetest.elf cmdline="passes=300" paused
xenpaging -d 3 -m 8192
xl unpause pt
xl wait pt 1200
xenpaging -d 3 --stats
xl destroy pt
poweroff
