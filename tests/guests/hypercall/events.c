/*
 * The hypercall guest's event-channel section: the calls behind event
 * channels, from one domain (vCPU 0, interrupts off but in the windows
 * below). In this order:
 *
 *   physmap  add_to_physmap: a bad pointer -EFAULT; idx 1, space 99 and
 *            the first gpfn past the guest's address width -EINVAL; a v2
 *            status frame (grant_table, idx bit 31) -EINVAL; space
 *            gmfn -EOPNOTSUPP; an absent domain -ESRCH;
 *            none of them maps anything. Then the shared-info page at
 *            page A (it reads zero, the RAM page is given back), moved to
 *            page B (a word written through A shows there; mapping B
 *            again changes nothing). A's gfn is then empty: populate
 *            gives it a zero page. populate over B fails, and so does
 *            decrease_reservation of B (0 done): the page stays mapped
 *            and everything below reads its event bits through B.
 *   params   hvm_op set/get_param: a bad pointer -EFAULT; CALLBACK_IRQ
 *            starts 0, type 0 (a GSI), vector 5 and stray bits -EINVAL,
 *            the vector type sets the upcall vector; indices 39 and 1000
 *            -EINVAL; STORE_EVTCHN read and written; STORE_PFN read (0),
 *            written -EPERM; PAGING_RING_PFN -EPERM both ways. The
 *            control domain may write STORE_PFN and use PAGING_RING_PFN.
 *            An absent domain -ESRCH.
 *   loopback sub-ops 1, 2, 7, 10 to 13 and 99 -ENOSYS; bad pointers
 *            -EFAULT. p = alloc_unbound(self, self) is unbound naming
 *            us; q = bind_interdomain(us, p): both ends interdomain
 *            naming each other, q pending at once (masked: no selector,
 *            no upcall; the unmask hypercall then delivers it). send on
 *            either end makes the other pending with its selector bit and
 *            evtchn_upcall_pending set; with IF=0 the upcall waits, after
 *            STI its handler runs once. Two sends before it: one event.
 *            A masked p: pending, no selector or upcall, until the unmask
 *            hypercall. CALLBACK_IRQ moved to another vector takes the
 *            upcall there. bind_vcpu: vCPU 1 -ENOENT, a free port -EINVAL.
 *            Ports 0, 1024 and 5000: send, close, status, unmask, bind_vcpu
 *            -EINVAL; a free port: send, close, bind_vcpu -EINVAL,
 *            status closed, unmask 0.
 *            bind_interdomain: an absent domain -ESRCH, our interdomain
 *            port, a free port and a port naming another domain -EINVAL.
 *   poll     SCHEDOP_poll: 129 ports, port 1024 or 5000 -EINVAL; a bad
 *            list or argument -EFAULT; a pending masked port (alone or
 *            last of 128) returns at once; a masked idle port with a
 *            timeout 20 ms ahead returns no earlier; so does no port
 *            with a timeout 10 ms ahead.
 *   close    close(p) clears its pending bit, p reads closed and q unbound
 *            naming us; closing p again and sending on p -EINVAL; send on
 *            the unbound q is 0 and sets nothing. q bound again and both
 *            closed.
 *   others   a domain other than us that exists (found with
 *            current_reservation: from id 0 up; for the control domain
 *            from its id - 1 down, which in the guests ISO spares ping,
 *            pong and fuzz). add_to_physmap for it -EPERM. A plain domain
 *            gets -EPERM for alloc_unbound, status and params there. The
 *            control domain allocates a port there naming itself, sees its
 *            status, binds to it, closes its end: the port stays, unbound
 *            naming the control domain. If that domain ends meanwhile
 *            (-ESRCH and gone), another is taken.
 *
 * Every upcall handler counts its vector and the ports it finds; a port
 * other than p and q is a FAILURE.
 */
#include <xtf.h>

#include "events.h"

#define VEC_A 0x60
#define VEC_B 0x61
#define MS 1000000ULL
#define WINDOW_NS (5 * MS)
#define LATE_NS (2000 * MS)
#define BAD_PTR 0xfffff000u /* paging off: past any guest's RAM */
#define ABSENT_DOMID DOMID_IDLE /* in no domain list */
#define FREE_PORT 127u /* in the first bucket; nothing gets that far */
#define NR_WORDS (EVTCHN_NR_PORTS / 32)
#define MARKER 0x600dcafeu
#define MAX_DOMID_SCAN 64

