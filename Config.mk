# Toolchain and flags shared by every part of the build.

CC      ?= gcc
LD      ?= ld
OBJCOPY ?= objcopy
HOSTCC  ?= gcc

# debug=y (default) keeps assertions and the run-time lock-rank checker.
debug ?= y

BUILD := build
DIST  := dist

XEN_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-common -O2 -g \
	-Wall -Wextra -Wno-unused-parameter -Wstrict-prototypes \
	-Wmissing-prototypes -Werror
ifneq ($(debug),y)
XEN_CFLAGS += -DNDEBUG
endif
XEN_ASFLAGS := -D__ASSEMBLY__
# $(BUILD)/include holds generated headers (<generated/compile.h>).
XEN_INCLUDES := -Ixen/include -Ixen/arch/x86/include -I$(BUILD)/include \
	-Ixen/common/libimage
# The 32-bit entry segment is code and boot page tables in one (RWX).
XEN_LDFLAGS := -nostdlib -n -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments

# The ISOs: hypervisor command line and domain modules ('FILE STRING')
# of each. `make run` boots the run ISO; `make test` boots the others.
ISO_CMDLINE_run := loglvl=info
ISO_MODULES_run := \
	'dom0 domain name=dom0 mem=96M vcpus=1 cmdline="script=demo.sh"' \
	'demo.sh file demo.sh' 'hello.elf file hello.elf' \
	'pagetest.elf file pagetest.elf'
ISO_FILES_run := $(DIST)/dom0 tests/dom0/demo.sh $(DIST)/guests/hello.elf \
	$(DIST)/guests/pagetest.elf
ISO_CMDLINE_test := loglvl=info selftest mem_hotplug=32M
ISO_MODULES_test :=
# hypercall runs twice: as a plain domain, and as the control domain that
# control_domain= names (here not the first domain, hello). pong must come
# right after ping: it takes ping's domain id plus one as its peer.
ISO_CMDLINE_guests := loglvl=info autoexit control_domain=hypercall_ctl
ISO_MODULES_guests := \
	'guests/hello.elf domain name=hello mem=16M vcpus=2' \
	'guests/memory.elf domain name=memory mem=32M vcpus=4' \
	'guests/triple_fault.elf domain name=triple_fault mem=8M vcpus=1 expect=crash:fault' \
	'guests/bad_gfn.elf domain name=bad_gfn mem=8M vcpus=1 "expect=crash:fetch from gpa c0000000 where nothing is"' \
	'guests/bad_gfn.elf domain name=bad_gfn_balloon mem=8M vcpus=1 cmdline="balloon=1 addr=0x7ff000" "expect=crash:fetch from gpa 7ff000 where nothing is"' \
	'guests/timer.elf domain name=timer mem=8M vcpus=2' \
	'guests/wait_queue.elf domain name=wait_queue mem=8M vcpus=2' \
	'guests/hello64.elf domain name=hello64 mem=8M vcpus=2' \
	'guests/hypercall.elf domain name=hypercall mem=8M vcpus=1' \
	'guests/hypercall.elf domain name=hypercall_ctl mem=8M vcpus=1 cmdline="control=1 lines=0"' \
	'guests/balloon.elf domain name=balloon mem=16M vcpus=1' \
	'guests/xsa277.elf domain name=xsa277 mem=8M vcpus=1' \
	'guests/paging.elf domain name=paging mem=8M vcpus=1' \
	'guests/pingpong.elf domain name=ping mem=8M vcpus=1' \
	'guests/pingpong.elf domain name=pong mem=8M vcpus=1 cmdline="pong=1"' \
	'guests/fuzz.elf domain name=fuzz mem=16M vcpus=1 cmdline="seconds=3 seed=1"'
# Two CPU-bound domains pinned to one CPU must get half of it each. The
# tolerance is wide because a loaded host also steals time from QEMU's
# vCPU threads, which both guests see as not running; serialised or
# starved domains (100% or 0%) still fail.
ISO_CMDLINE_fair := loglvl=info autoexit
ISO_MODULES_fair := \
	'guests/fair_share.elf domain name=fair_a mem=8M vcpus=1 cpus=0 cmdline="expect_share=50 tolerance=35"' \
	'guests/fair_share.elf domain name=fair_b mem=8M vcpus=1 cpus=0 cmdline="expect_share=50 tolerance=35"'
# Small enough for Bochs. hello, the first domain, is the control domain.
ISO_CMDLINE_basic := loglvl=info autoexit
ISO_MODULES_basic := \
	'guests/hello.elf domain name=hello mem=8M vcpus=1' \
	'guests/memory.elf domain name=memory mem=16M vcpus=2' \
	'guests/bad_gfn.elf domain name=bad_gfn_balloon mem=8M vcpus=1 cmdline="balloon=1 addr=0x7ff000" "expect=crash:fetch from gpa 7ff000 where nothing is"' \
	'guests/timer.elf domain name=timer mem=8M vcpus=2' \
	'guests/wait_queue.elf domain name=wait_queue mem=8M vcpus=2' \
	'guests/hello64.elf domain name=hello64 mem=8M vcpus=2' \
	'guests/hypercall.elf domain name=hypercall mem=8M vcpus=1' \
	'guests/balloon.elf domain name=balloon mem=8M vcpus=1' \
	'guests/xsa277.elf domain name=xsa277 mem=8M vcpus=1' \
	'guests/paging.elf domain name=paging mem=8M vcpus=1' \
	'guests/pingpong.elf domain name=ping mem=8M vcpus=1' \
	'guests/pingpong.elf domain name=pong mem=8M vcpus=1 cmdline="pong=1"' \
	'guests/fuzz.elf domain name=fuzz mem=16M vcpus=1 cmdline="seconds=3 seed=1"'
