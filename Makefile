# One build for everything: `make` builds the hypervisor and its ISO,
# `make run` boots it under QEMU, `make test` runs every test, `make bench`
# runs the host benchmarks.

include Config.mk

# Every C and assembly file under xen/ (the linker script aside).
XEN_SRCS := $(filter-out %.lds.S,$(shell find xen -name '*.c' -o -name '*.S'))
XEN_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(XEN_SRCS)))

# Boot media: NAME -> dist/xen-NAME.iso (the run ISO is dist/xen.iso).
ISOS := test guests fair basic isolation glob input
# Domain lifecycle: refused builds, the reaper, autoexit (tests/boot).
ISOS += oom reap hang hangfail nodomain
# Verdicts that must fail (tests/boot).
ISOS += crashfail
# Files for the control domain (tests/boot).
ISOS += files
# PVH entry, start info, ramdisk modules and ACPI tables (startinfo guest).
ISOS += startinfo
# CPU bring-up failures (tests/boot).
ISOS += hvmfail
# A remote vCPU's translation after a p2m change (tests/boot).
ISOS += tlb
# A stack overflow into a guard page (tests/boot).
ISOS += stack
# Memory paging: pagetest alone (tests/boot).
ISOS += pagetest
# Paging: a pager guest holding pagetest at 25% resident (issue 11).
ISOS += paging pagingsmall
# Scheduling: wake-up boosts cannot starve a plain vCPU (tests/boot).
ISOS += fairwake
# The pager's other modes: hostile input, start-up demand paging, a pager
# that restarts or dies, 4 vCPUs on a full ring or on one gfn, a dead
# target's pages still mapped (issue 11).
ISOS += paginghostile paginglazy pagingrestart pagingvcpus4 pagingsame
ISOS += pagingdie pagingoutlive
# Paging a 64-bit guest's page tables too (issue 11).
ISOS += pagingpt64
# The pager's accessed bits, set by the CPU in the nested tables.
ISOS += pagingaccessed
# dom0 (tools/minios) alone: its shell fed from COM1, its selftest=1 run,
# a script given as a file that passes and one that fails, dom0 without
# the control domain's rights (issue 12).
ISOS += dom0shell dom0selftest dom0script dom0scriptfail dom0onfail \
	dom0nocontrol
# dom0 with xl: issue 12's check (tests/boot).
ISOS += dom0xl
# dom0 scripts with xl: 100 domains created and destroyed (10 for Bochs),
# xl list's rows, bad input (tests/boot).
ISOS += dom0loop dom0loopsmall dom0list dom0bad
# The control plane: domctl and sysctl from a control-domain guest (issue 12)
ISOS += ctl ctlsmall
# dom0 with xenpaging: issue 13's check, QEMU and Bochs (tests/boot).
ISOS += dom0page dom0pagebochs
# dom0 with xenpaging: two paged domains, mem-set, kill and restart.
ISOS += dom0pageplus dom0pageplusbochs
# The local APIC and IOAPIC, INIT/SIPI and VCPUOP_initialise (issue 14).
ISOS += apic
# A stock Debian cloud kernel with a busybox initramfs: issue 14's check,
# the PVH ELF with 2 vCPUs and the bzImage with 1 (tests/linux).
ISOS += linuxpvh linuxbz linuxbz32 linuxbochs uartin
# A bzImage test guest checking the Linux boot protocol (tests/guests).
ISOS += bzboot
# The same kernel from dom0's xl create, alone and paged (tests/dom0).
ISOS += dom0linux dom0linuxpaged
# The platform pieces a stock kernel needs, a guest each (tests/guests).
ISOS += platform
# Task switches emulated (issue 14).
ISOS += taskswitch taskswitchbochs
# Unpopulated gfns and unemulated device ranges read all-ones (issue 14).
ISOS += unpopulated
# Time, vcpu_info, the RTC and the PV console ring (issue 14).
ISOS += pvtime pvtimebochs
# Grant-table setup: sizes, versions, frames mapped (issue 14).
ISOS += gnttab
.PHONY: all deps run test unit-test boot-test bench soak clean check-paging \
	check-linux \
	print-xen-cflags guests FORCE
all: $(DIST)/xen $(DIST)/dom0 $(DIST)/xen.iso $(patsubst %,$(DIST)/xen-%.iso,$(ISOS))

deps:
	@scripts/ensure-deps.sh

$(BUILD)/.deps-ok: scripts/ensure-deps.sh
	@scripts/ensure-deps.sh
	@mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(XEN_CFLAGS) $(XEN_INCLUDES) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.S $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(CC) $(XEN_CFLAGS) $(XEN_ASFLAGS) $(XEN_INCLUDES) -MMD -MP -c $< -o $@

