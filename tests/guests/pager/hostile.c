/*
 * mode=hostile: a pager that feeds the paging ABI bad input, against a
 * small target that must still pass (nothing lost). Each call must fail
 * with its error and change nothing; a wrong result is a protocol error
 * (FAILURE at the end). The expected errors are those of
 * public/domctl.h and public/memory.h, and Xen's where they say nothing.
 */
#include <xtf.h>

#include "pager.h"
#include "xenctl.h"

/* A domain id no domain has. */
#define NO_DOMAIN 0x7fef
/* A guest address past the pager's RAM (paging is off). */
#define BAD_BUFFER 0xfff00000u
#define PAGE_IN_WAIT_MS 5000

static uint8_t copy[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void expect(struct pager *p, const char *what, long rc, long want)
{
	printf("pager: hostile: %s: %ld%s\n", what, rc,
	       rc == want ? "" : " (WRONG)");
	if (rc != want)
		pager_error(p, "%s returned %ld, not %ld", what, rc, want);
}

static long nominate(domid_t dom, uint64_t gfn)
{
	return paging_op(XENMEM_paging_op_nominate, dom, gfn, 0);
}

static void domctl_checks(struct pager *p)
{
	struct xen_domctl d = {};
	uint32_t port;

	expect(p, "domctl with interface version - 1",
	       domctl_version(XEN_DOMCTL_vm_event_op,
			      XEN_DOMCTL_INTERFACE_VERSION - 1, p->target, &d),
	       -XEN_EACCES);
	expect(p, "vm_event GET_VERSION of an absent domain",
	       vm_event_op(NO_DOMAIN, XEN_VM_EVENT_GET_VERSION, &port),
	       -XEN_ESRCH);
	expect(p, "vm_event ENABLE of an enabled ring",
	       vm_event_op(p->target, XEN_VM_EVENT_ENABLE, &port), -XEN_EBUSY);
	/* The pager's own domain has no ring: not the target's to use. */
	expect(p, "vm_event RESUME of a domain without a ring",
	       vm_event_op(DOMID_SELF, XEN_VM_EVENT_RESUME, NULL), -XEN_ENODEV);
	expect(p, "nominate in a domain without a ring",
	       nominate(DOMID_SELF, 0x100), -XEN_ENODEV);
}

static void bad_gfn_checks(struct pager *p)
{
	uint64_t gfns[3] = { p->nr_gfns + 0x100000ull, 0, 0 }, nr = 1;

	expect(p, "nominate of a gfn past the p2m",
	       nominate(p->target, p->nr_gfns + 0x100000ull), -XEN_EINVAL);
	expect(p, "nominate of gfn 2^63", nominate(p->target, 1ull << 63),
	       -XEN_EINVAL);
	expect(p, "nominate of the ring gfn", nominate(p->target, p->ring_gfn),
	       -XEN_EBUSY);
	expect(p, "populate_evicted of a gfn past the p2m",
	       populate_evicted(p->target, gfns, &nr), -XEN_EINVAL);
	expect(p, "  the index it names", nr, 0);
	gfns[0] = p->ring_gfn;
	nr = 1;
	expect(p, "populate_evicted of the ring gfn",
	       populate_evicted(p->target, gfns, &nr), -XEN_EINVAL);
}

/* A gfn of the target that pager_evict() paged out (ERROR if none). */
static uint32_t paged_gfn(struct pager *p)
{
	for (unsigned int i = 0; i < 1000; i++) {
		uint32_t gfn = pager_next_gfn(p);

		if (pager_evict(p, gfn))
			return gfn;
	}
	xtf_error("pager: hostile: no gfn of d%u could be paged out",
		  p->target);
}

/* Double evict, and preps that must leave the gfn paged, then a good one. */
static void paged_gfn_checks(struct pager *p)
{
	uint32_t gfn = paged_gfn(p), other = pager_next_gfn(p);
	uintptr_t contents = store_contents(gfn, copy);
	int32_t err;
	long rc;

	printf("pager: hostile: gfn 0x%x paged out\n", gfn);
	expect(p, "evict of a paged gfn (twice)",
	       paging_op(XENMEM_paging_op_evict, p->target, gfn, 0),
	       -XEN_EBUSY);
	expect(p, "nominate of a paged gfn", nominate(p->target, gfn),
	       -XEN_EBUSY);
	expect(p, "evict of a gfn not nominated",
	       paging_op(XENMEM_paging_op_evict, p->target, other, 0),
	       -XEN_EBUSY);
	expect(p, "prep of a gfn that is not paged",
	       paging_op(XENMEM_paging_op_prep, p->target, other, contents),
	       -XEN_EINVAL);
	expect(p, "prep without a buffer",
	       paging_op(XENMEM_paging_op_prep, p->target, gfn, 0),
	       -XEN_EINVAL);
	expect(p, "prep from a buffer past the pager's RAM",
	       paging_op(XENMEM_paging_op_prep, p->target, gfn, BAD_BUFFER),
	       -XEN_EFAULT);
	/* Still paged: a foreign map starts its page-in and says -ENOENT. */
	rc = foreign_map(p->target, gfn, p->win, &err);
	expect(p, "foreign map of a paged gfn (batch)", rc, 0);
	expect(p, "  the gfn's own error", err, -XEN_ENOENT);
	if (!rc && !err)
		foreign_unmap(p->win);
	for (unsigned int ms = 0; p->state[gfn] == GFN_PAGED; ms++) {
		if (ms == PAGE_IN_WAIT_MS) {
			pager_error(p, "no page-in request for gfn 0x%x", gfn);
			expect(p, "prep with its contents",
			       paging_op(XENMEM_paging_op_prep, p->target, gfn,
					 contents),
			       0);
			p->state[gfn] = GFN_PREPPED;
			break;
		}
		pager_serve(p);
		pager_wait(p);
	}
	printf("pager: hostile: gfn 0x%x paged in\n", gfn);
}

/*
 * A response index a ring ahead of the requests: RESUME must refuse it
 * and take no response; the good index works again.
 */
static void ring_index_check(struct pager *p)
{
	uint32_t good = p->ring.s->rsp_prod;

	__atomic_store_n(&p->ring.s->rsp_prod, good + 2 * VM_EVENT_RING_SIZE,
			 __ATOMIC_RELEASE);
	expect(p, "RESUME with rsp_prod a ring ahead",
	       vm_event_op(p->target, XEN_VM_EVENT_RESUME, NULL), -XEN_EINVAL);
	__atomic_store_n(&p->ring.s->rsp_prod, good, __ATOMIC_RELEASE);
	expect(p, "RESUME with rsp_prod back",
	       vm_event_op(p->target, XEN_VM_EVENT_RESUME, NULL), 0);
}

void hostile_checks(struct pager *p)
{
	domctl_checks(p);
	bad_gfn_checks(p);
	paged_gfn_checks(p);
	ring_index_check(p);
	printf("pager: hostile: done, %u wrong\n", p->errors);
}