# Issue 9's hostile guests, small enough for Bochs (run under QEMU SVM,
# Bochs VMX and Bochs SVM): two pairs of register checkers pinned to one
# CPU, each with its own seed, and the control-register and CR8 guests
# beside a two-vCPU timer guest. The pairs stop after 1000 rounds (about
# 1 s under QEMU) or 20 s by the clock (Bochs: its ips=5M second is short).
ISO_CMDLINE_isolation := loglvl=info autoexit
ISO_MODULES_isolation := \
	'guests/regs.elf domain name=regs_a mem=8M vcpus=1 cpus=0 cmdline="seed=1 seconds=20 rounds=1000"' \
	'guests/regs.elf domain name=regs_b mem=8M vcpus=1 cpus=0 cmdline="seed=2 seconds=20 rounds=1000"' \
	'guests/regs64.elf domain name=regs64_a mem=8M vcpus=1 cpus=0 cmdline="seed=3 seconds=20 rounds=1000"' \
	'guests/regs64.elf domain name=regs64_b mem=8M vcpus=1 cpus=0 cmdline="seed=4 seconds=20 rounds=1000"' \
	'guests/controls.elf domain name=controls mem=8M vcpus=1' \
	'guests/cr8.elf domain name=cr8 mem=8M vcpus=1' \
	'guests/timer.elf domain name=timer mem=8M vcpus=2'
# 26 stars: the self-test glob must take linear time, not hang the boot.
ISO_CMDLINE_glob := loglvl=info selftest=**************************symbol_lookup
ISO_MODULES_glob :=
# Bad boot input (see tests/boot/check-input.sh): refused options keep
# their defaults (maxcpus: all CPUs come up). The command line is over
# 1 KiB with autoexit last, and module 0's string over 2 KiB with mem=
# after its long cmdline: the run ends, and the domain is built, only if
# both are held whole. Modules 1-15 are refused for one reason each, and
# module 16 for being the 17th. The one good domain ends the run.
INPUT_PAD := $(shell printf '%02400d' 0)
ISO_CMDLINE_input := $(foreach i,$(shell seq 100),loglvl=info) \
	maxcpus=4294967297 sched_slice_ms=99999999999999999999 \
	mem_hotplug=99999999999999999999M sched_slice_ms=0x5 sched_slice_ms=0 \
	control_domain=a_name_longer_than_thirty_one_chars console= autoexit
ISO_MODULES_input := \
	'guests/hello.elf domain name=hello cmdline="pad=$(INPUT_PAD)" mem=8M' \
	'guests/hello.elf domain name=hello mem=8M' \
	'guests/hello.elf domain name=bigmem mem=99999999999999999999M' \
	'guests/hello.elf domain name=manyvcpus mem=8M vcpus=4294967297' \
	'guests/hello.elf domain name=twomem mem=8M mem=16M' \
	'guests/hello.elf domain name=quote mem=8M cmdline=\"abc' \
	'guests/hello.elf domain name=hexvcpus mem=8M vcpus=0x2' \
	'guests/hello.elf domain name=bigcpu mem=8M cpus=18446744073709551617' \
	'guests/hello.elf domain name=a_name_longer_than_thirty_one_chars mem=8M' \
	'guests/hello.elf domain name=badsize mem=8Q' \
	'guests/hello.elf domain name=toomuch mem=4097M' \
	'guests/hello.elf domain name=novcpus mem=8M vcpus=' \
	'guests/hello.elf domain name=nomem vcpus=1' \
	'guests/hello.elf domain name=bogus mem=8M bogus=1' \
	'guests/hello.elf domain name=maybe mem=8M expect=maybe' \
	'guests/hello.elf name=notdomain mem=8M' \
	'guests/hello.elf domain name=seventeenth mem=8M'
# `make soak`: the fuzz guest for 10 minutes beside the regs pair (not
# built by `make`). regs_a comes first, so it is the control domain and
# fuzz an ordinary one that cannot touch the pair.
ISO_CMDLINE_soak := loglvl=info autoexit
ISO_MODULES_soak := \
	'guests/regs.elf domain name=regs_a mem=8M vcpus=1 cpus=0 cmdline="seed=1 seconds=600"' \
	'guests/regs.elf domain name=regs_b mem=8M vcpus=1 cpus=0 cmdline="seed=2 seconds=600"' \
	'guests/fuzz.elf domain name=fuzz mem=16M vcpus=1 cpus=0 cmdline="seconds=600"'

# `make soak`, paging: dom0 pages pagetest at 25% resident for about 10
# minutes (tests/dom0/soak.sh) while the fuzz guest runs beside it.
ISO_CMDLINE_soakpaging := console=com1 autoexit
ISO_MODULES_soakpaging := \
	'dom0 domain name=dom0 mem=96M vcpus=1 cmdline="script=soak.sh onfail=poweroff"' \
	'guests/fuzz.elf domain name=fuzz mem=16M vcpus=1 cmdline="seconds=600"' \
	'soak.sh file soak.sh' 'pagetest.elf file pagetest.elf'
ISO_FILES_soakpaging := $(DIST)/dom0 tests/dom0/soak.sh \
	$(DIST)/guests/pagetest.elf
# `make bench`: the pingpong pair, many round trips (not built by `make`).
ISO_CMDLINE_bench := loglvl=info autoexit
ISO_MODULES_bench := \
	'guests/pingpong.elf domain name=ping mem=8M vcpus=1 cmdline="rounds=20000"' \
	'guests/pingpong.elf domain name=pong mem=8M vcpus=1 cmdline="pong=1 rounds=20000"'
