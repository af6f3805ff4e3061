/*
 * ctl: the control domain drives the control plane (public/domctl.h,
 * sysctl.h) as a toolstack would. It creates a domain, gives it memory
 * (max_mem, populate_physmap), writes a small program into it through a
 * foreign mapping (ctl.c), starts its vCPU (setvcpucontext, then
 * unpausedomain), waits for VIRQ_DOM_EXC, finds it shut down (poweroff)
 * with the register it was given stored by the program, destroys it and
 * sees it gone; then `rounds=N` (default 100) create+populate+destroy
 * rounds with the free pages back at their start value, getdomaininfolist
 * read whole and in pages of 2, the console ring, and bad input with the
 * documented errors. It leaves two domains behind (one shut down, one
 * never started): the hypervisor must end them once the control domain
 * is gone, or the run never ends. It first waits for domain `other=ID` (default 2) to
 * be gone: `unpriv=1`, which is not the control domain and checks that
 * domctl and sysctl give it -EPERM.
 */
#include <xtf.h>

#include "ctl.h"

#define MAGIC 0x5ca1ab1eu
#define CHILD_PAGES 16
#define WAIT_MS 10000
#define MAX_LIST 16
/* Bytes read again by the next readconsole, longer than the line sought. */
#define RING_OVERLAP 80

