#include <xtf.h>

#include <public/domctl.h>
#include <public/memory.h>

#include "perm.h"

void check_not_control(void)
{
	struct xen_domctl d = {
		.cmd = XEN_DOMCTL_pausedomain,
		.interface_version = XEN_DOMCTL_INTERFACE_VERSION,
		.domain = xtf_domid(),
	};
	struct xen_mem_paging_op op = {
		.op = XENMEM_paging_op_nominate,
		.domain = xtf_domid(),
		.gfn = 0x100,
	};
	long rc = hypercall3(__HYPERVISOR_domctl, (uintptr_t)&d, 0, 0);

	check_rc(rc, -XEN_EPERM,
		 "domctl pausedomain from a domain not in control");
	rc = hypercall_memory_op(XENMEM_paging_op, &op);
	check_rc(rc, -XEN_EPERM,
		 "paging_op nominate from a domain not in control");
	printf("pagetest: domctl and paging_op from it: -EPERM\n");
}
