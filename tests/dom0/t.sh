xl info
xl create hello mem=16M vcpus=1 image=hello.elf
xl list
xl wait hello
xl destroy hello
xl list
poweroff