static uint8_t page_a[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_b[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static evtchn_port_t poll_ports[SCHED_POLL_MAX_PORTS + 1];
static bool control;
static uint16_t self;
static evtchn_port_t port_p, port_q;
static unsigned int upcalls_a, upcalls_b, seen_p, seen_q, strays;

static uint64_t now_ns(void)
{
	uint64_t t = 0;

	check_rc(hypercall_get_time(&t), 0, "HVMOP_get_time");
	return t;
}

static long current_pages(void)
{
	return hypercall_memory_count(XENMEM_current_reservation, DOMID_SELF);
}

/*
 * A shared-info page just mapped: zero but for what the hypervisor keeps
 * there for a 32-bit guest, vCPU 0's time record (version even, not 0)
 * and the wall clock (same).
 */
static bool fresh_shared_info(const uint8_t *page)
{
	static struct compat_shared_info copy;
	struct vcpu_time_info *t = &copy.vcpu_info[0].time;

	memcpy(&copy, page, sizeof(copy));
	if (!t->version || (t->version & 1) || (copy.wc_version & 1) ||
	    !copy.wc_version)
		return false;
	memset(t, 0, sizeof(*t));
	copy.wc_version = copy.wc_sec = copy.wc_nsec = 0;
	return all_bytes(&copy, 0, sizeof(copy)) &&
	       all_bytes(page + sizeof(copy), 0, PAGE_SIZE - sizeof(copy));
}

static bool domain_exists(uint16_t id)
{
	return hypercall_memory_count(XENMEM_current_reservation, id) !=
	       -XEN_ESRCH;
}

/* --- the upcall --- */

static void on_port(evtchn_port_t port)
{
	if (port_p && port == port_p)
		seen_p++;
	else if (port_q && port == port_q)
		seen_q++;
	else
		strays++;
}

static void upcall_a(void)
{
	upcalls_a++;
	evtchn_scan(0, on_port);
}

static void upcall_b(void)
{
	upcalls_b++;
	evtchn_scan(0, on_port);
}

/*
 * IF=1 for WINDOW_NS, making hypercalls (each exit lets a pending upcall
 * in), and on until the upcalls expected came (up to LATE_NS: a loaded
 * host may hold the hypervisor's timer CPU back for milliseconds), then
 * check that exactly a upcalls came on VEC_A and b on VEC_B, seeing port
 * p p times and q q times.
 */
static void deliver(const char *what, unsigned int a, unsigned int b,
		    unsigned int p, unsigned int q)
{
	unsigned int a0 = upcalls_a, b0 = upcalls_b, p0 = seen_p, q0 = seen_q;
	uint64_t start = now_ns(), now;

	local_irq_enable();
	do {
		cpu_relax();
		now = now_ns();
	} while (now < start + WINDOW_NS ||
		 (now < start + LATE_NS &&
		  (upcalls_a - a0 < a || upcalls_b - b0 < b ||
		   seen_p - p0 < p || seen_q - q0 < q)));
	local_irq_disable();
	check(upcalls_a - a0 == a && upcalls_b - b0 == b,
	      "%s: %u upcalls on vector 0x%x and %u on 0x%x, not %u and %u",
	      what, upcalls_a - a0, VEC_A, upcalls_b - b0, VEC_B, a, b);
	check(seen_p - p0 == p && seen_q - q0 == q,
	      "%s: the upcalls saw port p (%u) %u times and q (%u) %u times, "
	      "not %u and %u",
	      what, port_p, seen_p - p0, port_q, seen_q - q0, p, q);
	check(!strays, "%s: the upcalls saw %u ports other than p and q", what,
	      strays);
}

/*
 * The shared-info page: exactly the ports p and q as named are pending
 * (no other port in any word), and when notify is a port, its selector
 * bit and evtchn_upcall_pending are the only notification; when notify
 * is 0, there is none.
 */
static void expect_state(const char *what, bool p, bool q, evtchn_port_t notify)
{
	struct compat_shared_info *s = shared_info();
	struct compat_vcpu_info *vi = &s->vcpu_info[0];
	uint32_t sel =
		__atomic_load_n(&vi->evtchn_pending_sel, __ATOMIC_SEQ_CST);
	uint8_t up =
		__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
	uint32_t want_sel = notify ? 1u << (notify / 32) : 0;

	check(evtchn_is_pending(port_p) == p,
	      "%s: port p (%u) is %spending, should %sbe", what, port_p,
	      p ? "not " : "", p ? "" : "not ");
	check(evtchn_is_pending(port_q) == q,
	      "%s: port q (%u) is %spending, should %sbe", what, port_q,
	      q ? "not " : "", q ? "" : "not ");
	for (unsigned int w = 0; w < NR_WORDS; w++) {
		uint32_t mine = 0, pend;

		if (port_p / 32 == w)
			mine |= 1u << (port_p % 32);
		if (port_q / 32 == w)
			mine |= 1u << (port_q % 32);
		pend = __atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST);
		check(!(pend & ~mine),
		      "%s: pending word %u is 0x%x: ports other than p (%u) "
		      "and q (%u)",
		      what, w, pend, port_p, port_q);
	}
	check(sel == want_sel && up == !!notify,
	      "%s: selector 0x%x and evtchn_upcall_pending %u, not 0x%x and %u",
	      what, sel, up, want_sel, !!notify);
}

/* The status of dom's port must be st, naming rdom (and rport). */
static void expect_status(const char *what, uint16_t dom, evtchn_port_t port,
			  uint32_t st, uint16_t rdom, evtchn_port_t rport)
{
	struct evtchn_status s;

	check_rc(evtchn_status(dom, port, &s), 0, what);
	check(s.status == st, "%s: port %u has status %u, not %u", what, port,
	      s.status, st);
	check(s.vcpu == 0, "%s: port %u notifies vCPU %u, not 0", what, port,
	      s.vcpu);
	if (st == EVTCHNSTAT_unbound)
		check(s.u.unbound.dom == rdom,
		      "%s: unbound port %u names domain %u, not %u", what, port,
		      s.u.unbound.dom, rdom);
	if (st == EVTCHNSTAT_interdomain)
		check(s.u.interdomain.dom == rdom &&
			      s.u.interdomain.port == rport,
		      "%s: port %u is bound to domain %u port %u, not %u "
		      "port %u",
		      what, port, s.u.interdomain.dom, s.u.interdomain.port,
		      rdom, rport);
	if (st == EVTCHNSTAT_closed)
		check(all_bytes(&s.u, 0, sizeof(s.u)),
		      "%s: closed port %u has details 0x%x 0x%x", what, port,
		      s.u.interdomain.dom, s.u.interdomain.port);
}

static void mask_all(void)
{
	for (unsigned int w = 0; w < NR_WORDS; w++)
		__atomic_store_n(&shared_info()->evtchn_mask[w], ~0u,
				 __ATOMIC_SEQ_CST);
}

/* --- physmap --- */

static long atp(uint16_t domid, uint32_t space, uint32_t idx, uint32_t gpfn)
{
	struct compat_add_to_physmap a = {
		.domid = domid,
		.space = space,
		.idx = idx,
		.gpfn = gpfn,
	};

	return hypercall_memory_op(XENMEM_add_to_physmap, &a);
}

static void test_physmap(void)
{
	uint32_t gfn_a = (uintptr_t)page_a >> PAGE_SHIFT;
	uint32_t gfn_b = (uintptr_t)page_b >> PAGE_SHIFT;
	long pages = current_pages();
	struct compat_shared_info *s;

	check(pages > 0, "current_reservation of itself: %ld", pages);
	memset(page_a, 0x5a, PAGE_SIZE);
	memset(page_b, 0xa5, PAGE_SIZE);
	check_rc(hypercall_memory_op(XENMEM_add_to_physmap, (void *)BAD_PTR),
		 -XEN_EFAULT, "add_to_physmap with a bad pointer");
	check_rc(atp(DOMID_SELF, XENMAPSPACE_shared_info, 1, gfn_a),
		 -XEN_EINVAL, "add_to_physmap of shared_info idx 1");
	check_rc(atp(DOMID_SELF, XENMAPSPACE_grant_table, 0x80000000U, gfn_a),
		 -XEN_EINVAL, "add_to_physmap of a grant status frame");
	check_rc(atp(DOMID_SELF, XENMAPSPACE_gmfn, 0, gfn_a), -XEN_EOPNOTSUPP,
		 "add_to_physmap of space gmfn");
	check_rc(atp(DOMID_SELF, 99, 0, gfn_a), -XEN_EINVAL,
		 "add_to_physmap of space 99");
	/* The p2m ends where the guest's MAXPHYADDR does (if 32 bits reach) */
	if (xtf_p2m_end() <= 0xffffffffu)
		check_rc(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0,
			     (uint32_t)xtf_p2m_end()),
			 -XEN_EINVAL, "add_to_physmap past the end of the p2m");
	check(!domain_exists(ABSENT_DOMID), "domain 0x%x exists", ABSENT_DOMID);
	check_rc(atp(ABSENT_DOMID, XENMAPSPACE_shared_info, 0, gfn_a),
		 -XEN_ESRCH, "add_to_physmap for an absent domain");
	check(all_bytes(page_a, 0x5a, PAGE_SIZE),
	      "physmap: a refused add_to_physmap changed page A");
	check_rc(current_pages(), pages,
		 "current_reservation after refused add_to_physmaps");

	check_rc(evtchn_map_shared_info(page_a), 0,
		 "add_to_physmap of the shared-info page at page A");
	check(fresh_shared_info(page_a),
	      "physmap: page A does not read as the new shared-info page");
	check_rc(current_pages(), pages - 1,
		 "current_reservation after mapping the shared-info page (its "
		 "RAM page given back)");
	/* vCPU 31 does not exist: the hypervisor never writes its words. */
	s = (struct compat_shared_info *)page_a;
	s->vcpu_info[31].pad[0] = MARKER;

	check_rc(evtchn_map_shared_info(page_b), 0,
		 "add_to_physmap of the shared-info page at page B");
	s = (struct compat_shared_info *)page_b;
	check(s->vcpu_info[31].pad[0] == MARKER,
	      "physmap: moved to page B, the word written through page A "
	      "reads 0x%x, not 0x%x",
	      s->vcpu_info[31].pad[0], MARKER);
	check_rc(current_pages(), pages - 2,
		 "current_reservation after moving the shared-info page");
	check_rc(evtchn_map_shared_info(page_b), 0,
		 "add_to_physmap at page B again");
	check(s->vcpu_info[31].pad[0] == MARKER,
	      "physmap: mapped at page B again, the word reads 0x%x", MARKER);
	check_rc(current_pages(), pages - 2,
		 "current_reservation after mapping at page B again");

	/* Page A's gfn is empty now: never touch it before populating it. */
	check_rc(hypercall_reservation(XENMEM_populate_physmap, &gfn_a, 1, 0),
		 1, "populate_physmap of page A after the move");
	check(all_bytes(page_a, 0, PAGE_SIZE),
	      "physmap: page A populated again does not read zero");
	check_rc(current_pages(), pages - 1,
		 "current_reservation after populating page A");
	check_rc(hypercall_reservation(XENMEM_populate_physmap, &gfn_b, 1, 0),
		 0, "populate_physmap over the shared-info page");
	check_rc(hypercall_reservation(XENMEM_decrease_reservation, &gfn_b, 1,
				       0),
		 0, "decrease_reservation of the shared-info page");
	check(s->vcpu_info[31].pad[0] == MARKER,
	      "physmap: after decrease_reservation page B reads 0x%x, not 0x%x",
	      s->vcpu_info[31].pad[0], MARKER);
	check_rc(current_pages(), pages - 1,
		 "current_reservation after decrease_reservation of the "
		 "shared-info page");
	s->vcpu_info[31].pad[0] = 0;
}