# `make bench`, paging: the pager (the control domain) sets up pagetest's
# page-in rounds (bench=N: 2N pages from gfn bench_gfn + 1, on 4 vCPUs).
ISO_CMDLINE_pagebench := console=com1 autoexit
ISO_MODULES_pagebench := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=bench bench=128 bench_gfn=0x800"' \
	'guests/pagetest.elf domain name=pagetest mem=16M vcpus=4 cmdline="bench=128 bench_gfn=0x800"'

# Domain lifecycle (boot with 1 GiB where noted; see tests/boot/run.sh).
# oom: on a 1 GiB host a 4 GiB domain is refused with -ENOMEM, and so is
# one that fits the host but not what is left beside 'fill' (refused
# before it takes any memory); the next domain is built with everything
# back. fill and after must pass.
ISO_CMDLINE_oom := loglvl=info autoexit
ISO_MODULES_oom := \
	'guests/hello.elf domain name=huge mem=4G vcpus=1' \
	'guests/hello.elf domain name=fill mem=700M vcpus=1' \
	'guests/hello.elf domain name=over mem=600M vcpus=2' \
	'guests/hello.elf domain name=after mem=16M vcpus=1'
# reap: a domain dies holding 512 MiB while a CPU-bound one spins on CPU0
# (where the reaper lives) for 3 s: it must be reclaimed meanwhile. The
# spinner's own share is not the point (it shares CPU0 with the reaper,
# and a loaded host steals from it): any share passes.
ISO_CMDLINE_reap := loglvl=info autoexit
ISO_MODULES_reap := \
	'guests/fair_share.elf domain name=spinner mem=8M vcpus=1 cpus=0 cmdline="seconds=3 tolerance=100"' \
	'guests/hello.elf domain name=dead mem=512M vcpus=1'
# hang: a domain that halts with interrupts off and no timer, beside one
# that passes: reported hung once the other is gone, and the run ends.
ISO_CMDLINE_hang := loglvl=info autoexit
ISO_MODULES_hang := \
	'guests/hello.elf domain name=hello mem=8M vcpus=1' \
	'guests/halt_forever.elf domain name=stuck mem=8M vcpus=2 expect=hang'
# hangfail: the same without expect=hang: the hung domain counts as failed.
ISO_CMDLINE_hangfail := loglvl=info autoexit
ISO_MODULES_hangfail := \
	'guests/hello.elf domain name=hello mem=8M vcpus=1' \
	'guests/halt_forever.elf domain name=stuck mem=8M vcpus=1'
# nodomain: no module becomes a domain (one refused, one too big to build):
# autoexit must end the run at once, failing.
ISO_CMDLINE_nodomain := loglvl=info autoexit
ISO_MODULES_nodomain := \
	'guests/hello.elf domain name=bad mem=1K vcpus=1' \
	'guests/hello.elf domain name=huge mem=4G vcpus=1'
# crashfail: expect=crash is met only by the hypervisor crashing the
# domain; memory's own verdict and shutdown count as failed.
ISO_CMDLINE_crashfail := loglvl=info autoexit
ISO_MODULES_crashfail := \
	'guests/memory.elf domain name=memory mem=16M vcpus=2 expect=crash'
# files: boot modules `file NAME` go to the control domain (the first
# `files` guest), in its RAM and start info; the other domain gets none;
# a repeated name and a bad one are refused (tests/boot/check-files.sh).
ISO_CMDLINE_files := loglvl=info autoexit
ISO_MODULES_files := \
	'guests/files.elf domain name=files mem=8M vcpus=1 cmdline="files=2"' \
	'guests/hello.elf file hello.elf' \
	'guests/files.elf domain name=plain mem=8M vcpus=1' \
	'guests/pagetest.elf file pagetest.elf' \
	'guests/hello.elf file hello.elf' \
	'guests/hello.elf file bad/name'
# startinfo: a PVH guest (its own note) with 3 vCPUs and a ramdisk (the
# hello guest's ELF as data), and the control domain (flags) check their
# entry, start info, memory map and ACPI tables; ramdisk modules with no
# domain before them, with words after `ramdisk`, or too big for their
# domain are refused (tests/boot/check-startinfo.sh).
ISO_CMDLINE_startinfo := loglvl=info autoexit control_domain=ctl
ISO_MODULES_startinfo := \
	'guests/hello.elf ramdisk' \
	'guests/startinfo.elf domain name=pvh mem=16M vcpus=3 cmdline="ramdisk=1"' \
	'guests/hello.elf ramdisk' \
	'guests/startinfo.elf domain name=ctl mem=8M vcpus=1 cmdline="flags=3"' \
	'guests/startinfo.elf domain name=bad mem=8M' \
	'guests/hello.elf ramdisk x=1' \
	'guests/startinfo.elf domain name=small mem=2M' \
	'xen ramdisk'
# hvmfail: CPU1's HVM bring-up is faked as failed (hvm_fail_cpu=, a test
# aid): every vCPU must be placed on CPU0 and every domain still pass.
ISO_CMDLINE_hvmfail := loglvl=info autoexit hvm_fail_cpu=1
ISO_MODULES_hvmfail := \
	'guests/hello.elf domain name=hello mem=8M vcpus=2' \
	'guests/memory.elf domain name=memory mem=16M vcpus=2' \
	'guests/timer.elf domain name=timer mem=8M vcpus=2'
# tlb: vCPU 1 reads a page that vCPU 0 balloons out; its reads must then
# give all-ones, never the old frame (run on 2 CPUs, so that vCPU 1 stays
# in its guest meanwhile).
ISO_CMDLINE_tlb := loglvl=info autoexit
ISO_MODULES_tlb := \
	'guests/tlb_shootdown.elf domain name=tlb_shootdown mem=8M vcpus=2 cmdline="addr=0x7ff000"'

