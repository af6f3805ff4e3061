/*
 * mode=hostile: a pager that feeds the paging ABI bad input, against a
 * small target that must still pass (nothing lost). Each call must fail
 * with the error docs/paging.md gives and change nothing; a wrong result
 * is a protocol error (FAILURE at the end). The target is paused for all
 * but the last check, which needs it to write a nominated page.
 */
#include <xtf.h>

#include "pager.h"
#include "xenctl.h"

/* A domain id no domain has. */
#define NO_DOMAIN 0x7fef
/* A guest address past the pager's RAM (paging is off). */
#define BAD_BUFFER 0xfff00000u
#define PAGE_IN_WAIT_MS 5000
/* gfns nominated for the target to write, and how long it may take. */
#define NOMINATED 64
#define WRITE_WAIT_MS 10000

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

static long evict(domid_t dom, uint64_t gfn)
{
	return paging_op(XENMEM_paging_op_evict, dom, gfn, 0);
}

static long vm_event_mode(domid_t dom, uint32_t op, uint32_t mode)
{
	struct xen_domctl d = { .u.vm_event_op = { .op = op, .mode = mode } };

	return domctl(XEN_DOMCTL_vm_event_op, dom, &d);
}

/* Before the ring exists; and calls on the pager itself or on nobody. */
static void no_ring_checks(struct pager *p)
{
	struct xen_domctl d = {};
	uint64_t gfn = 0x100, nr = 1;
	uint32_t port;

	expect(p, "nominate without a ring", nominate(p->target, gfn),
	       -XEN_ENODEV);
	expect(p, "evict without a ring", evict(p->target, gfn), -XEN_ENODEV);
	expect(p, "prep without a ring",
	       paging_op(XENMEM_paging_op_prep, p->target, gfn,
			 (uintptr_t)copy),
	       -XEN_ENODEV);
	expect(p, "vm_event RESUME without a ring",
	       vm_event_op(p->target, XEN_VM_EVENT_RESUME, NULL), -XEN_ENODEV);
	expect(p, "vm_event DISABLE without a ring",
	       vm_event_op(p->target, XEN_VM_EVENT_DISABLE, NULL), -XEN_EINVAL);
	/* The ring gfn is reserved but still empty: not the target's RAM. */
	expect(p, "vm_event ENABLE before the ring gfn is populated",
	       vm_event_op(p->target, XEN_VM_EVENT_ENABLE, &port), -XEN_EINVAL);
	expect(p, "nominate on the pager itself", nominate(xtf_domid(), gfn),
	       -XEN_EINVAL);
	expect(p, "populate_evicted on the pager itself",
	       populate_evicted(xtf_domid(), &gfn, &nr), -XEN_EINVAL);
	expect(p, "vm_event GET_VERSION on the pager itself",
	       vm_event_op(xtf_domid(), XEN_VM_EVENT_GET_VERSION, &port),
	       -XEN_EINVAL);
	expect(p, "pausedomain of the pager itself",
	       domctl(XEN_DOMCTL_pausedomain, xtf_domid(), &d), -XEN_EINVAL);
	/* As in Xen, these name a domain by its id: DOMID_SELF is none. */
	expect(p, "vm_event GET_VERSION of DOMID_SELF",
	       vm_event_op(DOMID_SELF, XEN_VM_EVENT_GET_VERSION, &port),
	       -XEN_ESRCH);
	expect(p, "nominate in DOMID_SELF", nominate(DOMID_SELF, gfn),
	       -XEN_ESRCH);
	expect(p, "domctl with interface version - 1",
	       domctl_version(XEN_DOMCTL_vm_event_op,
			      XEN_DOMCTL_INTERFACE_VERSION - 1, p->target, &d),
	       -XEN_EACCES);
	expect(p, "vm_event GET_VERSION of an absent domain",
	       vm_event_op(NO_DOMAIN, XEN_VM_EVENT_GET_VERSION, &port),
	       -XEN_ESRCH);
	expect(p, "nominate in an absent domain", nominate(NO_DOMAIN, gfn),
	       -XEN_ESRCH);
}

static void ring_checks(struct pager *p)
{
	uint32_t port;

	expect(p, "vm_event ENABLE of an enabled ring",
	       vm_event_op(p->target, XEN_VM_EVENT_ENABLE, &port), -XEN_EBUSY);
	expect(p, "vm_event op 99",
	       vm_event_mode(p->target, 99, XEN_DOMCTL_VM_EVENT_OP_PAGING),
	       -XEN_EINVAL);
	expect(p, "vm_event GET_VERSION of mode MONITOR",
	       vm_event_mode(p->target, XEN_VM_EVENT_GET_VERSION,
			     XEN_DOMCTL_VM_EVENT_OP_MONITOR),
	       -XEN_EOPNOTSUPP);
}

