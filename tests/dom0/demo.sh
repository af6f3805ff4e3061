# The demo script `make run` gives dom0: a guest is created from a file
# module, listed, its console output shown, then destroyed; then pagetest
# runs with xenpaging holding it at a quarter of its memory, and hello
# starts lazily (its memory paged in on first touch). The shell then waits
# for you: try `help`, `xl`, `xl list`, `files`, or
# `xl create again mem=16M image=hello.elf` and `xl console-log again`.
echo Welcome to dom0: creating the demo guest with xl
xl info
xl create demo mem=16M vcpus=1 image=hello.elf
xl list
xl wait demo 30
xl console-log demo
xl destroy demo
echo Now pagetest (domain 3) under xenpaging, 4 MiB of its 16 resident
xl create paged mem=16M vcpus=2 image=pagetest.elf cmdline="passes=3" paused
xenpaging -d 3 -m 4096
xl unpause paged
xl wait paged 120
xenpaging -d 3 --stats
xl destroy paged
echo And hello started lazily: every page comes in on first touch
xl create lazy mem=16M vcpus=1 image=hello.elf lazy=1
xl wait lazy 30
xl destroy lazy
xl list
echo The demo is over: this is dom0's shell. Type help.
