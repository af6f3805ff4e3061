# dom0's bad-input test (the dom0bad ISO, tests/boot/check-dom0-bad.sh):
# each bad command is refused with a clear message (! checks that it
# fails), nothing is left behind, and a good create works after them. The
# last line, an unknown command, stops the script: it fails.
! xl destroy 99
! xl pause nosuch
! xl create big mem=3G vcpus=1 image=hello.elf
! xl create text mem=4M vcpus=1 image=hello.txt
! xl create gone mem=4M vcpus=1 image=nosuch.elf
! xl nosuchcommand 1
! xl create nomem vcpus=1 image=hello.elf
! xl create 42 mem=4M vcpus=1 image=hello.elf
! xl wait dom0 notanumber
xl list
xl create hello mem=16M vcpus=1 image=hello.elf
! xl create hello mem=4M vcpus=1 image=hello.elf
xl wait hello
xl destroy hello
! xl destroy hello
xl list
nosuchcommand with arguments
echo never reached
