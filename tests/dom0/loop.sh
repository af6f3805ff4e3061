# dom0's loop test (the dom0loop ISO, tests/boot/check-dom0-loop.sh): a
# hundred rounds of create, wait and destroy under one name leave only
# dom0 behind (autoexit then checks the free pages).
repeat 100 xl create loop mem=4M vcpus=1 image=hello.elf ; xl wait loop ; xl destroy loop
xl list
poweroff
