xl create pt mem=16M vcpus=2 image=pagetest.elf cmdline="passes=3" paused
xenpaging -d 2 -m 4096
xl unpause 2
xl wait 2
xenpaging -d 2 --stats
xl destroy 2
xl create lz mem=16M vcpus=1 image=hello.elf lazy=1
xl wait 3
xl destroy 3
poweroff