# stack: stack_overflow_test runs a vCPU into the guard page below its
# stack once boot is done; the hypervisor must panic naming the stack.
ISO_CMDLINE_stack := loglvl=info autoexit stack_overflow_test
ISO_MODULES_stack :=

# pagetest alone, with no pager: a memory test over 3 passes on 2 vCPUs.
ISO_CMDLINE_pagetest := loglvl=info autoexit
ISO_MODULES_pagetest := \
	'guests/pagetest.elf domain name=pagetest mem=16M vcpus=2 cmdline="passes=3"'

# paging: issue 11's check. The pager (the control domain) holds pagetest
# at 25% resident while it verifies its memory 10 times on 2 vCPUs; the
# Bochs variant is smaller (pagetest 16M, 3 passes).
ISO_CMDLINE_paging := console=com1 autoexit
ISO_MODULES_paging := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 resident=25"' \
	'guests/pagetest.elf domain name=pagetest mem=64M vcpus=2 cmdline="passes=10"'
ISO_CMDLINE_pagingsmall := console=com1 autoexit
ISO_MODULES_pagingsmall := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 resident=25"' \
	'guests/pagetest.elf domain name=pagetest mem=16M vcpus=2 cmdline="passes=3"'
# The pager's other modes (issue 11's tests), each small (a page-in costs
# about 2.5 ms under QEMU TCG). hostile: bad input, each with its error;
# pagetest checks that it may not call domctl or paging_op itself.
ISO_CMDLINE_paginghostile := console=com1 autoexit
ISO_MODULES_paginghostile := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=hostile"' \
	'guests/pagetest.elf domain name=pagetest mem=8M vcpus=2 cmdline="passes=2 checkperm=1"'
# lazy: start-up demand paging (all of pagetest paged out before it runs).
ISO_CMDLINE_paginglazy := console=com1 autoexit
ISO_MODULES_paginglazy := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=lazy"' \
	'guests/pagetest.elf domain name=pagetest mem=8M vcpus=2 cmdline="passes=2"'
# restart: pagetest paged out at start as for lazy; after 300 page-ins the
# ring goes and a new one gets the requests left on it again.
ISO_CMDLINE_pagingrestart := console=com1 autoexit
ISO_MODULES_pagingrestart := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=restart restart_after=300"' \
	'guests/pagetest.elf domain name=pagetest mem=8M vcpus=2 cmdline="passes=3"'
# vcpus4: 4 vCPUs, all of pagetest paged out at start, then held at 10%
# resident; the pager's read-ahead fills the ring, so vCPUs wait for slots.
ISO_CMDLINE_pagingvcpus4 := console=com1 autoexit
ISO_MODULES_pagingvcpus4 := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=lazy resident=10 readahead=8 want_full=1"' \
	'guests/pagetest.elf domain name=pagetest mem=4M vcpus=4 cmdline="passes=2"'
# same: 4 vCPUs read the same paged gfn at once: one request per eviction.
ISO_CMDLINE_pagingsame := console=com1 autoexit
ISO_MODULES_pagingsame := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=lazy resident=10"' \
	'guests/pagetest.elf domain name=pagetest mem=4M vcpus=4 cmdline="passes=1 same=32"'
# die: the pager shuts down with pagetest waiting on page-ins: pagetest
# must be reported hung, not crashed.
ISO_CMDLINE_pagingdie := console=com1 autoexit
ISO_MODULES_pagingdie := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=die"' \
	'guests/pagetest.elf domain name=pagetest mem=8M vcpus=1 expect=hang cmdline="passes=3"'

# A dead domain's pages the control domain still maps stay its (mode=outlive).
ISO_CMDLINE_pagingoutlive := console=com1 autoexit
ISO_MODULES_pagingoutlive := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=outlive"' \
	'guests/pagetest.elf domain name=pagetest mem=8M vcpus=1 cmdline="passes=2"'
# pt64: pagetest built 64-bit: its page tables (the builder's, in its own
# memory) are paged too, so its accesses fault in the walk of them and the
# hypervisor's walks for its hypercall buffers meet paged tables.
ISO_CMDLINE_pagingpt64 := console=com1 autoexit
ISO_MODULES_pagingpt64 := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 resident=25 hot=6"' \
	'guests/pagetest64.elf domain name=pagetest mem=16M vcpus=2 cmdline="passes=3"'
# accessed: the pager reads pagetest's accessed bits (XENMEM_paging_op_
# accessed) round by round against the pages pagetest touched.
ISO_CMDLINE_pagingaccessed := console=com1 autoexit
ISO_MODULES_pagingaccessed := \
	'guests/pager.elf domain name=pager mem=32M vcpus=1 cmdline="target=2 mode=accessed"' \
	'guests/pagetest.elf domain name=pagetest mem=16M vcpus=1 cmdline="accessed=1"'

# fairwake: a vCPU that runs 20 us, then sleeps 1 ms (each wake-up
# boosted) beside two plain ones on CPU0: each plain one keeps about half
# (13% at least), however often the boosts preempt the other.
ISO_CMDLINE_fairwake := loglvl=info autoexit
ISO_MODULES_fairwake := \
	'guests/fair_share.elf domain name=plain_a mem=8M vcpus=1 cpus=0 cmdline="expect_share=45 tolerance=32"' \
	'guests/fair_share.elf domain name=plain_b mem=8M vcpus=1 cpus=0 cmdline="expect_share=45 tolerance=32"' \
	'guests/fair_share.elf domain name=waker mem=8M vcpus=1 cpus=0 cmdline="waker_us=20 sleep_us=1000 tolerance=100"'

