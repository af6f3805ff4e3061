# dom0's xl list test (the dom0list ISO, tests/boot/check-dom0-list.sh):
# the rows of two domains, one paused, the other shut down; hello's own
# lines; the hypervisor's log; dom0 alone once both are destroyed.
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