# What xen_version reports of the build (compiler, git revision): checked
# at every make, rewritten (and version.c rebuilt) only when it changes.
$(BUILD)/include/generated/compile.h: FORCE
	@mkdir -p $(@D)
	@scripts/gen-compile-h.sh '$(CC)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
$(BUILD)/xen/common/version.o: $(BUILD)/include/generated/compile.h
FORCE:

$(BUILD)/xen.lds: xen/arch/x86/xen.lds.S
	@mkdir -p $(@D)
	@$(CC) -E -P $(XEN_ASFLAGS) $(XEN_INCLUDES) -MMD -MP -MT $@ -x c $< \
		-o $@

# Two links: the first gives the symbol table linked into the second. The
# table lives after .text, so text addresses agree between the two (checked).
$(BUILD)/xen.syms0: $(XEN_OBJS) $(BUILD)/xen.lds
	@$(LD) $(XEN_LDFLAGS) -T $(BUILD)/xen.lds $(XEN_OBJS) -o $@

$(BUILD)/symbols.S: $(BUILD)/xen.syms0 scripts/gen-symbols.sh
	@scripts/gen-symbols.sh $< > $@

$(BUILD)/symbols.o: $(BUILD)/symbols.S
	@$(CC) -c $< -o $@

$(DIST)/xen: $(XEN_OBJS) $(BUILD)/symbols.o $(BUILD)/xen.lds
	@mkdir -p $(@D)
	@echo "  LD      $@"
	@$(LD) $(XEN_LDFLAGS) -T $(BUILD)/xen.lds $(XEN_OBJS) \
		$(BUILD)/symbols.o -o $@
	@scripts/gen-symbols.sh $@ | cmp -s - $(BUILD)/symbols.S || \
		{ echo "symbol table moved text: fix the link order" >&2; \
		  rm -f $@; exit 1; }

# The test guests (dist/guests/NAME.elf), rebuilt when their sources change.
GUEST_SRCS := $(shell find tests/guests -type f) \
	$(wildcard xen/include/public/*.h)
$(BUILD)/guests.stamp: $(GUEST_SRCS) $(BUILD)/.deps-ok
	@$(MAKE) --no-print-directory -C tests/guests
	@touch $@
guests: $(BUILD)/guests.stamp
# A guest image an ISO takes as a file (ISO_FILES_*) comes with the stamp.
$(DIST)/guests/%.elf: $(BUILD)/guests.stamp ;
.PRECIOUS: $(DIST)/guests/%.elf

# dom0's kernel (tools/minios, with the hypervisor's string functions and
# vsnprintf), rebuilt when its sources change.
MINIOS_SRCS := $(shell find tools/minios tools/libs tools/xl tools/xenpaging \
	xen/common/libimage -type f) \
	xen/common/lib/string.c xen/common/lib/vsnprintf.c \
	$(wildcard xen/include/public/*.h xen/include/xen/*.h)
$(DIST)/dom0: $(MINIOS_SRCS) $(BUILD)/.deps-ok
	@$(MAKE) --no-print-directory -C tools/minios

# The Linux guest's kernel and initramfs (tests/linux/fetch.sh), fetched
# with apt-get and cached; FORCE: a newer kernel in the archive is taken.
$(BUILD)/linux/vmlinux $(BUILD)/linux/vmlinuz $(BUILD)/linux/initrd.img &: \
		tests/linux/fetch.sh $(BUILD)/.deps-ok
	@tests/linux/fetch.sh $(BUILD)/linux

# Each ISO: its grub.cfg (command line, then domain modules), then the image.
$(BUILD)/iso-%/boot/grub/grub.cfg: Config.mk Makefile scripts/grub-cfg.sh
	@mkdir -p $(@D)
	@scripts/grub-cfg.sh '$(ISO_CMDLINE_$*)' $(ISO_MODULES_$*) > $@

$(DIST)/xen.iso: $(DIST)/xen-run.iso
	@cp $< $@
.PRECIOUS: $(BUILD)/iso-%/boot/grub/grub.cfg
# ISO_FILES_NAME (Config.mk): more files for the ISO's /boot (dom0, the
# files it is given).
.SECONDEXPANSION:
$(DIST)/xen-%.iso: $(DIST)/xen $(BUILD)/guests.stamp \
		$(BUILD)/iso-%/boot/grub/grub.cfg scripts/mkiso.sh \
		$$(ISO_FILES_$$*)
	@echo "  ISO     $@"
	@$(if $(ISO_FILES_$*),cp $(ISO_FILES_$*) $(BUILD)/iso-$*/boot/ &&) \
		scripts/mkiso.sh $@ $(BUILD)/iso-$* $(DIST)/xen $(DIST)/guests

