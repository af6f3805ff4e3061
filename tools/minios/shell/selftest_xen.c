/*
 * selftest's checks of what dom0 does with the hypervisor: event channels
 * through xen_os.h's handles, foreign mappings, hypercalls.
 */
#include <stdint.h>

#include <public/version.h>
#include <xen_os.h>

#include <minios/evtchn.h>
#include <minios/foreign.h>
#include <minios/page_alloc.h>
#include <minios/paging.h>
#include <minios/sched.h>

#include "selftest.h"

/*
 * evtchn: a loopback channel to ourselves through a xen_os handle: a
 * thread waiting on the handle gets the port dom0 sends to; the port is
 * masked until unmasked; empty waits time out.
 */
struct waiter_arg {
	struct xen_os_evtchn *h;
	int got;
	uint64_t woke; /* when its wait returned */
};

static int evtchn_waiter(void *arg)
{
	struct waiter_arg *w = arg;

	w->got = xen_os_evtchn_wait(w->h, WAIT_LIMIT_MS * MS);
	w->woke = now_ns();
	return 0;
}

static const char *loopback(struct xen_os_evtchn *h, evtchn_port_t a,
			    evtchn_port_t b)
{
	struct waiter_arg w = { .h = h };
	struct thread *t;
	uint64_t start, sent;
	int rc;

	if ((rc = xen_os_evtchn_attach(h, a)))
		return FAIL("attach: %d", rc);
	if (xen_os_evtchn_attach(h, a) != -XEN_EBUSY)
		return FAIL("a second attach of port %u was not -EBUSY", a);
	if ((rc = xen_os_evtchn_wait(h, 0)) != -XEN_ETIMEDOUT)
		return FAIL("wait(0) with nothing pending gave %d", rc);
	start = now_ns();
	if ((rc = xen_os_evtchn_wait(h, 10 * MS)) != -XEN_ETIMEDOUT)
		return FAIL("wait(10 ms) with nothing pending gave %d", rc);
	if (now_ns() - start < 10 * MS)
		return FAIL("wait(10 ms) returned after %lu us",
			    (now_ns() - start) / 1000);
	if (!(t = thread_create("selftest-evtchn", evtchn_waiter, &w)))
		return FAIL("thread_create failed");
	thread_yield(); /* the waiter blocks */
	sent = now_ns();
	if ((rc = evtchn_send(b)))
		return FAIL("send on port %u: %d", b, rc);
	thread_join(t);
	if (w.got != (int)a)
		return FAIL("the waiter got %d, not port %u", w.got, a);
	if (w.woke - sent > WOKEN_WITHIN_MS * MS)
		return FAIL("the waiter woke %lu ms after the send",
			    (unsigned long)((w.woke - sent) / MS));
	if (!evtchn_is_masked(a))
		return FAIL("port %u fired and is not masked", a);
	evtchn_send(b);
	if ((rc = xen_os_evtchn_wait(h, 20 * MS)) != -XEN_ETIMEDOUT)
		return FAIL("a masked port was delivered (%d)", rc);
	evtchn_unmask(a);
	if ((rc = xen_os_evtchn_wait(h, 2000 * MS)) != (int)a)
		return FAIL("after unmask the pending event gave %d", rc);
	return NULL;
}

const char *check_evtchn(void)
{
	struct xen_os_evtchn *h = xen_os_evtchn_open();
	long a, b;
	const char *bad;

	if (!h)
		return FAIL("xen_os_evtchn_open failed");
	a = evtchn_alloc_unbound(DOMID_SELF);
	b = a < 0 ? a : evtchn_bind_interdomain(DOMID_SELF, a);
	if (a < 0 || b < 0) {
		xen_os_evtchn_close(h);
		return FAIL("loopback channel: %ld %ld", a, b);
	}
	bad = loopback(h, a, b);
	xen_os_evtchn_close(h);
	evtchn_close(b);
	evtchn_close(a);
	return bad;
}

/*
 * foreign: mapping the frames of a domain that does not exist fails for
 * every page with -ESRCH, and gives the window pages back.
 */