/* --- params --- */

static void test_params(void)
{
	uint64_t v = ~0ULL;

	check_rc(hypercall_hvm_op(HVMOP_set_param, (void *)BAD_PTR),
		 -XEN_EFAULT, "set_param with a bad pointer");
	check_rc(hypercall_hvm_op(HVMOP_get_param, (void *)BAD_PTR),
		 -XEN_EFAULT, "get_param with a bad pointer");
	check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v), 0,
		 "get_param CALLBACK_IRQ");
	check(v == 0, "CALLBACK_IRQ starts as 0x%llx, not 0", v);
	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, 5),
		 -XEN_EINVAL, "set_param CALLBACK_IRQ of type 0 (GSI 5)");
	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			       HVM_CALLBACK_VECTOR(5)),
		 -XEN_EINVAL, "set_param CALLBACK_IRQ vector 5");
	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			       HVM_CALLBACK_VECTOR(VEC_A) | (1ULL << 32)),
		 -XEN_EINVAL, "set_param CALLBACK_IRQ with bit 32 set");
	check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v), 0,
		 "get_param CALLBACK_IRQ after refused sets");
	check(v == 0, "CALLBACK_IRQ is 0x%llx after refused sets, not 0", v);
	xtf_set_irq_handler(VEC_A, upcall_a);
	xtf_set_irq_handler(VEC_B, upcall_b);
	check_rc(hvm_set_param(self, HVM_PARAM_CALLBACK_IRQ,
			       HVM_CALLBACK_VECTOR(VEC_A)),
		 0, "set_param CALLBACK_IRQ vector 0x60");
	check_rc(hvm_get_param(self, HVM_PARAM_CALLBACK_IRQ, &v), 0,
		 "get_param CALLBACK_IRQ (own id)");
	check(v == HVM_CALLBACK_VECTOR(VEC_A), "CALLBACK_IRQ reads back 0x%llx",
	      v);

	check_rc(hvm_get_param(DOMID_SELF, HVM_NR_PARAMS, &v), -XEN_EINVAL,
		 "get_param 39");
	check_rc(hvm_set_param(DOMID_SELF, HVM_NR_PARAMS, 0), -XEN_EINVAL,
		 "set_param 39");
	check_rc(hvm_get_param(DOMID_SELF, 1000, &v), -XEN_EINVAL,
		 "get_param 1000");
	check_rc(hvm_set_param(DOMID_SELF, 1000, 0), -XEN_EINVAL,
		 "set_param 1000");

	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_STORE_EVTCHN, 7), 0,
		 "set_param STORE_EVTCHN");
	check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_STORE_EVTCHN, &v), 0,
		 "get_param STORE_EVTCHN");
	check(v == 7, "STORE_EVTCHN reads back 0x%llx, not 7", v);
	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_STORE_EVTCHN, 0), 0,
		 "set_param STORE_EVTCHN back to 0");

	v = ~0ULL;
	check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0,
		 "get_param STORE_PFN");
	check(v == 0, "STORE_PFN is 0x%llx, not 0", v);
	if (control) {
		check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_STORE_PFN, 0x1234),
			 0, "set_param STORE_PFN (control domain)");
		check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0,
			 "get_param STORE_PFN after setting it");
		check(v == 0x1234, "STORE_PFN reads back 0x%llx, not 0x1234",
		      v);
		check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_STORE_PFN, 0), 0,
			 "set_param STORE_PFN back to 0");
		check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_PAGING_RING_PFN,
				       &v),
			 0, "get_param PAGING_RING_PFN (control domain)");
		check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_PAGING_RING_PFN,
				       v),
			 0, "set_param PAGING_RING_PFN (control domain)");
	} else {
		check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_STORE_PFN, 0x1234),
			 -XEN_EPERM, "set_param STORE_PFN");
		check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0,
			 "get_param STORE_PFN after a refused set");
		check(v == 0, "STORE_PFN is 0x%llx after a refused set", v);
		check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_PAGING_RING_PFN,
				       &v),
			 -XEN_EPERM, "get_param PAGING_RING_PFN");
		check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_PAGING_RING_PFN,
				       0),
			 -XEN_EPERM, "set_param PAGING_RING_PFN");
	}
	check_rc(hvm_set_param(ABSENT_DOMID, HVM_PARAM_STORE_EVTCHN, 0),
		 -XEN_ESRCH, "set_param of an absent domain");
	check_rc(hvm_get_param(ABSENT_DOMID, HVM_PARAM_STORE_EVTCHN, &v),
		 -XEN_ESRCH, "get_param of an absent domain");
}

