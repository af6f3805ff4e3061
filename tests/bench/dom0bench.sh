# dom0's benchmark script (a dom0 script, not a shell script), booted by
# `make bench` from dist/xen-dom0bench.iso; tests/bench/guest-bench.sh
# reads its `time:` and `bench` lines. Five rounds of xl create (hello,
# built in 16 MiB, left paused) and xl destroy, then a 1 GiB domain whose
# memory mapbench maps in 1024-page batches.
time xl create hello mem=16M vcpus=1 image=hello.elf paused
time xl destroy hello
time xl create hello mem=16M vcpus=1 image=hello.elf paused
time xl destroy hello
time xl create hello mem=16M vcpus=1 image=hello.elf paused
time xl destroy hello
time xl create hello mem=16M vcpus=1 image=hello.elf paused
time xl destroy hello
time xl create hello mem=16M vcpus=1 image=hello.elf paused
time xl destroy hello
time xl create big mem=1024M vcpus=1 image=hello.elf paused
xl list
time mapbench 2 1024
time xl destroy big
poweroff