const char *check_foreign(void)
{
	uint64_t gfns[3] = { 0, 1, 2 };
	int errs[3], rc;
	unsigned long window = foreign_window_free();
	void *p = xen_os_map_foreign(0x7fe0, gfns, errs, 3, &rc);

	if (p)
		return FAIL("mapped a missing domain's pages at %p", p);
	if (rc != -XEN_ESRCH)
		return FAIL("a missing domain gave %d, not -ESRCH", rc);
	for (unsigned int i = 0; i < 3; i++)
		if (errs[i] != -XEN_ESRCH)
			return FAIL("page %u: %d, not -ESRCH", i, errs[i]);
	if (foreign_window_free() != window)
		return FAIL("%lu window pages free, %lu before",
			    foreign_window_free(), window);
	if ((rc = xen_os_unmap_foreign((void *)0x100000, 1)) != -XEN_EINVAL)
		return FAIL("unmapping RAM gave %d, not -EINVAL", rc);
	return NULL;
}

/*
 * foreign-domain (selftest DOMID): map pages of a live domain's image (at
 * 1 MiB, as the test guests are linked) and one gfn beyond any RAM: the
 * image pages map and hold something, the other fails alone, the four
 * take four window pages; after the unmap the window entries are gone
 * and every page is back (but the window's page tables).
 */
#define IMAGE_GFN 0x100
#define BEYOND_GFN 0xfffff0 /* 64 GiB: beyond every domain's p2m */

const char *check_foreign_domain(domid_t dom)
{
	uint64_t gfns[4] = { IMAGE_GFN, IMAGE_GFN + 1, BEYOND_GFN,
			     IMAGE_GFN + 2 };
	unsigned long window = foreign_window_free(), pages = pages_free();
	unsigned int tables = paging_window_tables();
	int errs[4], rc;
	unsigned char *p = xen_os_map_foreign(dom, gfns, errs, 4, &rc);
	unsigned long at;
	unsigned int nonzero = 0;

	if (!p)
		return FAIL("mapping d%u's gfns failed: %d", dom, rc);
	at = (uintptr_t)p >> 12;
	if (errs[0] || errs[1] || errs[3] || errs[2] != -XEN_EINVAL) {
		xen_os_unmap_foreign(p, 4);
		return FAIL("per-page results %d %d %d %d, not 0 0 -EINVAL 0",
			    errs[0], errs[1], errs[2], errs[3]);
	}
	if (foreign_window_free() != window - 4) {
		xen_os_unmap_foreign(p, 4);
		return FAIL("%lu window pages free while 4 are mapped, %lu "
			    "before",
			    foreign_window_free(), window);
	}
	for (unsigned int i = 0; i < 4096; i++)
		nonzero += p[i] != 0;
	printf("selftest: d%u's gfn %#x mapped at %p: %u nonzero bytes\n", dom,
	       IMAGE_GFN, p, nonzero);
	if ((rc = xen_os_unmap_foreign(p, 4)))
		return FAIL("unmap: %d", rc);
	if (!nonzero)
		return FAIL("d%u's gfn %#x reads as zeros", dom, IMAGE_GFN);
	for (unsigned int i = 0; i < 4; i++)
		if (paging_window_mapped(at + i))
			return FAIL("window gfn %#lx still mapped", at + i);
	if (foreign_window_free() != window)
		return FAIL("%lu window pages free, %lu before",
			    foreign_window_free(), window);
	/* Page tables the window took are kept. */
	pages -= paging_window_tables() - tables;
	if (pages_free() != pages)
		return FAIL("%lu pages free, %lu expected", pages_free(),
			    pages);
	return NULL;
}

/* hypercall: xen_os_hypercall reaches the hypervisor; bad numbers fail. */
const char *check_hypercall(void)
{
	long v = xen_os_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0,
				  0, 0, 0);

	if (v <= 0)
		return FAIL("xen_version gave %ld", v);
	v = xen_os_hypercall(200, 0, 0, 0, 0, 0);
	if (v != -XEN_ENOSYS)
		return FAIL("hypercall 200 gave %ld, not -ENOSYS", v);
	return NULL;
}