/* --- loopback --- */

static void test_bad_ops(void)
{
	static const unsigned int unknown[] = { 2, 10, 11, 12, 13, 99 };
	static const unsigned int known[] = {
		EVTCHNOP_bind_interdomain,
		EVTCHNOP_bind_virq,
		EVTCHNOP_bind_ipi,
		EVTCHNOP_close,
		EVTCHNOP_send,
		EVTCHNOP_status,
		EVTCHNOP_alloc_unbound,
		EVTCHNOP_bind_vcpu,
		EVTCHNOP_unmask,
	};
	uint32_t zero[8] = { 0 };

	for (unsigned int i = 0; i < sizeof(unknown) / sizeof(*unknown); i++)
		check(hypercall_event_channel_op(unknown[i], zero) ==
			      -XEN_ENOSYS,
		      "event_channel_op sub-op %u is not -ENOSYS", unknown[i]);
	for (unsigned int i = 0; i < sizeof(known) / sizeof(*known); i++)
		check(hypercall_event_channel_op(known[i], (void *)BAD_PTR) ==
			      -XEN_EFAULT,
		      "event_channel_op sub-op %u with a bad pointer is not "
		      "-EFAULT",
		      known[i]);
}

static void test_bad_ports(void)
{
	static const uint32_t bad[] = { 0, EVTCHN_NR_PORTS, 5000 };
	struct evtchn_status s;
	long want;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		uint32_t port = bad[i];

		check(evtchn_send(port) == -XEN_EINVAL,
		      "send on port %u is not -EINVAL", port);
		check(evtchn_close(port) == -XEN_EINVAL,
		      "close of port %u is not -EINVAL", port);
		/* Reserved port 0 reads closed and unmasks, as in Xen. */
		want = port ? -XEN_EINVAL : 0;
		check(evtchn_status(DOMID_SELF, port, &s) == want &&
			      (port || s.status == EVTCHNSTAT_closed),
		      "status of port %u is not %ld", port, want);
		check(evtchn_unmask_port(port) == want,
		      "unmask of port %u is not %ld", port, want);
		check(evtchn_bind_vcpu(port, 0) == -XEN_EINVAL,
		      "bind_vcpu of port %u is not -EINVAL", port);
	}
	check_rc(evtchn_send(FREE_PORT), -XEN_EINVAL, "send on a free port");
	check_rc(evtchn_close(FREE_PORT), -XEN_EINVAL, "close of a free port");
	check_rc(evtchn_bind_vcpu(FREE_PORT, 0), -XEN_EINVAL,
		 "bind_vcpu of a free port");
	/* As in Xen: any port below the limit in an allocated bucket. */
	check_rc(evtchn_unmask_port(FREE_PORT), 0, "unmask of a free port");
	expect_status("status of a free port", DOMID_SELF, FREE_PORT,
		      EVTCHNSTAT_closed, 0, 0);
}

