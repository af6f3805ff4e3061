#!/bin/bash
# check-input.sh LOG: the input ISO's bad boot input (Config.mk) was refused
# with exactly these messages, and the rest of the boot went on: the
# refused maxcpus= left every CPU up (run with --smp 2), module 0's string
# of over 2 KiB was held whole (its mem= comes last), and its domain
# passed. Prints one line; exits 0 if all hold, 1 if not, 2 on usage error.
set -euo pipefail
BOOT_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BOOT_TEST_DIR/lib.sh"

(($# == 1)) || die "usage: ${0##*/} LOG"
[[ -r $1 ]] || die "log not readable: $1"

expect_lines "$1" <<'EOF'
(XEN) module 16 ('domain name=seventeenth mem=8M'): more than 16 boot modules: refused
(XEN) option 'maxcpus=4294967297' refused: out of range (at most 4294967295)
(XEN) option 'sched_slice_ms=99999999999999999999' refused: out of range (1 to 1000)
(XEN) option 'mem_hotplug=99999999999999999999M' refused: out of range (at most 18446744073709551615)
(XEN) option 'sched_slice_ms=0x5' refused: not a decimal number
(XEN) option 'sched_slice_ms=0' refused: out of range (1 to 1000)
(XEN) option 'control_domain=a_name_longer_than_thirty_one_chars' refused: too long (at most 31 characters)
(XEN) console= is empty: using the default console (com1,e9)
(XEN) 2 CPUs online
(XEN) d1 (hello): 8 MiB, 1 vCPU, 32-bit, entry 0x100000
(XEN) module 1 ('domain name=hello mem=8M'): name=hello: module 0 has that name: refused
(XEN) module 2 ('domain name=bigmem mem=99999999999999999999M'): mem=99999999999999999999M: out of range (1M to 4G, whole pages): refused
(XEN) module 3 ('domain name=manyvcpus mem=8M vcpus=4294967297'): vcpus=4294967297: out of range (1 to 8): refused
(XEN) module 4 ('domain name=twomem mem=8M mem=16M'): mem= given twice: refused
(XEN) module 5 ('domain name=quote mem=8M cmdline=\"abc'): the quote in 'cmdline=\"abc' is not closed: refused
(XEN) module 6 ('domain name=hexvcpus mem=8M vcpus=0x2'): vcpus=0x2: not a decimal number: refused
(XEN) module 7 ('domain name=bigcpu mem=8M cpus=18446744073709551617'): cpus=18446744073709551617: not a list of CPUs below 64 (like 0,2-3): refused
(XEN) module 8 ('domain name=a_name_longer_than_thirty_one_chars mem=8M'): name=a_name_longer_than_thirty_one_chars: too long (at most 31 characters): refused
(XEN) module 9 ('domain name=badsize mem=8Q'): mem=8Q: not a size (decimal, optional K, M, G or B suffix): refused
(XEN) module 10 ('domain name=toomuch mem=4097M'): mem=4097M: out of range (1M to 4G, whole pages): refused
(XEN) module 11 ('domain name=novcpus mem=8M vcpus='): vcpus=: not a decimal number: refused
(XEN) module 12 ('domain name=nomem vcpus=1'): name= and mem= are required: refused
(XEN) module 13 ('domain name=bogus mem=8M bogus=1'): 'bogus': unknown option (name, mem, vcpus, cmdline, cpus, expect, boot, xen_cpuid): refused
(XEN) module 14 ('domain name=maybe mem=8M expect=maybe'): expect=maybe: only expect=crash, expect=crash:REASON, expect=hang or expect=poweroff is known: refused
(XEN) module 15 ('name=notdomain mem=8M'): not a domain (the string must start with 'domain'): refused
(XEN) 1 domain built from 17 boot modules
(XEN) d1 (hello): PASS (poweroff, expected SUCCESS and poweroff)
EOF