# dom0 (tools/minios, dist/dom0) alone (issue 12). dom0shell: no script;
# the boot test feeds its shell commands on COM1 (tests/boot/
# dom0-shell-input.txt), ending with poweroff. dom0selftest: selftest=1
# runs the self-checks and powers off, for emulators without input (the
# default console, COM1 and port 0xe9: Bochs logs the latter).
ISO_CMDLINE_dom0shell := console=com1 autoexit
ISO_MODULES_dom0shell := 'dom0 domain name=dom0 mem=32M vcpus=1'
ISO_FILES_dom0shell := $(DIST)/dom0
ISO_CMDLINE_dom0selftest := loglvl=info autoexit
ISO_MODULES_dom0selftest := \
	'dom0 domain name=dom0 mem=32M vcpus=1 cmdline="selftest=1"'
ISO_FILES_dom0selftest := $(DIST)/dom0
# dom0script: dom0 runs s.sh (tests/dom0/), given as a file module, at
# start; it maps pages of d2 (a guest that halts for good, reported hung
# once dom0 is gone) and ends with poweroff. dom0scriptfail: its script fails at line 5,
# then the boot test feeds the shell a poweroff (tests/boot/
# dom0-poweroff-input.txt): the verdict is FAILURE.
ISO_CMDLINE_dom0script := loglvl=info autoexit
ISO_MODULES_dom0script := \
	'dom0 domain name=dom0 mem=32M vcpus=1 cmdline="script=s.sh onfail=poweroff"' \
	's.sh file s.sh' 'hello.txt file hello.txt' \
	'guests/halt_forever.elf domain name=target mem=8M vcpus=1 expect=hang'
ISO_FILES_dom0script := $(DIST)/dom0 tests/dom0/s.sh tests/dom0/hello.txt
ISO_CMDLINE_dom0scriptfail := console=com1 autoexit
ISO_MODULES_dom0scriptfail := \
	'dom0 domain name=dom0 mem=32M vcpus=1 cmdline="script=fail.sh"' \
	'fail.sh file fail.sh'
ISO_FILES_dom0scriptfail := $(DIST)/dom0 tests/dom0/fail.sh
# dom0onfail: the same script with onfail=poweroff: dom0 powers off with
# FAILURE at once, no shell, no input needed (the unattended ISOs above
# and below all pass it).
ISO_CMDLINE_dom0onfail := console=com1 autoexit
ISO_MODULES_dom0onfail := \
	'dom0 domain name=dom0 mem=32M vcpus=1 cmdline="script=fail.sh onfail=poweroff"' \
	'fail.sh file fail.sh'
ISO_FILES_dom0onfail := $(DIST)/dom0 tests/dom0/fail.sh
# dom0nocontrol: dom0 when it is not the control domain may not read the
# console: it says so, its shell stops, and it is found hung (expected).
ISO_CMDLINE_dom0nocontrol := loglvl=info autoexit control_domain=none
ISO_MODULES_dom0nocontrol := 'dom0 domain name=dom0 mem=32M vcpus=1 expect=hang'
ISO_FILES_dom0nocontrol := $(DIST)/dom0
# ctl: the control domain creates a domain through domctl, writes a
# program into it, starts it, sees it shut down and destroys it; then 100
# create+destroy rounds (free pages back), getdomaininfolist, the console
# ring and bad input. unpriv, a domU, gets -EPERM from domctl and sysctl.
# ctlsmall (Bochs): 10 rounds.
ISO_CMDLINE_ctl := loglvl=info autoexit
ISO_MODULES_ctl := \
	'guests/ctl.elf domain name=ctl mem=32M vcpus=1' \
	'guests/ctl.elf domain name=unpriv mem=8M vcpus=1 cmdline="unpriv=1"'
ISO_CMDLINE_ctlsmall := loglvl=info autoexit
ISO_MODULES_ctlsmall := \
	'guests/ctl.elf domain name=ctl mem=32M vcpus=1 cmdline="rounds=10"' \
	'guests/ctl.elf domain name=unpriv mem=8M vcpus=1 cmdline="unpriv=1"'

# dom0xl: issue 12's check. dom0 runs t.sh (tests/dom0/): xl info, then
# it creates hello from a file module, lists it, waits for it, destroys it
# and lists again (tests/boot/check-dom0-xl.sh).
ISO_CMDLINE_dom0xl := console=com1 autoexit
ISO_MODULES_dom0xl := \
	'dom0 domain name=dom0 mem=64M vcpus=1 cmdline="script=t.sh onfail=poweroff"' \
	't.sh file t.sh' 'hello.elf file hello.elf'
ISO_FILES_dom0xl := $(DIST)/dom0 tests/dom0/t.sh $(DIST)/guests/hello.elf
# dom0page: issue 13's check. dom0 runs p.sh (tests/dom0/): pagetest
# (64 MiB, 2 vCPUs, 10 passes) created paused, xenpaging holding it at
# 16 MiB, its stats once it is done; then hello started lazily (all of its
# RAM paged out, served on first touch). dom0pagebochs: the same for
# Bochs (tests/dom0/bochs/p.sh: pagetest at 16 MiB held at 4 MiB, 3
# passes). tests/boot/check-dom0-paging.sh.
ISO_CMDLINE_dom0page := console=com1 autoexit
ISO_MODULES_dom0page := \
	'dom0 domain name=dom0 mem=96M vcpus=1 cmdline="script=p.sh onfail=poweroff"' \
	'p.sh file p.sh' 'pagetest.elf file pagetest.elf' \
	'hello.elf file hello.elf'