/* A page of our image made a hole, where other domains' pages are mapped */
static uint8_t window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t shinfo[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint32_t window_gfn;
static evtchn_port_t exc_port;
static char ring_buf[4096];

static void set_up(void)
{
	long rc;

	window_gfn = (uintptr_t)window >> PAGE_SHIFT;
	rc = hypercall_reservation(XENMEM_decrease_reservation, &window_gfn, 1,
				   0);
	check_rc(rc, 1, "decrease_reservation of the window");
	check_rc(evtchn_map_shared_info(shinfo), 0, "mapping shared info");
	rc = evtchn_bind_virq(VIRQ_DOM_EXC, 0);
	check(rc > 0, "bind_virq(VIRQ_DOM_EXC): %ld", rc);
	exc_port = rc;
	evtchn_mask(exc_port);
}

/* Wait for VIRQ_DOM_EXC (up to WAIT_MS); whether it came. */
static bool wait_exc(void)
{
	uint64_t now;

	if (!evtchn_is_pending(exc_port) && !hypercall_get_time(&now))
		sched_poll(&exc_port, 1, now + WAIT_MS * 1000000ull);
	if (!evtchn_is_pending(exc_port))
		return false;
	evtchn_clear_pending(exc_port);
	return true;
}

/* Wait until dom is gone (-ESRCH), the destruction being the reaper's. */
static void wait_gone(domid_t dom)
{
	struct xen_domctl_getdomaininfo i;

	for (unsigned int n = 0; info(dom, &i) == -XEN_ESRCH ? false : true;
	     n++) {
		check(n < 100, "d%u still there after destroydomain", dom);
		wait_exc();
	}
}

static void write_child(domid_t dom)
{
	check_rc(map_foreign(dom, CHILD_ENTRY >> PAGE_SHIFT, window_gfn), 0,
		 "foreign map of the child's gfn 1");
	child_program(window);
	check_rc(unmap_foreign(window_gfn), 0, "unmap of the child's gfn 1");
}

static long set_context(domid_t dom, uint32_t vcpu, struct vcpu_hvm_context *c)
{
	struct xen_domctl d = { .u.vcpucontext.vcpu = vcpu };

	set_xen_guest_handle(d.u.vcpucontext.ctxt, c);
	return domctl(XEN_DOMCTL_setvcpucontext, dom, &d);
}

static long get_context(domid_t dom, uint32_t vcpu, struct vcpu_hvm_context *c)
{
	struct xen_domctl d = { .u.vcpucontext.vcpu = vcpu };

	set_xen_guest_handle(d.u.vcpucontext.ctxt, c);
	return domctl(XEN_DOMCTL_getvcpucontext, dom, &d);
}

static long simple(uint32_t cmd, domid_t dom)
{
	struct xen_domctl d = {};

	return domctl(cmd, dom, &d);
}

/* Flat 32-bit protected mode at the child's entry, ESI = MAGIC. */
static struct vcpu_hvm_context child_context(void)
{
	struct vcpu_hvm_context c = { .mode = VCPU_HVM_MODE_32B };

	c.cpu_regs.x86_32.eip = CHILD_ENTRY;
	c.cpu_regs.x86_32.esi = MAGIC;
	c.cpu_regs.x86_32.cr0 = 1; /* PE */
	c.cpu_regs.x86_32.eflags = 2;
	return c;
}

static void bad_contexts(domid_t dom)
{
	struct vcpu_hvm_context c = child_context();

	c.mode = 7;
	check_rc(set_context(dom, 0, &c), -XEN_EINVAL, "setvcpucontext mode 7");
	c = child_context();
	c.cpu_regs.x86_32.cr0 |= 1u << 31; /* PG with no tables */
	check_rc(set_context(dom, 0, &c), -XEN_EINVAL,
		 "setvcpucontext 32-bit with paging");
	c = child_context();
	check_rc(set_context(dom, 1, &c), -XEN_EINVAL,
		 "setvcpucontext of vCPU 1 of 1");
	check_rc(set_context(dom, 0, (void *)0xfffff000u), -XEN_EFAULT,
		 "setvcpucontext from a bad pointer");
	check_rc(get_context(dom, 0, &c), -XEN_ENODATA,
		 "getvcpucontext of a vCPU never started");
}

/* One domain, built, run, seen shut down and destroyed. */
static void build_and_run(uint64_t free0)
{
	struct xen_domctl_getdomaininfo i;
	struct xen_domctl d = {};
	struct vcpu_hvm_context c = child_context();
	long dom = create("child", 0, 1);
	uint64_t free1;

	check(dom > 0, "createdomain: %ld", dom);
	check_rc(domctl(XEN_DOMCTL_getdomainname, dom, &d), 0, "getdomainname");
	check(!strncmp(d.u.getdomainname.name, "child", 6), "name '%s'",
	      d.u.getdomainname.name);
	check_rc(info(dom, &i), 0, "getdomaininfo of the new domain");
	check(i.flags == (XEN_DOMINF_paused | XEN_DOMINF_hvm_guest |
			  XEN_DOMINF_hap) &&
		      !i.tot_pages && !i.max_pages && !i.nr_online_vcpus &&
		      !i.max_vcpu_id,
	      "new domain: flags %#x pages %llu/%llu vcpus %u", i.flags,
	      i.tot_pages, i.max_pages, i.nr_online_vcpus);
	check_rc(populate(dom, 0, 1), 0, "populate before max_mem");
	check_rc(set_max_mem(dom, CHILD_PAGES * 4), 0, "max_mem");
	check_rc(populate(dom, 0, CHILD_PAGES + 1), CHILD_PAGES,
		 "populate one page over max_mem");
	write_child(dom);
	bad_contexts(dom);
	/*
	 * A wrong start first (long mode on page tables of zeros): the
	 * second context replaces it (the domain is paused), mode included.
	 */
	memset(&c, 0, sizeof(c));
	c.mode = VCPU_HVM_MODE_64B;
	c.cpu_regs.x86_64.rip = CHILD_ENTRY + 0x800;
	c.cpu_regs.x86_64.cr0 = 0x80000001; /* PE, PG */
	c.cpu_regs.x86_64.cr3 = 0x3000;
	c.cpu_regs.x86_64.cr4 = 0x20; /* PAE */
	c.cpu_regs.x86_64.efer = 0x500; /* LME, LMA */
	check_rc(set_context(dom, 0, &c), 0, "setvcpucontext (64-bit)");
	c = child_context();
	check_rc(set_context(dom, 0, &c), 0, "setvcpucontext again");
	memset(&c, 0, sizeof(c));
	check_rc(get_context(dom, 0, &c), 0, "getvcpucontext");
	check(c.mode == VCPU_HVM_MODE_32B &&
		      c.cpu_regs.x86_32.eip == CHILD_ENTRY &&
		      c.cpu_regs.x86_32.esi == MAGIC,
	      "getvcpucontext: mode %u eip %#x esi %#x", c.mode,
	      c.cpu_regs.x86_32.eip, c.cpu_regs.x86_32.esi);
	check_rc(info(dom, &i), 0, "getdomaininfo");
	check(!(i.flags & XEN_DOMINF_shutdown) && i.tot_pages == CHILD_PAGES,
	      "before start: flags %#x, %llu pages", i.flags, i.tot_pages);
	check_rc(simple(XEN_DOMCTL_unpausedomain, dom), 0, "unpausedomain");
	for (unsigned int n = 0;; n++) {
		check_rc(info(dom, &i), 0, "getdomaininfo while it runs");
		if (i.flags & XEN_DOMINF_shutdown)
			break;
		check(n < 10 && wait_exc(), "no VIRQ_DOM_EXC from d%ld", dom);
	}
	check(((i.flags >> XEN_DOMINF_shutdownshift) &
	       XEN_DOMINF_shutdownmask) == SHUTDOWN_poweroff &&
		      !(i.flags & XEN_DOMINF_paused) && i.nr_online_vcpus == 1,
	      "shut down: flags %#x, %u vCPUs", i.flags, i.nr_online_vcpus);
	check_rc(map_foreign(dom, CHILD_ENTRY >> PAGE_SHIFT, window_gfn), 0,
		 "foreign map after its shutdown");
	check(*(volatile uint32_t *)(window + CHILD_MAGIC_AT % PAGE_SIZE) ==
		      MAGIC,
	      "the child did not store ESI");
	check_rc(unmap_foreign(window_gfn), 0, "unmap");
	check_rc(destroy(dom), 0, "destroydomain");
	wait_gone(dom);
	check_rc(free_pages(&free1), 0, "physinfo");
	check(free1 == free0, "free pages %llu after the child, %llu before",
	      free1, free0);
	printf("ctl: d%ld built, ran, shut down and destroyed\n", dom);
}

static void rounds(unsigned int n, uint64_t free0)
{
	uint64_t free1;

	for (unsigned int r = 0; r < n; r++) {
		long dom = create("", 0, 2);

		check(dom > 0, "round %u: createdomain: %ld", r, dom);
		check_rc(set_max_mem(dom, 4 * CHILD_PAGES), 0, "max_mem");
		check_rc(populate(dom, 0x100, CHILD_PAGES), CHILD_PAGES,
			 "populate");
		check_rc(destroy(dom), 0, "destroydomain");
		wait_gone(dom);
	}
	check_rc(free_pages(&free1), 0, "physinfo");
	check(free1 == free0, "free pages %llu after %u rounds, %llu before",
	      free1, n, free0);
	printf("ctl: %u create+destroy rounds, %llu pages free as before\n", n,
	       free1);
}

/* getdomaininfolist from first, up to max: the ids into ids[]. */
static long list(domid_t first, uint32_t max, domid_t *ids)
{
	static struct xen_domctl_getdomaininfo buf[MAX_LIST];
	struct xen_sysctl s = { .u.getdomaininfolist = {
					.first_domain = first,
					.max_domains = max,
				} };
	long rc;

	set_xen_guest_handle(s.u.getdomaininfolist.buffer, buf);
	rc = sysctl(XEN_SYSCTL_getdomaininfolist, &s);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < s.u.getdomaininfolist.num_domains; i++)
		ids[i] = buf[i].domain;
	return s.u.getdomaininfolist.num_domains;
}