static void test_bad_binds(void)
{
	long r;

	check_rc(evtchn_bind_interdomain(ABSENT_DOMID, 1), -XEN_ESRCH,
		 "bind_interdomain to an absent domain");
	check_rc(evtchn_bind_interdomain(self, port_q), -XEN_EINVAL,
		 "bind_interdomain to our interdomain port q");
	check_rc(evtchn_bind_interdomain(DOMID_SELF, FREE_PORT), -XEN_EINVAL,
		 "bind_interdomain to a free port");
	check_rc(evtchn_bind_interdomain(DOMID_SELF, 0), -XEN_EINVAL,
		 "bind_interdomain to port 0");
	check_rc(evtchn_bind_interdomain(DOMID_SELF, 5000), -XEN_EINVAL,
		 "bind_interdomain to port 5000");
	/* An unbound port of ours that another domain may bind. */
	r = evtchn_alloc_unbound(DOMID_SELF, ABSENT_DOMID);
	check(r > 0 && r < EVTCHN_NR_PORTS,
	      "alloc_unbound for another domain returned %ld", r);
	expect_status("status of a port for another domain", DOMID_SELF, r,
		      EVTCHNSTAT_unbound, ABSENT_DOMID, 0);
	check_rc(evtchn_bind_interdomain(DOMID_SELF, r), -XEN_EINVAL,
		 "bind_interdomain to a port naming another domain");
	check_rc(evtchn_close(r), 0, "close of the port for another domain");
	check_rc(evtchn_alloc_unbound(ABSENT_DOMID, DOMID_SELF), -XEN_ESRCH,
		 "alloc_unbound in an absent domain");
	check_rc(evtchn_status(ABSENT_DOMID, 1, &(struct evtchn_status){}),
		 -XEN_ESRCH, "status in an absent domain");
}

