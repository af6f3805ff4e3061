# dom0's boot-test script (the dom0script ISO, tests/boot/run.sh
# dom0-script-*): the files it was given, its self-checks with foreign
# mappings of d2, then poweroff, which prints "script s.sh: 6 commands,
# 0 failed" and the verdict.

echo dom0 script: "start   here"
files
cat hello.txt
   # an indented comment
# d2 is the halt_forever guest: its pages are mapped and unmapped
selftest 2
threads
mem
poweroff
echo never reached
