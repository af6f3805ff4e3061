# The hypervisor's sources behind the libraries' in-process transport
# (world.h) beyond the heap, the p2m and the string functions: the
# hypercall table's handlers and what they call. For tests/unit's
# libraries runner and tests/bench's dom-bench; paths from the top.
WORLD_XEN_SRCS := \
	xen/common/console_io.c \
	xen/common/control_domain.c \
	xen/common/domain.c \
	xen/common/domain_console.c \
	xen/common/domain_info.c \
	xen/common/domctl.c \
	xen/common/domctl_create.c \
	xen/common/event_2l.c \
	xen/common/event_channel.c \
	xen/common/grant_table_op.c \
	xen/common/mem_paging.c \
	xen/common/memory.c \
	xen/common/physmap.c \
	xen/common/physmap_foreign.c \
	xen/common/sched_op.c \
	xen/common/sysctl.c \
	xen/common/version.c \
	xen/arch/x86/hvm/hvm_op.c \
	xen/arch/x86/hvm/params.c \
	xen/arch/x86/hvm/vcpu_context.c \
	xen/arch/x86/hvm/vcpu_op.c