run: $(DIST)/xen.iso
	@echo "Booting dist/xen.iso under QEMU (quit: Ctrl-a x)"
	$(QEMU) -accel tcg -cpu $(QEMU_CPU) -m $(QEMU_MEM) -smp $(QEMU_SMP) \
		-display none -serial mon:stdio -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-cdrom $(DIST)/xen.iso

# Benchmarks: the host ones (optimised, NDEBUG, no sanitizers: the p2m,
# then paging) rewrite docs/benchmarks.md but its in-guest sections, and
# dom-bench (domains and foreign mappings through the libraries) writes
# build/bench/dom.figures; then the in-guest ones (dist/xen-bench.iso and
# dist/xen-pagebench.iso, paging, under QEMU and Bochs; dom0's
# dist/xen-dom0bench.iso under QEMU, beside dom-bench's figures) replace
# those; last dist/xen-dom0pagebench.iso (xenpaging in dom0, under QEMU)
# adds its section. One line per figure, `bench <name> <value> <unit>`.
bench: $(DIST)/xen-bench.iso $(DIST)/xen-pagebench.iso \
		$(DIST)/xen-dom0bench.iso $(DIST)/xen-dom0pagebench.iso
	$(MAKE) -C tests/bench
	tests/bench/guest-bench.sh $(DIST)/xen-bench.iso docs/benchmarks.md \
		$(DIST)/xen-pagebench.iso $(DIST)/xen-dom0bench.iso \
		$(BUILD)/bench/dom.figures
	tests/bench/dom0-paging-bench.sh $(DIST)/xen-dom0pagebench.iso \
		docs/benchmarks.md

unit-test: $(BUILD)/.deps-ok
	$(MAKE) -C tests/unit

boot-test: all
	tests/boot/run.sh --dist $(DIST) --logdir $(BUILD)/test-logs

test: all
	scripts/run-tests.sh

# Issue 11's check: the pager holding a 64 MiB pagetest at 25% resident
# for 10 passes under QEMU on 2 CPUs, and the 16 MiB one under Bochs VMX;
# with the rows make test leaves out for time (run.sh's --extra), issue
# 13's Bochs check (dom0-page-bochs-vmx) among them.
check-paging: all
	tests/boot/run.sh -j 2 --dist $(DIST) --logdir $(BUILD)/test-logs \
		paging-qemu-smp2 paging-bochs-vmx paging-pt64-bochs-vmx \
		dom0-pageplus-bochs-vmx dom0-page-bochs-vmx \
		dom0-pageplus-qemu-smp2

# Issue 14's check (a stock Debian cloud kernel: the PVH ELF with 2 vCPUs,
# the bzImage with 1, at both entries) under QEMU, the PVH ELF and the
# bzImage under Bochs VMX (the bzImage takes about 2.5 minutes: not in
# make test), and the kernel from dom0's xl create, alone and under
# xenpaging (docs/guests.md).
check-linux: all
	tests/boot/run.sh -j 2 --dist $(DIST) --logdir $(BUILD)/test-logs \
		linux-bz-bochs-vmx linux-pvh-bochs-vmx linux-pvh-qemu \
		linux-bz-qemu linux-bz32-qemu dom0-linux-qemu \
		dom0-linux-paged-qemu

# The fuzz guest and the regs pair for 10 minutes under QEMU
# (dist/xen-soak.iso), then pagetest paged from dom0 for about 10 minutes
# with the fuzz guest beside it (dist/xen-soakpaging.iso).
soak: $(DIST)/xen-soak.iso $(DIST)/xen-soakpaging.iso
	@mkdir -p $(BUILD)/test-logs
	tests/boot/qemu.sh --iso $< --name soak --log $(BUILD)/test-logs/soak.log \
		--expect domains --timeout 700
	tests/boot/qemu.sh --iso $(DIST)/xen-soakpaging.iso --name soak-paging \
		--log $(BUILD)/test-logs/soak-paging.log --smp 2 --expect domains \
		--timeout 1500 --check check-soak-paging.sh

print-xen-cflags:
	@echo $(XEN_CFLAGS) $(XEN_INCLUDES)

clean:
	rm -rf $(BUILD) $(DIST)

-include $(XEN_OBJS:.o=.d) $(BUILD)/xen.d