ISO_FILES_dom0page := $(DIST)/dom0 tests/dom0/p.sh \
	$(DIST)/guests/pagetest.elf $(DIST)/guests/hello.elf
ISO_CMDLINE_dom0pagebochs := $(ISO_CMDLINE_dom0page)
ISO_MODULES_dom0pagebochs := $(ISO_MODULES_dom0page)
ISO_FILES_dom0pagebochs := $(DIST)/dom0 tests/dom0/bochs/p.sh \
	$(DIST)/guests/pagetest.elf $(DIST)/guests/hello.elf
# dom0pageplus: dom0 runs pp.sh (tests/dom0/): two pagetest domains paged
# at once, bad arguments, xl mem-set down and up while one runs, the
# other's pager killed and restarted mid-run, a detach
# (tests/boot/check-dom0-pageplus.sh).
ISO_CMDLINE_dom0pageplus := console=com1 autoexit
ISO_MODULES_dom0pageplus := \
	'dom0 domain name=dom0 mem=96M vcpus=1 cmdline="script=pp.sh onfail=poweroff"' \
	'pp.sh file pp.sh' 'pagetest.elf file pagetest.elf'
ISO_FILES_dom0pageplus := $(DIST)/dom0 tests/dom0/pp.sh \
	$(DIST)/guests/pagetest.elf
# dom0pageplusbochs: the same with 8 MiB domains and 3 passes
# (tests/dom0/bochs/pp.sh), for Bochs.
ISO_CMDLINE_dom0pageplusbochs := $(ISO_CMDLINE_dom0pageplus)
ISO_MODULES_dom0pageplusbochs := $(ISO_MODULES_dom0pageplus)
ISO_FILES_dom0pageplusbochs := $(DIST)/dom0 tests/dom0/bochs/pp.sh \
	$(DIST)/guests/pagetest.elf
# dom0loop: dom0 runs loop.sh (tests/dom0/): 100 rounds of xl create,
# wait and destroy of one name, then xl list (tests/boot/
# check-dom0-loop.sh). dom0loopsmall: loopsmall.sh, the same with 10
# rounds, for Bochs.
ISO_CMDLINE_dom0loop := console=com1 autoexit
ISO_MODULES_dom0loop := \
	'dom0 domain name=dom0 mem=32M vcpus=1 cmdline="script=loop.sh onfail=poweroff"' \
	'loop.sh file loop.sh' 'hello.elf file hello.elf'
ISO_FILES_dom0loop := $(DIST)/dom0 tests/dom0/loop.sh $(DIST)/guests/hello.elf
ISO_CMDLINE_dom0loopsmall := console=com1 autoexit
ISO_MODULES_dom0loopsmall := \
	'dom0 domain name=dom0 mem=32M vcpus=1 cmdline="script=loopsmall.sh onfail=poweroff"' \
	'loopsmall.sh file loopsmall.sh' 'hello.elf file hello.elf'
ISO_FILES_dom0loopsmall := $(DIST)/dom0 tests/dom0/loopsmall.sh \
	$(DIST)/guests/hello.elf
# dom0list: dom0 runs list.sh: two domains listed (one paused, one shut
# down), hello's console log, xl dmesg (tests/boot/check-dom0-list.sh).
ISO_CMDLINE_dom0list := console=com1 autoexit
ISO_MODULES_dom0list := \
	'dom0 domain name=dom0 mem=32M vcpus=1 cmdline="script=list.sh onfail=poweroff"' \
	'list.sh file list.sh' 'hello.elf file hello.elf'
ISO_FILES_dom0list := $(DIST)/dom0 tests/dom0/list.sh $(DIST)/guests/hello.elf
# dom0bad: dom0 runs bad.sh: bad domains, memory, images, files and xl
# arguments refused (each with !), then a good create; its last line, an
# unknown command, fails the script, and the boot test feeds the shell a
# poweroff (tests/boot/dom0-poweroff-input.txt): FAILURE
# (tests/boot/check-dom0-bad.sh).
ISO_CMDLINE_dom0bad := console=com1 autoexit
ISO_MODULES_dom0bad := \
	'dom0 domain name=dom0 mem=32M vcpus=1 cmdline="script=bad.sh"' \
	'bad.sh file bad.sh' 'hello.elf file hello.elf' 'hello.txt file hello.txt'
ISO_FILES_dom0bad := $(DIST)/dom0 tests/dom0/bad.sh $(DIST)/guests/hello.elf \
	tests/dom0/hello.txt

# `make bench`, dom0's pager: its script (tests/bench/xpbench.sh) times
# xenpaging's evictions and page-ins, pagetest run paged, the store's
# ratio on it, and hello started eagerly and lazily
# (tests/bench/dom0-paging-bench.sh).
ISO_CMDLINE_dom0pagebench := console=com1 autoexit
ISO_MODULES_dom0pagebench := \
	'dom0 domain name=dom0 mem=96M vcpus=1 cmdline="script=xpbench.sh onfail=poweroff"' \
	'xpbench.sh file xpbench.sh' 'pagetest.elf file pagetest.elf' \
	'hello.elf file hello.elf'
ISO_FILES_dom0pagebench := $(DIST)/dom0 tests/bench/xpbench.sh \
	$(DIST)/guests/pagetest.elf $(DIST)/guests/hello.elf
# `make bench`, dom0: its script (tests/bench/dom0bench.sh) times xl
# create and destroy of hello, then maps a 1 GiB domain's memory (QEMU
# needs 2 GiB; tests/bench/guest-bench.sh).
ISO_CMDLINE_dom0bench := console=com1 autoexit
ISO_MODULES_dom0bench := \
	'dom0 domain name=dom0 mem=64M vcpus=1 cmdline="script=dom0bench.sh onfail=poweroff"' \
	'dom0bench.sh file dom0bench.sh' 'hello.elf file hello.elf'