static void test_loopback(void)
{
	long r;

	test_bad_ops();
	mask_all();
	r = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
	check(r > 0 && r < EVTCHN_NR_PORTS, "alloc_unbound returned %ld", r);
	port_p = r;
	expect_status("status of p after alloc_unbound", DOMID_SELF, port_p,
		      EVTCHNSTAT_unbound, self, 0);
	evtchn_unmask(port_p);
	expect_state("alloc_unbound", false, false, 0);

	r = evtchn_bind_interdomain(self, port_p);
	check(r > 0 && r < EVTCHN_NR_PORTS && r != (long)port_p,
	      "bind_interdomain to p (%u) returned %ld", port_p, r);
	port_q = r;
	printf("hypercall: loopback channel p %u, q %u\n", port_p, port_q);
	expect_status("status of p after bind", DOMID_SELF, port_p,
		      EVTCHNSTAT_interdomain, self, port_q);
	expect_status("status of q after bind", self, port_q,
		      EVTCHNSTAT_interdomain, self, port_p);
	/* q is new and masked: pending at once, but no notification. */
	expect_state("bind_interdomain (q masked)", false, true, 0);
	deliver("bind_interdomain (q masked)", 0, 0, 0, 0);
	check(shared_info()->evtchn_mask[port_q / 32] & (1u << (port_q % 32)),
	      "q's mask bit was cleared");
	check_rc(evtchn_unmask_port(port_q), 0, "unmask of q");
	check(!(shared_info()->evtchn_mask[port_q / 32] &
		(1u << (port_q % 32))),
	      "unmask of q left its mask bit set");
	expect_state("unmask of pending q", false, true, port_q);
	deliver("unmask of pending q", 1, 0, 0, 1);
	expect_state("after the upcall for q", false, false, 0);

	check_rc(evtchn_send(port_q), 0, "send on q");
	expect_state("send on q", true, false, port_p);
	deliver("send on q", 1, 0, 1, 0);
	check_rc(evtchn_send(port_p), 0, "send on p");
	expect_state("send on p", false, true, port_q);
	deliver("send on p", 1, 0, 0, 1);
	check_rc(evtchn_send(port_q), 0, "send on q twice (1)");
	check_rc(evtchn_send(port_q), 0, "send on q twice (2)");
	expect_state("send on q twice", true, false, port_p);
	deliver("send on q twice", 1, 0, 1, 0);

	evtchn_mask(port_p);
	check_rc(evtchn_send(port_q), 0, "send on q to masked p");
	expect_state("send on q to masked p", true, false, 0);
	deliver("send on q to masked p", 0, 0, 0, 0);
	check_rc(evtchn_unmask_port(port_p), 0, "unmask of p");
	expect_state("unmask of pending p", true, false, port_p);
	deliver("unmask of pending p", 1, 0, 1, 0);

	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			       HVM_CALLBACK_VECTOR(VEC_B)),
		 0, "set_param CALLBACK_IRQ vector 0x61");
	check_rc(evtchn_send(port_q), 0, "send on q with vector 0x61");
	deliver("send on q with vector 0x61", 0, 1, 1, 0);
	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			       HVM_CALLBACK_VECTOR(VEC_A)),
		 0, "set_param CALLBACK_IRQ back to 0x60");

	check_rc(evtchn_bind_vcpu(port_p, 1), -XEN_ENOENT,
		 "bind_vcpu of p to vCPU 1 (of 1)");
	check_rc(evtchn_bind_vcpu(port_p, 0), 0, "bind_vcpu of p to vCPU 0");
	check_rc(hypercall_event_channel_op(EVTCHNOP_status, (void *)BAD_PTR),
		 -XEN_EFAULT, "status with a bad pointer");
	test_bad_ports();
	test_bad_binds();
	expect_state("after the bad ports", false, false, 0);
}

/* --- poll --- */

/* SCHEDOP_poll of nr ports with a timeout ahead_ns ahead; the time taken. */
static uint64_t timed_poll(const char *what, evtchn_port_t *ports,
			   unsigned int nr, uint64_t ahead_ns)
{
	uint64_t t0 = now_ns();

	check_rc(sched_poll(ports, nr, t0 + ahead_ns), 0, what);
	return now_ns() - t0;
}

static void test_poll(void)
{
	struct compat_sched_poll bad = { .nr_ports = 1 };
	uint64_t t0 = now_ns(), took;

	set_compat_handle(bad.ports, BAD_PTR);
	for (unsigned int i = 0; i <= SCHED_POLL_MAX_PORTS; i++)
		poll_ports[i] = port_p;
	/* A call that wrongly blocks still returns, then fails the check. */
	check_rc(sched_poll(poll_ports, SCHED_POLL_MAX_PORTS + 1,
			    t0 + 1000 * MS),
		 -XEN_EINVAL, "poll of 129 ports");
	poll_ports[0] = EVTCHN_NR_PORTS;
	check_rc(sched_poll(poll_ports, 1, t0 + 1000 * MS), -XEN_EINVAL,
		 "poll of port 1024");
	poll_ports[0] = 5000;
	check_rc(sched_poll(poll_ports, 1, t0 + 1000 * MS), -XEN_EINVAL,
		 "poll of port 5000");
	poll_ports[0] = port_p;
	bad.timeout = t0 + 1000 * MS;
	check_rc(hypercall_sched_op(SCHEDOP_poll, &bad), -XEN_EFAULT,
		 "poll with a bad port list");
	check_rc(hypercall_sched_op(SCHEDOP_poll, (void *)BAD_PTR), -XEN_EFAULT,
		 "poll with a bad pointer");

	evtchn_mask(port_p);
	evtchn_mask(port_q);
	check_rc(evtchn_send(port_q), 0, "send on q before poll");
	expect_state("send on q before poll", true, false, 0);
	took = timed_poll("poll of pending p", poll_ports, 1, 2000 * MS);
	check(took < 1000 * MS,
	      "poll of pending p took %llu ms (timeout 2000 ms)", took / MS);
	poll_ports[SCHED_POLL_MAX_PORTS - 1] = port_q;
	evtchn_clear_pending(port_p);
	check_rc(evtchn_send(port_p), 0, "send on p before poll");
	took = timed_poll("poll of 128 ports, the last pending", poll_ports,
			  SCHED_POLL_MAX_PORTS, 2000 * MS);
	check(took < 1000 * MS,
	      "poll of 128 ports, the last pending, took %llu ms (timeout "
	      "2000 ms)",
	      took / MS);
	evtchn_clear_pending(port_q);
	expect_state("before the poll timeouts", false, false, 0);
	took = timed_poll("poll of idle p, 20 ms", poll_ports, 1, 20 * MS);
	check(took >= 20 * MS, "poll of idle p (timeout 20 ms) took %llu us",
	      took / 1000);
	printf("hypercall: poll of idle p, timeout 20 ms: %llu us\n",
	       took / 1000);
	took = timed_poll("poll of no port, 10 ms", poll_ports, 0, 10 * MS);
	check(took >= 10 * MS, "poll of no port (timeout 10 ms) took %llu us",
	      took / 1000);
	printf("hypercall: poll of no port, timeout 10 ms: %llu us\n",
	       took / 1000);
	expect_state("after the poll timeouts", false, false, 0);
	deliver("after the poll timeouts", 0, 0, 0, 0);
	evtchn_unmask(port_p);
	evtchn_unmask(port_q);
}