static void listing(void)
{
	domid_t all[MAX_LIST], page[MAX_LIST], want[MAX_LIST];
	unsigned int nw = 0, got = 0;
	long n, created[3];

	/* Us (unpriv is gone), then ours. */
	want[nw++] = xtf_domid();
	for (unsigned int k = 0; k < 3; k++) {
		created[k] = create("", 0, 1);
		check(created[k] > 0, "createdomain: %ld", created[k]);
		want[nw++] = created[k];
	}
	n = list(0, MAX_LIST, all);
	check(n == (long)nw, "getdomaininfolist: %ld domains, %u live", n, nw);
	for (unsigned int k = 0; k < nw; k++)
		check(all[k] == want[k], "entry %u: d%u, want d%u", k, all[k],
		      want[k]);
	for (domid_t from = 0; (n = list(from, 2, page)) > 0;
	     from = page[n - 1] + 1)
		for (long k = 0; k < n; k++, got++)
			check(got < nw && page[k] == want[got],
			      "paged list entry %u: d%u", got, page[k]);
	check(got == nw && !n, "paged list: %u entries (%ld)", got, n);
	for (unsigned int k = 0; k < 3; k++)
		check_rc(destroy(created[k]), 0, "destroydomain");
	for (unsigned int k = 0; k < 3; k++)
		wait_gone(created[k]);
	printf("ctl: getdomaininfolist saw the %u live domains\n", nw);
}

