/* The shared-info page over a page of RAM, and RAM back (shinfo.h). */
#include <xtf.h>

#include "ram.h"
#include "shinfo.h"

/*
 * The memory ops in the caller's layout: the hypervisor reads a 32-bit
 * caller's arguments as compat structures.
 */
#ifdef __x86_64__
#define ATP struct xen_add_to_physmap
#define RFP struct xen_remove_from_physmap
#define RESERVATION struct xen_memory_reservation
#define SET_HANDLE set_xen_guest_handle
typedef xen_pfn_t pfn_word;
#else
#define ATP struct compat_add_to_physmap
#define RFP struct compat_remove_from_physmap
#define RESERVATION struct compat_memory_reservation
#define SET_HANDLE set_compat_handle
typedef uint32_t pfn_word;
#endif

static void map_shared_info(uint32_t gfn)
{
	ATP a = { .domid = DOMID_SELF,
		  .space = XENMAPSPACE_shared_info,
		  .gpfn = gfn };
	long rc = hypercall_memory_op(XENMEM_add_to_physmap, &a);

	check(rc == 0,
	      "add_to_physmap of the shared-info page at gfn 0x%x returned %ld",
	      gfn, rc);
}

static void remove_gfn(uint32_t gfn)
{
	RFP r = { .domid = DOMID_SELF, .gpfn = gfn };
	long rc = hypercall_memory_op(XENMEM_remove_from_physmap, &r);

	check(rc == 0, "remove_from_physmap of gfn 0x%x returned %ld", gfn, rc);
}

static void populate_gfn(uint32_t gfn)
{
	pfn_word pfn = gfn;
	RESERVATION r = { .nr_extents = 1, .domid = DOMID_SELF };
	long rc;

	SET_HANDLE(r.extent_start, &pfn);
	rc = hypercall_memory_op(XENMEM_populate_physmap, &r);
	check(rc == 1, "populate_physmap of gfn 0x%x returned %ld", gfn, rc);
}

void shared_info_over(uint32_t gfn)
{
	/* Both layouts keep vcpu_info[0] first, its time at offset 32. */
	const volatile struct vcpu_time_info *t =
		(const void *)((char *)gfn_page(gfn) + 32);
	const volatile uint64_t *w = gfn_page(gfn);
	unsigned int i;

	map_shared_info(gfn);
	check(t->tsc_to_system_mul && !(t->version & 1),
	      "gfn 0x%x under the shared-info page: vCPU 0's time record "
	      "has version %u, mul %#x",
	      gfn, t->version, t->tsc_to_system_mul);
	remove_gfn(gfn);
	populate_gfn(gfn);
	for (i = 0; i < PAGE_SIZE / 8 && !w[i]; i++)
		;
	check(i == PAGE_SIZE / 8,
	      "gfn 0x%x repopulated: word %u is 0x%llx, not 0", gfn, i,
	      (unsigned long long)w[i]);
}
