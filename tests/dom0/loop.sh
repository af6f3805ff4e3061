# dom0's loop test (the dom0loop ISO, tests/boot/check-dom0-loop.sh): a
# hundred rounds of create, wait and destroy under one name leave only
# dom0 behind (autoexit then checks the free pages); then xl list's rows
# for two domains, one paused, hello's own lines and xl dmesg.
repeat 100 xl create loop mem=4M vcpus=1 image=hello.elf ; xl wait loop ; xl destroy loop
xl list
xl create two mem=24M vcpus=2 image=hello.elf paused
xl create one mem=8M vcpus=1 image=hello.elf
xl wait one
xl list
xl console-log one
xl dmesg
xl destroy one
xl destroy two
xl list
poweroff
