# loop.sh with 10 rounds, for Bochs (the dom0loopsmall ISO).
repeat 10 xl create loop mem=4M vcpus=1 image=hello.elf ; xl wait loop ; xl destroy loop
xl list
poweroff
