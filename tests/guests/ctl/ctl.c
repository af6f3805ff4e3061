#include <xtf.h>

#include "ctl.h"

long domctl(uint32_t cmd, domid_t dom, struct xen_domctl *d)
{
	d->cmd = cmd;
	d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	d->domain = dom;
	return hypercall3(__HYPERVISOR_domctl, (uintptr_t)d, 0, 0);
}

long sysctl(uint32_t cmd, struct xen_sysctl *s)
{
	s->cmd = cmd;
	s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return hypercall3(__HYPERVISOR_sysctl, (uintptr_t)s, 0, 0);
}

long create(const char *name, domid_t id, uint32_t vcpus)
{
	struct xen_domctl d = { .u.createdomain = {
					.flags = XEN_DOMCTL_CDF_hvm |
						 XEN_DOMCTL_CDF_hap,
					.max_vcpus = vcpus,
				} };
	long rc;

	memcpy(d.u.createdomain.name, name, strlen(name) + 1);
	rc = domctl(XEN_DOMCTL_createdomain, id, &d);
	return rc ? rc : d.domain;
}

long destroy(domid_t dom)
{
	struct xen_domctl d = {};

	return domctl(XEN_DOMCTL_destroydomain, dom, &d);
}

long info(domid_t dom, struct xen_domctl_getdomaininfo *i)
{
	struct xen_domctl d = {};
	long rc = domctl(XEN_DOMCTL_getdomaininfo, dom, &d);

	if (!rc)
		*i = d.u.getdomaininfo;
	return rc;
}

long set_max_mem(domid_t dom, uint64_t kb)
{
	struct xen_domctl d = { .u.max_mem.max_memkb = kb };

	return domctl(XEN_DOMCTL_max_mem, dom, &d);
}

long populate(domid_t dom, uint32_t first, uint32_t nr)
{
	static uint32_t gfns[64];
	struct compat_memory_reservation r = {
		.nr_extents = nr,
		.domid = dom,
	};

	if (nr > 64)
		return -XEN_EINVAL;
	for (uint32_t i = 0; i < nr; i++)
		gfns[i] = first + i;
	set_compat_handle(r.extent_start, gfns);
	return hypercall_memory_op(XENMEM_populate_physmap, &r);
}

long free_pages(uint64_t *free)
{
	struct xen_sysctl s = {};
	long rc = sysctl(XEN_SYSCTL_physinfo, &s);

	*free = s.u.physinfo.free_pages;
	return rc;
}

long map_foreign(domid_t dom, uint32_t gfn, uint32_t at)
{
	struct compat_add_to_physmap_batch b = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_gmfn_foreign,
		.size = 1,
		.u.foreign_domid = dom,
	};
	int32_t err = 0;
	long rc;

	set_compat_handle(b.idxs, &gfn);
	set_compat_handle(b.gpfns, &at);
	set_compat_handle(b.errs, &err);
	rc = hypercall_memory_op(XENMEM_add_to_physmap_batch, &b);
	return rc ? rc : err;
}

long unmap_foreign(uint32_t at)
{
	struct compat_remove_from_physmap r = { .domid = DOMID_SELF,
						.gpfn = at };

	return hypercall_memory_op(XENMEM_remove_from_physmap, &r);
}

/* Append n bytes to the program at *pc. */
static void put(uint8_t *page, unsigned int *pc, const void *bytes,
		unsigned int n)
{
	memcpy(page + *pc, bytes, n);
	*pc += n;
}

/* mov $imm32, reg (opcode 0xb8 + reg). */
static void mov_imm(uint8_t *page, unsigned int *pc, uint8_t reg, uint32_t v)
{
	uint8_t op = 0xb8 + reg;

	put(page, pc, &op, 1);
	put(page, pc, &v, 4);
}

#define EAX 0
#define ECX 1
#define EDX 2
#define EBX 3
#define MSG_OFF 0x100u
#define SHUTDOWN_OFF 0x200u

void child_program(uint8_t *page)
{
	static const char msg[] = CHILD_LINE "\nTest result: SUCCESS\n";
	/* mov %esi, CHILD_MAGIC_AT */
	const uint8_t store_esi[] = {
		0x89, 0x35, CHILD_MAGIC_AT & 0xff, CHILD_MAGIC_AT >> 8, 0, 0
	};
	const uint8_t vmcall[] = { 0x0f, 0x01, 0xc1 };
	const uint8_t vmmcall[] = { 0x0f, 0x01, 0xd9 };
	const uint8_t *call = hypercall_uses_vmmcall() ? vmmcall : vmcall;
	const uint8_t halt[] = { 0xf4, 0xeb, 0xfd }; /* hlt; jmp hlt */
	uint32_t poweroff = SHUTDOWN_poweroff;
	unsigned int pc = 0;

	memset(page, 0, PAGE_SIZE);
	put(page, &pc, store_esi, sizeof(store_esi));
	mov_imm(page, &pc, EAX, __HYPERVISOR_console_io);
	mov_imm(page, &pc, EBX, CONSOLEIO_write);
	mov_imm(page, &pc, ECX, sizeof(msg) - 1);
	mov_imm(page, &pc, EDX, CHILD_ENTRY + MSG_OFF);
	put(page, &pc, call, 3);
	mov_imm(page, &pc, EAX, __HYPERVISOR_sched_op);
	mov_imm(page, &pc, EBX, SCHEDOP_shutdown);
	mov_imm(page, &pc, ECX, CHILD_ENTRY + SHUTDOWN_OFF);
	put(page, &pc, call, 3);
	put(page, &pc, halt, sizeof(halt));
	memcpy(page + MSG_OFF, msg, sizeof(msg) - 1);
	memcpy(page + SHUTDOWN_OFF, &poweroff, sizeof(poweroff));
}