ISO_FILES_dom0bench := $(DIST)/dom0 tests/bench/dom0bench.sh \
	$(DIST)/guests/hello.elf

# The platform's interrupt controllers (issue 14): the local APIC's
# registers and timer, IPIs between two vCPUs, INIT/SIPI into real mode
# and VCPUOP_initialise (tests/guests/README.md).
ISO_CMDLINE_apic := loglvl=info autoexit
ISO_MODULES_apic := \
	'guests/apic_timer.elf domain name=apic_timer mem=8M vcpus=1' \
	'guests/apic_ipi.elf domain name=apic_ipi mem=8M vcpus=2' \
	'guests/apic_start.elf domain name=apic_start mem=8M vcpus=2' \
	'guests/apic_mmio.elf domain name=apic_mmio mem=8M vcpus=2'

# Emulator defaults for `make run`.
QEMU     ?= qemu-system-x86_64
QEMU_CPU ?= qemu64,+svm,+npt
QEMU_MEM ?= 512
QEMU_SMP ?= 2
# linuxpvh / linuxbz: issue 14's check. The newest Debian cloud kernel,
# unmodified (tests/linux/fetch.sh), with a busybox initramfs whose /init
# prints two markers around `sleep 1` and powers off: the ELF inside the
# bzImage (entered at its PVH note) with 2 vCPUs, and the bzImage itself
# (the Linux boot protocol) with 1 vCPU. linuxbz32: the bzImage at its
# 32-bit entry (boot=linux32), as a BIOS loader enters it: its own
# startup_32 goes on to long mode. linuxbochs: the PVH ELF with 1 vCPU,
# the Bochs row's (about 2 minutes there, as the bzImage, which
# decompresses itself; 2 vCPUs take 14). linux_modules(IMAGE,VCPUS[,OPTION]): the
# kernel's module line as the issue gives it, and its ramdisk's.
linux_modules = \
	'$(1) domain name=linux mem=256M vcpus=$(2) $(if $(3),$(3) )expect=poweroff cmdline="console=hvc0 console=ttyS0 quiet"' \
	'initrd.img ramdisk'
ISO_CMDLINE_linuxpvh := console=com1 autoexit
ISO_MODULES_linuxpvh := $(call linux_modules,vmlinux,2)
ISO_FILES_linuxpvh := $(BUILD)/linux/vmlinux $(BUILD)/linux/initrd.img
ISO_CMDLINE_linuxbz := console=com1 autoexit
ISO_MODULES_linuxbz := $(call linux_modules,vmlinuz,1)
ISO_FILES_linuxbz := $(BUILD)/linux/vmlinuz $(BUILD)/linux/initrd.img
ISO_CMDLINE_linuxbz32 := console=com1 autoexit
ISO_MODULES_linuxbz32 := $(call linux_modules,vmlinuz,1,boot=linux32)
ISO_FILES_linuxbz32 := $(BUILD)/linux/vmlinuz $(BUILD)/linux/initrd.img
ISO_CMDLINE_linuxbochs := console=com1 autoexit
ISO_MODULES_linuxbochs := $(call linux_modules,vmlinux,1)
ISO_FILES_linuxbochs := $(BUILD)/linux/vmlinux $(BUILD)/linux/initrd.img
# platform: the pieces of the platform a stock kernel needs, one guest
# each (issue 14): msrs (the MTRRs and early MSRs, per vCPU), acpi_s5
# (the ACPI sleep register powers off: tests/boot/check-acpi-s5.sh), uart
# (COM1 probed, driven and interrupting through the I/O APIC:
# tests/boot/check-uart.sh), xen_cpuid (Xen's CPUID leaves, and hidden by
# xen_cpuid=off), soft_int (INT3 and INT n delivered once each, past the
# instruction: through the INT3 recheck under QEMU, by the CPU in Bochs),
# cross_modify (code patched by one vCPU as Linux does, run by the other:
# never an INT3 memory no longer holds; docs/guests.md, Known problems).
ISO_CMDLINE_platform := loglvl=info autoexit
ISO_MODULES_platform := \
	'guests/msrs.elf domain name=msrs mem=8M vcpus=2' \
	'guests/soft_int.elf domain name=soft_int mem=8M vcpus=1' \
	'guests/cross_modify.elf domain name=cross_modify mem=8M vcpus=2' \
	'guests/acpi_s5.elf domain name=acpi_s5 mem=8M vcpus=1' \
	'guests/uart.elf domain name=uart mem=8M vcpus=1' \
	'guests/xen_cpuid.elf domain name=xen_cpuid mem=8M vcpus=1' \
	'guests/xen_cpuid.elf domain name=xen_cpuid_off mem=8M vcpus=1 xen_cpuid=off cmdline="hidden=1"'
# taskswitch: hardware task switches by JMP, CALL, IRET and task gates,
# which VMX and the SVM intercept leave to the hypervisor (issue 14).
ISO_CMDLINE_taskswitch := loglvl=info autoexit
ISO_MODULES_taskswitch := \
	'guests/task_switch.elf domain name=task_switch mem=8M vcpus=1'
# taskswitchbochs: the same with a TSS's T flag (tflag=1), and a JMP to a
# 16-bit TSS, which must crash its domain; for Bochs only (QEMU switches
# tasks itself, those too).
ISO_CMDLINE_taskswitchbochs := loglvl=info autoexit
ISO_MODULES_taskswitchbochs := \
	'guests/task_switch.elf domain name=task_switch mem=8M vcpus=1 cmdline="tflag=1"' \
	'guests/task_switch.elf domain name=task_switch16 mem=8M vcpus=1 cmdline="tss16=1" "expect=crash:a 16-bit TSS is not emulated"'