/* --- close --- */

static void test_close(void)
{
	long r;

	evtchn_mask(port_p);
	check_rc(evtchn_send(port_q), 0, "send on q before close");
	check_rc(evtchn_close(port_p), 0, "close of p");
	expect_state("close of pending p", false, false, 0);
	expect_status("status of p after close", DOMID_SELF, port_p,
		      EVTCHNSTAT_closed, 0, 0);
	expect_status("status of q after close of p", DOMID_SELF, port_q,
		      EVTCHNSTAT_unbound, self, 0);
	check_rc(evtchn_close(port_p), -XEN_EINVAL, "close of p again");
	check_rc(evtchn_send(port_p), -XEN_EINVAL, "send on closed p");
	check_rc(evtchn_send(port_q), 0, "send on unbound q");
	expect_state("send on unbound q", false, false, 0);
	deliver("send on unbound q", 0, 0, 0, 0);

	/* q is bindable again; it is masked, so the new end's event waits. */
	r = evtchn_bind_interdomain(DOMID_SELF, port_q);
	check(r > 0 && r < EVTCHN_NR_PORTS && r != (long)port_q,
	      "bind_interdomain to unbound q returned %ld", r);
	port_p = r;
	evtchn_mask(port_p);
	expect_status("status of q bound again", DOMID_SELF, port_q,
		      EVTCHNSTAT_interdomain, self, port_p);
	check_rc(evtchn_close(port_q), 0, "close of q");
	expect_status("status of p after close of q", DOMID_SELF, port_p,
		      EVTCHNSTAT_unbound, self, 0);
	check_rc(evtchn_close(port_p), 0, "close of the last port");
	expect_status("status of q after close", DOMID_SELF, port_q,
		      EVTCHNSTAT_closed, 0, 0);
	expect_state("all closed", false, false, 0);
	deliver("all closed", 0, 0, 0, 0);
}

/* --- other domains --- */

/* Another existing domain, or -1 if there is none. */
static int find_other(void)
{
	if (control) {
		for (int id = self - 1; id >= 0; id--)
			if (domain_exists(id))
				return id;
		return -1;
	}
	for (int id = 0; id < MAX_DOMID_SCAN; id++)
		if (id != self && domain_exists(id))
			return id;
	return -1;
}

/* A call on domain other returned -ESRCH because it is gone: retry. */
#define CHECK_OTHER(call, want, what)                          \
	do {                                                   \
		long r_ = (call);                              \
		if (r_ == -XEN_ESRCH && !domain_exists(other)) \
			return false;                          \
		check(r_ == (long)(want),                      \
		      "%s (domain %u) returned %ld, "          \
		      "not %ld",                               \
		      what, other, r_, (long)(want));          \
	} while (0)

static bool plain_others(uint16_t other)
{
	struct evtchn_status s;
	uint64_t v;

	CHECK_OTHER(hypercall_memory_count(XENMEM_current_reservation, other),
		    -XEN_EPERM, "current_reservation of another domain");
	CHECK_OTHER(atp(other, XENMAPSPACE_shared_info, 0,
			(uintptr_t)page_a >> PAGE_SHIFT),
		    -XEN_EPERM, "add_to_physmap for another domain");
	CHECK_OTHER(evtchn_alloc_unbound(other, DOMID_SELF), -XEN_EPERM,
		    "alloc_unbound in another domain");
	CHECK_OTHER(evtchn_status(other, 1, &s), -XEN_EPERM,
		    "status in another domain");
	CHECK_OTHER(hvm_get_param(other, HVM_PARAM_CALLBACK_IRQ, &v),
		    -XEN_EPERM, "get_param of another domain");
	CHECK_OTHER(hvm_set_param(other, HVM_PARAM_STORE_EVTCHN, 0), -XEN_EPERM,
		    "set_param of another domain");
	return true;
}

