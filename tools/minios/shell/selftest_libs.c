/*
 * selftest's check of the tool libraries on dom0 (libxenctrl,
 * libxenevtchn, libxenforeignmemory over dom0's xen_os.h): the host's
 * physinfo, dom0's own domain info and name, a missing domain's errors,
 * and an event-channel loopback through a handle, a thread waiting in
 * xenevtchn_wait().
 */
#include <errno.h>
#include <stdint.h>

#include <public/cpuid.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>

#include <minios/arch.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "selftest.h"

#define MISSING_DOMID 0x7fe0

/* dom0's own domain id, from CPUID (0 if the hypervisor gives none). */
static uint32_t own_domid(void)
{
	struct cpuid_regs r = cpuid(XEN_CPUID_HVM);

	return r.eax & XEN_HVM_CPUID_DOMID_PRESENT ? r.ecx : 0;
}

static const char *check_ctrl(xc_interface *xch, uint32_t self)
{
	xc_physinfo_t phys;
	xc_domaininfo_t info;
	char name[64];

	if (xc_physinfo(xch, &phys))
		return FAIL("xc_physinfo: errno %d", errno);
	if (!phys.nr_cpus || !phys.free_pages ||
	    phys.free_pages > phys.total_pages)
		return FAIL("physinfo: %u CPUs, %lu of %lu pages free",
			    phys.nr_cpus, (unsigned long)phys.free_pages,
			    (unsigned long)phys.total_pages);
	if (xc_domain_getinfo_single(xch, self, &info))
		return FAIL("getinfo of d%u: errno %d", self, errno);
	if (info.domain != self || !info.tot_pages || !info.nr_online_vcpus)
		return FAIL("d%u's info: domain %u, %lu pages, %u vCPUs", self,
			    info.domain, (unsigned long)info.tot_pages,
			    info.nr_online_vcpus);
	if (xc_domain_getname(xch, self, name, sizeof(name)) || !name[0])
		return FAIL("getname of d%u: errno %d", self, errno);
	if (xc_domain_getinfo_single(xch, MISSING_DOMID, &info) != -1 ||
	    errno != ESRCH)
		return FAIL("getinfo of a missing domain: errno %d, not ESRCH",
			    errno);
	return NULL;
}

struct lib_waiter {
	xenevtchn_handle *xce;
	int got;
	uint64_t woke; /* when its wait returned */
};

static int lib_waiter(void *arg)
{
	struct lib_waiter *w = arg;

	w->got = xenevtchn_wait(w->xce, WAIT_LIMIT_MS);
	w->woke = now_ns();
	return 0;
}

static const char *loopback(xenevtchn_handle *xce, uint32_t self)
{
	struct lib_waiter w = { .xce = xce };
	int a = xenevtchn_bind_unbound_port(xce, self), b, first;
	struct thread *t;
	uint64_t sent;

	if (a < 0)
		return FAIL("bind_unbound_port: errno %d", errno);
	b = xenevtchn_bind_interdomain(xce, self, a);
	if (b < 0)
		return FAIL("bind_interdomain: errno %d", errno);
	/* The new binding fires once at once, as in Xen. */
	if ((first = xenevtchn_pending(xce)) != b)
		return FAIL("the binding's own event gave %d, not %d", first,
			    b);
	xenevtchn_unmask(xce, b);
	if (xenevtchn_wait(xce, 0) != -1 || errno != ETIMEDOUT)
		return FAIL("wait(0) with nothing pending: errno %d", errno);
	if (!(t = thread_create("selftest-libs", lib_waiter, &w)))
		return FAIL("thread_create failed");
	thread_yield(); /* it waits */
	sent = now_ns();
	if (xenevtchn_notify(xce, a))
		return FAIL("notify: errno %d", errno);
	thread_join(t);
	if (w.got != b)
		return FAIL("the waiter got %d, not port %d", w.got, b);
	if (w.woke - sent > WOKEN_WITHIN_MS * MS)
		return FAIL("the waiter woke %lu ms after the notify",
			    (unsigned long)((w.woke - sent) / MS));
	return NULL;
}

const char *check_libs(void)
{
	uint32_t self = own_domid();
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
	xen_pfn_t gfn = 0x100;
	const char *bad = NULL;
	int err;

	if (!self)
		bad = FAIL("CPUID gives no domain id");
	else if (!xch || !xce || !fmem)
		bad = FAIL("opening the libraries' handles: errno %d", errno);
	else if (!(bad = check_ctrl(xch, self)) && !(bad = loopback(xce, self)))
		if (xenforeignmemory_map(fmem, MISSING_DOMID, 3, 1, &gfn,
					 &err) ||
		    errno != ESRCH || err != -ESRCH)
			bad = FAIL("mapping a missing domain: errno %d, page "
				   "%d, not ESRCH",
				   errno, err);
	xenforeignmemory_close(fmem);
	xenevtchn_close(xce);
	xc_interface_close(xch);
	return bad;
}