# uartin: console input into two domains' 16550s, the focus moved from
# the first (the control domain) to the second by Ctrl-A three times
# (tests/boot/uart-input.txt, check-uart-input.sh).
ISO_CMDLINE_uartin := loglvl=info autoexit
ISO_MODULES_uartin := \
	'guests/uart.elf domain name=uart mem=8M vcpus=1 cmdline="input=1"' \
	'guests/uart.elf domain name=uart2 mem=8M vcpus=1 cmdline="input=1"'
# bzboot: a bzImage test guest booted by the Linux boot protocol, checking
# boot_params (e820, command line, ramdisk, RSDP) from inside, with the
# default boot and boot=linux (the 64-bit entry), and boot=linux32 (the
# 32-bit entry, its registers and segments checked too).
ISO_CMDLINE_bzboot := loglvl=info autoexit
ISO_MODULES_bzboot := \
	'guests/bzboot.bzimage domain name=bzboot mem=16M vcpus=2 cmdline="bzboot mem_mib=16 vcpus=2"' \
	'ramdisk.txt ramdisk' \
	'guests/bzboot.bzimage domain name=bzboot_linux mem=40M vcpus=1 boot=linux cmdline="bzboot mem_mib=40 second"' \
	'ramdisk.txt ramdisk' \
	'guests/bzboot.bzimage domain name=bzboot_32 mem=24M vcpus=2 boot=linux32 cmdline="bzboot mem_mib=24 vcpus=2 entry=32"' \
	'ramdisk.txt ramdisk'
ISO_FILES_bzboot := tests/guests/bzboot/ramdisk.txt
# unpopulated: gpas where nothing is (a ballooned-out page, beyond its
# memory, an unemulated device range) read all-ones and drop writes, and
# the domain goes on (tests/boot/check-unpopulated.sh), from 32-bit and
# 64-bit code; beside them, a string move from one (not emulated), page
# tables there and bad_gfn's jump to one crash only their own domains.
ISO_CMDLINE_unpopulated := loglvl=info autoexit
ISO_MODULES_unpopulated := \
	'guests/unpopulated.elf domain name=unpopulated mem=8M vcpus=1' \
	'guests/unpopulated64.elf domain name=unpopulated64 mem=8M vcpus=1' \
	'guests/unpopulated.elf domain name=unpopulated_refused mem=8M vcpus=1 cmdline="refuse=1" "expect=crash:not emulated (bytes f3 a4)"' \
	'guests/unpopulated64.elf domain name=unpopulated_walk mem=8M vcpus=1 cmdline="walk=1" "expect=crash:tables reach gpa c0000000 where nothing is"' \
	'guests/bad_gfn.elf domain name=bad_gfn mem=8M vcpus=1 "expect=crash:fetch from gpa c0000000 where nothing is"'
# dom0linux: the same kernel created from dom0 (tests/dom0/linux.sh): xl
# create with its ramdisk and 2 vCPUs (tests/boot/check-dom0-linux.sh).
# dom0linuxpaged: the same with xenpaging holding half of its 256 MiB
# (tests/dom0/linuxpaged.sh, check-dom0-linux-paged.sh). dom0 holds the
# 57 MB vmlinux file.
ISO_CMDLINE_dom0linux := console=com1 autoexit
ISO_MODULES_dom0linux := \
	'dom0 domain name=dom0 mem=192M vcpus=1 cmdline="script=linux.sh onfail=poweroff"' \
	'linux.sh file linux.sh' 'vmlinux file vmlinux' \
	'initrd.img file initrd.img'
ISO_FILES_dom0linux := $(DIST)/dom0 tests/dom0/linux.sh \
	$(BUILD)/linux/vmlinux $(BUILD)/linux/initrd.img
ISO_CMDLINE_dom0linuxpaged := console=com1 autoexit
ISO_MODULES_dom0linuxpaged := \
	'dom0 domain name=dom0 mem=192M vcpus=1 cmdline="script=linuxpaged.sh onfail=poweroff"' \
	'linuxpaged.sh file linuxpaged.sh' 'vmlinux file vmlinux' \
	'initrd.img file initrd.img'
ISO_FILES_dom0linuxpaged := $(DIST)/dom0 tests/dom0/linuxpaged.sh \
	$(BUILD)/linux/vmlinux $(BUILD)/linux/initrd.img

# Issue 14's time and console pieces: the pvtime guest with 2 vCPUs as
# the control domain (serial input reaches its console ring) and with 1
# vCPU (tests/boot/check-pvtime.sh). Bochs: one domain, no input.
ISO_CMDLINE_pvtime := loglvl=info autoexit
ISO_MODULES_pvtime := \
	'guests/pvtime.elf domain name=pvtime mem=8M vcpus=2 cmdline="input=1"' \
	'guests/pvtime.elf domain name=pvtime1 mem=8M vcpus=1'
ISO_CMDLINE_pvtimebochs := loglvl=info autoexit
ISO_MODULES_pvtimebochs := \
	'guests/pvtime.elf domain name=pvtime mem=8M vcpus=2'
# gnttab: grant-table setup as a stock kernel does it (issue 14): sizes,
# versions, frames mapped with add_to_physmap, a grant entry through one.
ISO_CMDLINE_gnttab := loglvl=info autoexit
ISO_MODULES_gnttab := \
	'guests/gnttab.elf domain name=gnttab mem=8M vcpus=1'