/* The child's console line is in the ring, read incrementally. */
static void console_ring(void)
{
	struct xen_sysctl s = {};
	uint32_t index = 0;
	bool found = false;

	s.u.readconsole.count = 64;
	set_xen_guest_handle(s.u.readconsole.buffer, ring_buf);
	check_rc(sysctl(XEN_SYSCTL_readconsole, &s), 0, "readconsole");
	check(s.u.readconsole.count == 64, "readconsole: %u bytes",
	      s.u.readconsole.count);
	/* Index 0 is older than the ring: it starts at the oldest byte. */
	for (;;) {
		memset(&s, 0, sizeof(s));
		s.u.readconsole.incremental = 1;
		s.u.readconsole.index = index;
		s.u.readconsole.count = sizeof(ring_buf) - 1;
		set_xen_guest_handle(s.u.readconsole.buffer, ring_buf);
		check_rc(sysctl(XEN_SYSCTL_readconsole, &s), 0,
			 "readconsole incremental");
		ring_buf[s.u.readconsole.count] = '\0';
		for (char *p = ring_buf; *p && !found; p++)
			found = !strncmp(p, ") " CHILD_LINE,
					 2 + strlen(CHILD_LINE));
		if (found || s.u.readconsole.count < sizeof(ring_buf) - 1)
			break;
		/* Again from a little before: a line may span two reads. */
		index = s.u.readconsole.index - RING_OVERLAP;
	}
	check(found, "the child's line is not in the console ring");
	printf("ctl: the console ring holds the child's line\n");
}

static void bad_input(void)
{
	struct xen_domctl_getdomaininfo i;
	struct xen_domctl d = {};
	struct xen_sysctl s = {};
	long dom;

	check_rc(info(0x7000, &i), -XEN_ESRCH, "getdomaininfo of d28672");
	check_rc(destroy(0x7000), -XEN_ESRCH, "destroydomain of d28672");
	check_rc(destroy(xtf_domid()), -XEN_EINVAL, "destroydomain of itself");
	check_rc(create("", 0, 0), -XEN_EINVAL, "createdomain with 0 vCPUs");
	check_rc(create("", 0, 9), -XEN_EINVAL, "createdomain with 9 vCPUs");
	check_rc(create("", 1, 1), -XEN_EEXIST, "createdomain of id 1");
	check_rc(create("ctl", 0, 1), -XEN_EEXIST, "createdomain named ctl");
	check_rc(create("a b", 0, 1), -XEN_EINVAL, "createdomain named 'a b'");
	d.u.createdomain.max_vcpus = 1;
	d.u.createdomain.flags = XEN_DOMCTL_CDF_hvm;
	check_rc(domctl(XEN_DOMCTL_createdomain, 0, &d), -XEN_EINVAL,
		 "createdomain without HAP");
	dom = create("bad", 0, 1);
	check(dom > 0, "createdomain: %ld", dom);
	check_rc(set_max_mem(dom, 1ull << 40), -XEN_ENOMEM, "max_mem of 1 TiB");
	check_rc(simple(XEN_DOMCTL_unpausedomain, dom), 0, "unpausedomain");
	check_rc(simple(XEN_DOMCTL_unpausedomain, dom), -XEN_EINVAL,
		 "unpausedomain of a running domain");
	memset(&d, 0, sizeof(d));
	d.u.set_target.target = dom;
	check_rc(domctl(XEN_DOMCTL_set_target, dom, &d), -XEN_EINVAL,
		 "set_target to itself");
	check_rc(destroy(dom), 0, "destroydomain");
	wait_gone(dom);
	check_rc(simple(99, 1), -XEN_ENOSYS, "domctl 99");
	d.cmd = XEN_DOMCTL_getdomaininfo;
	d.interface_version = 1;
	d.domain = 1;
	check_rc(hypercall3(__HYPERVISOR_domctl, (uintptr_t)&d, 0, 0),
		 -XEN_EACCES, "domctl of interface version 1");
	check_rc(hypercall3(__HYPERVISOR_domctl, 0xfffff000u, 0, 0),
		 -XEN_EFAULT, "domctl from a bad pointer");
	check_rc(sysctl(99, &s), -XEN_ENOSYS, "sysctl 99");
	s.cmd = XEN_SYSCTL_physinfo;
	s.interface_version = 1;
	check_rc(hypercall3(__HYPERVISOR_sysctl, (uintptr_t)&s, 0, 0),
		 -XEN_EACCES, "sysctl of interface version 1");
	printf("ctl: bad input refused\n");
}

