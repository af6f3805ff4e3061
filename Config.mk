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
XEN_INCLUDES := -Ixen/include -Ixen/arch/x86/include
# The 32-bit entry segment is code and boot page tables in one (RWX).
XEN_LDFLAGS := -nostdlib -n -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments

# Hypervisor command lines baked into the ISOs.
RUN_CMDLINE  ?= loglvl=info
TEST_CMDLINE ?= loglvl=info selftest mem_hotplug=32M

# Emulator defaults for `make run`.
QEMU     ?= qemu-system-x86_64
QEMU_CPU ?= qemu64,+svm,+npt
QEMU_MEM ?= 512
QEMU_SMP ?= 2
