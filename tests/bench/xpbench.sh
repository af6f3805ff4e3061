# dom0's paging benchmark script (a dom0 script, not a shell script),
# booted by `make bench` from dist/xen-dom0pagebench.iso;
# tests/bench/dom0-paging-bench.sh reads its lines. pagetest (64 MiB,
# paused: its memory zero but for its image) evicted to 16 MiB and paged
# back by a detach; then run for 2 passes at 25% resident (its pattern in
# every page: the store's ratio on it); then hello (256 MiB) started
# eagerly and lazily, each timed from xl create to its poweroff.
xl create pt mem=64M vcpus=2 image=pagetest.elf cmdline="passes=2" paused
time xenpaging -d 2 -m 16384
time xenpaging -d 2 --detach
xenpaging -d 2 -m 16384
xl unpause 2
time xl wait 2
xenpaging -d 2 --stats
xl destroy 2
time xl create eager mem=256M vcpus=1 image=hello.elf
time xl wait eager
xl destroy eager
time xl create lazy mem=256M vcpus=1 image=hello.elf lazy=1
time xl wait lazy
xenpaging -d 4 --stats
xl destroy lazy
poweroff