static bool control_others(uint16_t other)
{
	struct evtchn_status s;
	evtchn_port_t r, l;
	uint64_t v;
	long rc;

	CHECK_OTHER(atp(other, XENMAPSPACE_shared_info, 0,
			(uintptr_t)page_a >> PAGE_SHIFT),
		    -XEN_EPERM, "add_to_physmap for another domain");
	CHECK_OTHER(hvm_get_param(other, HVM_PARAM_CALLBACK_IRQ, &v), 0,
		    "get_param of another domain");
	/* Allowed for the control domain: reserved port 0 reads closed. */
	CHECK_OTHER(evtchn_status(other, 0, &s), 0,
		    "status of port 0 in another domain");
	check(s.status == EVTCHNSTAT_closed,
	      "status of port 0 in another domain: %u, not closed", s.status);
	rc = evtchn_alloc_unbound(other, self);
	if (rc == -XEN_ESRCH && !domain_exists(other))
		return false;
	check(rc > 0 && rc < 4096,
	      "alloc_unbound in domain %u (control domain) returned %ld", other,
	      rc);
	r = rc;
	printf("hypercall: port %u of domain %u is ours to bind\n", r, other);
	CHECK_OTHER(evtchn_status(other, r, &s), 0,
		    "status of the port in another domain");
	check(s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == self,
	      "port %u of domain %u: status %u naming %u, not unbound naming "
	      "%u",
	      r, other, s.status, s.u.unbound.dom, self);
	mask_all();
	rc = evtchn_bind_interdomain(other, r);
	if (rc == -XEN_ESRCH && !domain_exists(other))
		return false;
	check(rc > 0 && rc < EVTCHN_NR_PORTS,
	      "bind_interdomain to port %u of domain %u returned %ld", r, other,
	      rc);
	l = rc;
	check(evtchn_is_pending(l),
	      "new port %u bound to domain %u is not "
	      "pending",
	      l, other);
	expect_status("status of our end", DOMID_SELF, l,
		      EVTCHNSTAT_interdomain, other, r);
	CHECK_OTHER(evtchn_status(other, r, &s), 0,
		    "status of the bound port in another domain");
	check(s.status == EVTCHNSTAT_interdomain &&
		      s.u.interdomain.dom == self && s.u.interdomain.port == l,
	      "port %u of domain %u: status %u naming %u port %u, not "
	      "interdomain naming %u port %u",
	      r, other, s.status, s.u.interdomain.dom, s.u.interdomain.port,
	      self, l);
	check_rc(evtchn_close(l), 0, "close of our end to another domain");
	check(!evtchn_is_pending(l), "closed port %u is still pending", l);
	CHECK_OTHER(evtchn_status(other, r, &s), 0,
		    "status of the port in another domain after close");
	check(s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == self,
	      "port %u of domain %u after close: status %u naming %u, not "
	      "unbound naming %u",
	      r, other, s.status, s.u.unbound.dom, self);
	return true;
}

static void test_others(void)
{
	for (unsigned int tries = 0;; tries++) {
		int other = find_other();

		if (other < 0 || tries == 8) {
			printf("hypercall: no other domain to test against\n");
			return;
		}
		printf("hypercall: domain %d is the other domain\n", other);
		if (control ? control_others(other) : plain_others(other))
			return;
		printf("hypercall: domain %d went away\n", other);
	}
}

/*
 * VIRQ_TIMER: the one-shot timer makes the bound port pending (one
 * upcall, the port seen); once closed, the timer raises the bare upcall
 * again (no port). An IPI port notifies its vCPU on a send. Bad binds.
 */
static void test_virq(void)
{
	struct evtchn_status st;
	long timer, ipi;

	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			       HVM_CALLBACK_VECTOR(VEC_A)),
		 0, "set_param CALLBACK_IRQ for the virq checks");
	check_rc(evtchn_bind_virq(NR_VIRQS, 0), -XEN_EINVAL,
		 "bind_virq NR_VIRQS");
	check_rc(evtchn_bind_virq(VIRQ_CONSOLE, 1), -XEN_EINVAL,
		 "bind_virq of a global virq on vCPU 1");
	check_rc(evtchn_bind_virq(VIRQ_TIMER, 1), -XEN_ENOENT,
		 "bind_virq on a vCPU the domain does not have");
	timer = evtchn_bind_virq(VIRQ_TIMER, 0);
	check(timer > 0, "bind_virq VIRQ_TIMER returned %ld", timer);
	check_rc(evtchn_bind_virq(VIRQ_TIMER, 0), -XEN_EEXIST,
		 "bind_virq VIRQ_TIMER twice");
	check_rc(evtchn_status(DOMID_SELF, timer, &st), 0, "status of a virq");
	check(st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER &&
		      st.vcpu == 0,
	      "status of the VIRQ_TIMER port: %u, virq %u, vCPU %u", st.status,
	      st.u.virq, st.vcpu);
	check_rc(evtchn_send(timer), -XEN_EINVAL, "send on a virq port");
	ipi = evtchn_bind_ipi(0);
	check(ipi > 0, "bind_ipi returned %ld", ipi);
	check_rc(evtchn_bind_ipi(1), -XEN_ENOENT, "bind_ipi to a missing vCPU");
	check_rc(evtchn_bind_vcpu(ipi, 0), -XEN_EINVAL, "bind_vcpu of an IPI");
	port_p = timer;
	port_q = ipi;
	evtchn_unmask(timer);
	evtchn_unmask(ipi);

	check_rc(hypercall_set_singleshot_timer(0, now_ns() + MS, 0), 0,
		 "set_singleshot_timer");
	deliver("VIRQ_TIMER", 1, 0, 1, 0);
	check_rc(evtchn_send(ipi), 0, "send on an IPI port");
	deliver("IPI", 1, 0, 0, 1);

	check_rc(evtchn_close(timer), 0, "close the VIRQ_TIMER port");
	check_rc(evtchn_close(ipi), 0, "close the IPI port");
	port_p = port_q = 0;
	check_rc(hypercall_set_singleshot_timer(0, now_ns() + MS, 0), 0,
		 "set_singleshot_timer");
	deliver("the timer without VIRQ_TIMER", 1, 0, 0, 0);
}

void test_events(bool is_control)
{
	uint64_t v = ~0ULL;

	control = is_control;
	self = xtf_domid();
	test_physmap();
	test_params();
	test_loopback();
	test_poll();
	test_close();
	test_virq();
	test_others();
	check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, 0), 0,
		 "set_param CALLBACK_IRQ 0 (off)");
	check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v), 0,
		 "get_param CALLBACK_IRQ after turning it off");
	check(v == 0, "CALLBACK_IRQ reads 0x%llx after turning it off", v);
	printf("hypercall: event channels, shared info, params and poll "
	       "done\n");
}