static void bad_gfn_checks(struct pager *p)
{
	/* The target's p2m ends where the guest's address width does. */
	uint64_t gfns[1] = { xtf_p2m_end() }, nr = 1;

	expect(p, "nominate of a gfn past the p2m",
	       nominate(p->target, xtf_p2m_end()), -XEN_EINVAL);
	expect(p, "nominate of gfn 2^63", nominate(p->target, 1ull << 63),
	       -XEN_EINVAL);
	/* ENABLE took the ring page out of the target's physmap: a hole. */
	expect(p, "nominate of the ring gfn (a hole)",
	       nominate(p->target, p->ring_gfn), -XEN_EINVAL);
	expect(p, "evict of the ring gfn (not nominated)",
	       evict(p->target, p->ring_gfn), -XEN_EINVAL);
	expect(p, "populate_evicted of a gfn past the p2m",
	       populate_evicted(p->target, gfns, &nr), -XEN_EINVAL);
	expect(p, "  the index it names", nr, 0);
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

/* What a second evict, preps and populate_evicted must leave alone. */
static void paged_gfn_checks(struct pager *p, uint32_t gfn, uint32_t other)
{
	uintptr_t contents = store_contents(gfn, copy);
	uint64_t gfns[3] = { gfn, p->ring_gfn, other }, nr = 3;

	printf("pager: hostile: gfn 0x%x paged out\n", gfn);
	expect(p, "nominate of a paged gfn", nominate(p->target, gfn),
	       -XEN_EBUSY);
	expect(p, "evict of a paged gfn (twice)", evict(p->target, gfn),
	       -XEN_EINVAL);
	/* ram_rw, as if written since a nomination: nothing tells them apart. */
	expect(p, "evict of a resident gfn never nominated",
	       evict(p->target, other), -XEN_EBUSY);
	expect(p, "prep of a gfn that is not paged",
	       paging_op(XENMEM_paging_op_prep, p->target, other, contents),
	       -XEN_EINVAL);
	expect(p, "prep without a buffer",
	       paging_op(XENMEM_paging_op_prep, p->target, gfn, 0),
	       -XEN_EINVAL);
	expect(p, "prep from a buffer past the pager's RAM",
	       paging_op(XENMEM_paging_op_prep, p->target, gfn, BAD_BUFFER),
	       -XEN_EFAULT);
	/* The paged gfn first (it stays paged), then the ring gfn. */
	expect(p, "populate_evicted of (paged, ring, resident)",
	       populate_evicted(p->target, gfns, &nr), -XEN_EINVAL);
	expect(p, "  the index it names (the ring gfn)", nr, 1);
	expect(p, "  the paged gfn is still paged", nominate(p->target, gfn),
	       -XEN_EBUSY);
	expect(p, "  the gfn after it is still resident",
	       paging_op(XENMEM_paging_op_prep, p->target, other, contents),
	       -XEN_EINVAL);
}

/* A nominated gfn mapped by the pager: evict must refuse it. */
static void held_check(struct pager *p, uint32_t gfn)
{
	int32_t err;
	long rc;

	expect(p, "nominate of a resident gfn", nominate(p->target, gfn), 0);
	rc = foreign_map(p->target, gfn, p->win, &err);
	expect(p, "  mapped by the pager", rc ? rc : err, 0);
	expect(p, "  evict of it while mapped", evict(p->target, gfn),
	       -XEN_EBUSY);
	if (!rc && !err)
		foreign_unmap(p->win);
}

/* Still paged: a foreign map starts its page-in and says -ENOENT. */
static void page_in_by_map(struct pager *p, uint32_t gfn)
{
	uintptr_t contents = store_contents(gfn, copy);
	int32_t err;
	long rc = foreign_map(p->target, gfn, p->win, &err);

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

/*
 * Nominate the target's first resident gfns and let it run: the first
 * one it writes is reported (EVICT_FAIL), and evict must refuse it.
 */
static void written_check(struct pager *p)
{
	bool nominated[NOMINATED] = {};
	unsigned int n = 0, ms;

	p->last_evict_fail = ~0u;
	for (uint32_t gfn = 0; gfn < NOMINATED; gfn++) {
		if (p->state[gfn] != GFN_RESIDENT || gfn == p->ring_gfn)
			continue;
		nominated[gfn] = !nominate(p->target, gfn);
		n += nominated[gfn];
	}
	pager_pause(p, false);
	for (ms = 0; ms < WRITE_WAIT_MS; ms++) {
		uint32_t gfn = p->last_evict_fail;

		if (gfn < NOMINATED && nominated[gfn]) {
			printf("pager: hostile: %u gfns nominated; gfn 0x%x written\n",
			       n, gfn);
			expect(p, "evict of a gfn written since nominate",
			       evict(p->target, gfn), -XEN_EBUSY);
			return;
		}
		pager_serve(p);
		pager_wait(p);
	}
	pager_error(p, "d%u wrote none of %u nominated gfns in %u ms",
		    p->target, n, WRITE_WAIT_MS);
}

void hostile_checks(struct pager *p)
{
	uint32_t gfn, other;

	no_ring_checks(p);
	pager_ring_up(p);
	ring_checks(p);
	bad_gfn_checks(p);
	gfn = paged_gfn(p);
	other = pager_next_gfn(p);
	paged_gfn_checks(p, gfn, other);
	held_check(p, other);
	page_in_by_map(p, gfn);
	ring_index_check(p);
	written_check(p);
	printf("pager: hostile: done, %u wrong\n", p->errors);
}