/*
 * Two domains left behind for the hypervisor once we are gone: one that
 * ran and shut down (kept for us, then swept), one never started (hung).
 */
static void leave_orphans(void)
{
	struct xen_domctl_getdomaininfo i;
	struct vcpu_hvm_context c = child_context();
	long ran = create("orphan_ran", 0, 1),
	     idle = create("orphan_idle", 0, 1);

	check(ran > 0 && idle > 0, "createdomain: %ld, %ld", ran, idle);
	check_rc(set_max_mem(ran, CHILD_PAGES * 4), 0, "max_mem");
	check_rc(populate(ran, 0, CHILD_PAGES), CHILD_PAGES, "populate");
	write_child(ran);
	check_rc(set_context(ran, 0, &c), 0, "setvcpucontext");
	check_rc(simple(XEN_DOMCTL_unpausedomain, ran), 0, "unpausedomain");
	do {
		check_rc(info(ran, &i), 0, "getdomaininfo");
	} while (!(i.flags & XEN_DOMINF_shutdown) && wait_exc());
	check(i.flags & XEN_DOMINF_shutdown, "d%ld did not shut down", ran);
	printf("ctl: leaving d%ld (shut down) and d%ld (never started)\n", ran,
	       idle);
}

static void unprivileged(void)
{
	struct xen_domctl_getdomaininfo i;
	struct xen_sysctl s = {};

	check_rc(info(1, &i), -XEN_EPERM, "getdomaininfo from a domU");
	check_rc(create("", 0, 1), -XEN_EPERM, "createdomain from a domU");
	check_rc(sysctl(XEN_SYSCTL_physinfo, &s), -XEN_EPERM,
		 "physinfo from a domU");
	printf("ctl: domctl and sysctl refused to d%u\n", xtf_domid());
	xtf_success();
}

void test_main(unsigned int vcpu)
{
	struct xen_sysctl s = {};
	uint64_t free0;

	/* One vCPU: a vCPU above 0 (there is none) would stop here. */
	if (vcpu)
		return;
	if (cmdline_uint("unpriv", 0))
		unprivileged();
	set_up();
	/* The other boot domain (unpriv) gives its pages back first. */
	wait_gone(cmdline_uint("other", 2));
	check_rc(sysctl(XEN_SYSCTL_physinfo, &s), 0, "physinfo");
	check(s.u.physinfo.nr_cpus && s.u.physinfo.cpu_khz &&
		      s.u.physinfo.capabilities == (XEN_SYSCTL_PHYSCAP_hvm |
						    XEN_SYSCTL_PHYSCAP_hap) &&
		      s.u.physinfo.free_pages < s.u.physinfo.total_pages,
	      "physinfo: %u CPUs, %u kHz, caps %#x, %llu of %llu pages free",
	      s.u.physinfo.nr_cpus, s.u.physinfo.cpu_khz,
	      s.u.physinfo.capabilities, s.u.physinfo.free_pages,
	      s.u.physinfo.total_pages);
	free0 = s.u.physinfo.free_pages;
	printf("ctl: %u CPUs, %llu pages free\n", s.u.physinfo.nr_cpus, free0);
	build_and_run(free0);
	console_ring();
	rounds(cmdline_uint("rounds", 100), free0);
	listing();
	bad_input();
	check_rc(free_pages(&s.u.physinfo.free_pages), 0, "physinfo");
	check(s.u.physinfo.free_pages == free0,
	      "free pages %llu at the end, %llu at the start",
	      s.u.physinfo.free_pages, free0);
	leave_orphans();
	xtf_success();
}
