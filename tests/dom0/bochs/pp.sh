# dom0's paging test beyond issue 13's check, small for Bochs (the
# dom0pageplusbochs ISO, tests/boot/check-dom0-pageplus.sh): pp.sh with
# 8 MiB domains and 3 passes: two pagetest domains paged at once (clock
# at 50%, random at 25%), bad arguments refused, the first domain's limit
# lowered and raised while it runs, the second's pager killed and
# restarted mid-run, both passing, then a detach.
! xenpaging -d 9 -m 1024
xl create a mem=8M vcpus=2 image=pagetest.elf cmdline="passes=3" paused
xl create b mem=8M vcpus=1 image=pagetest.elf cmdline="passes=3" paused
! xenpaging -d 2 -m 16384
xenpaging -d 2 -m 4096
xenpaging -d 3 -m 2048 -p random
! xenpaging -d 2 -m 2048
xl unpause 2
xl unpause 3
sleep 1000
xl mem-set 2 2056K
xenpaging -d 3 --kill
sleep 500
xl list
xenpaging -d 3 -m 2048 -p random
sleep 1000
xl mem-set 2 8200K
xl wait 2
xl wait 3
xenpaging -d 2 --stats
xenpaging -d 3 --stats
xenpaging -d 2 --detach
xl list
xl destroy 2
xl destroy 3
poweroff
