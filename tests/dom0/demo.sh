# The demo script `make run` gives dom0: a guest is created from a file
# module, listed, its console output shown, then destroyed. The shell
# then waits for you: try `help`, `xl`, `xl list`, `files`, or
# `xl create again mem=16M image=hello.elf` and `xl console-log again`.
echo Welcome to dom0: creating the demo guest with xl
xl info
xl create demo mem=16M vcpus=1 image=hello.elf
xl list
xl wait demo 30
xl console-log demo
xl destroy demo
xl list
echo The demo is over: this is dom0's shell. Type help.
