# dom0's paging test beyond issue 13's check (the dom0pageplus ISO,
# tests/boot/check-dom0-pageplus.sh): two pagetest domains paged at once
# by two pagers (clock and random), bad arguments refused, the first
# domain's limit lowered and raised while it runs (its pager follows),
# the second's pager killed and restarted mid-run, both domains passing,
# then everything paged back in by a detach.
! xenpaging -d 9 -m 1024
xl create a mem=32M vcpus=2 image=pagetest.elf cmdline="passes=10" paused
xl create b mem=32M vcpus=1 image=pagetest.elf cmdline="passes=10" paused
! xenpaging -d 2 -m 65536
xenpaging -d 2 -m 16384
xenpaging -d 3 -m 8192 -p random
! xenpaging -d 2 -m 8192
xl unpause 2
xl unpause 3
sleep 1000
xl mem-set 2 8200K
xenpaging -d 3 --kill
sleep 500
xl list
xenpaging -d 3 -m 8192 -p random
sleep 1000
xl mem-set 2 32776K
xl wait 2
xl wait 3
xenpaging -d 2 --stats
xenpaging -d 3 --stats
xenpaging -d 2 --detach
xl list
xl destroy 2
xl destroy 3
poweroff
