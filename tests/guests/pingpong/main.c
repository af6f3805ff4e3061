/*
 * pingpong: event channels between two domains. Run it twice, as the
 * modules "ping" (no option) and right after it "pong" (pong=1), so that
 * pong's domain id is ping's plus one:
 *
 *   setup   both map the shared-info page (add_to_physmap) and name their
 *           upcall vector, pong through HVM_PARAM_CALLBACK_IRQ (read back
 *           with get_param), ping through set_evtchn_upcall_vector. pong
 *           allocates an unbound port for ping (its first free one, the
 *           same number as ping's first free one); ping
 *           binds to it, retrying for up to start_ms (default 120000)
 *           until pong has made it. Both check EVTCHNOP_status of their
 *           end.
 *   upcall  rounds/2 round trips (default 2000): ping sends, pong's upcall
 *           handler sees its port, pong sends back, and so on. Each side
 *           waits with `sti; hlt`.
 *   poll    rounds/2 more with the port masked: each side waits in
 *           SCHEDOP_poll on it, then clears the pending bit.
 *   close   ping closes its end: its status is closed, pong's end becomes
 *           unbound naming ping.
 *
 * An event lost stalls the exchange: a side that waits more than
 * wait_ms (default 20000) for one event fails, printing its port's
 * state; one that gets more events than were sent fails too. ping prints, for `make bench`, the cost of a CPUID exit, of
 * a xen_version hypercall and of one round trip in each mode, from
 * HVMOP_get_time over the same run.
 */
#include <xtf.h>

#define VECTOR 0x50
#define MS 1000000ULL
#define BENCH_LOOPS 2000

static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static bool is_pong;
static uint16_t self, peer;
static evtchn_port_t port;
static unsigned int events, strays;
static uint64_t wait_ns, wait_ticks;

static uint64_t now_ns(void)
{
	uint64_t t;

	if (hypercall_get_time(&t))
		xtf_error("HVMOP_get_time failed");
	return t;
}

static void on_port(evtchn_port_t p)
{
	if (p == port)
		atomic_add_return(&events, 1);
	else
		strays++;
}

static void upcall(void)
{
	evtchn_scan(0, on_port);
}

static void setup(void)
{
	uint64_t v;

	self = xtf_domid();
	peer = is_pong ? self - 1 : self + 1;
	check_rc(evtchn_map_shared_info(shinfo_page), 0, "add_to_physmap");
	xtf_set_irq_handler(VECTOR, upcall);
	if (is_pong) {
		check_rc(hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
				       HVM_CALLBACK_VECTOR(VECTOR)),
			 0, "set_param CALLBACK_IRQ");
		check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v),
			 0, "get_param CALLBACK_IRQ");
		check(v == HVM_CALLBACK_VECTOR(VECTOR),
		      "CALLBACK_IRQ reads back %#llx", v);
	} else {
		check_rc(hypercall_set_evtchn_upcall_vector(0, VECTOR), 0,
			 "set_evtchn_upcall_vector");
	}
}

/*
 * The port both sides agree on: the lowest one closed in their own
 * domain, as they are built alike (the hypervisor's console ports come
 * first: docs/hypercalls.md).
 */
static evtchn_port_t agreed_port(void)
{
	struct evtchn_status s;
	evtchn_port_t p;

	for (p = 1; p < EVTCHN_NR_PORTS; p++) {
		long rc = evtchn_status(DOMID_SELF, p, &s);

		/* -EINVAL: not even its bucket is allocated. */
		if (rc == -XEN_EINVAL || (!rc && s.status == EVTCHNSTAT_closed))
			return p;
		check_rc(rc, 0, "status");
	}
	xtf_failure("no port is closed");
}

/* pong: the agreed port, unbound for ping. */
static void make_port(void)
{
	struct evtchn_status s;
	evtchn_port_t want = agreed_port();
	long rc = evtchn_alloc_unbound(DOMID_SELF, peer);

	check_rc(rc, want, "alloc_unbound");
	port = rc;
	check_rc(evtchn_status(DOMID_SELF, port, &s), 0, "status");
	/* ping may have bound to it already. */
	check((s.status == EVTCHNSTAT_unbound ||
	       s.status == EVTCHNSTAT_interdomain) &&
		      s.u.unbound.dom == peer && s.vcpu == 0,
	      "status of the new port: %u, remote d%u, vCPU %u", s.status,
	      s.u.unbound.dom, s.vcpu);
}

/* ping: bind to pong's agreed port once pong exists and has made it. */
static void bind_port(uint64_t deadline)
{
	evtchn_port_t remote = agreed_port();
	struct evtchn_status s;
	long rc;

	while ((rc = evtchn_bind_interdomain(peer, remote)) == -XEN_EINVAL ||
	       rc == -XEN_ESRCH) {
		check(now_ns() < deadline, "d%u never made its port (%ld)",
		      peer, rc);
		hypercall_yield();
	}
	check(rc > 0, "bind_interdomain returned %ld", rc);
	port = rc;
	/* A new binding starts pending (an earlier send is not lost). */
	check(evtchn_is_pending(port), "port %u not pending after binding",
	      port);
	evtchn_clear_pending(port);
	check_rc(evtchn_status(DOMID_SELF, port, &s), 0, "status");
	check(s.status == EVTCHNSTAT_interdomain &&
		      s.u.interdomain.dom == peer &&
		      s.u.interdomain.port == remote,
	      "status of the bound port: %u, d%u port %u", s.status,
	      s.u.interdomain.dom, s.u.interdomain.port);
}

/*
 * The watchdog, for a lost event: the one-shot timer ends a wait that
 * nothing else would. Armed wait_ms ahead, again whenever a wait wakes
 * without its event (the timer may be what woke it).
 */
static void arm_watchdog(void)
{
	check_rc(hypercall_set_singleshot_timer(0, now_ns() + wait_ns, 0), 0,
		 "set_singleshot_timer");
}

static void print_state(void)
{
	struct compat_vcpu_info *vi = &shared_info()->vcpu_info[0];

	printf("pingpong: port %u: %u events, pending 0x%x mask 0x%x, "
	       "selector 0x%x, upcall %u, strays %u\n",
	       port, atomic_read(&events), shared_info()->evtchn_pending[0],
	       shared_info()->evtchn_mask[0], vi->evtchn_pending_sel,
	       vi->evtchn_upcall_pending, strays);
}

static void check_waited(uint64_t start, unsigned int round)
{
	if (rdtsc() - start < wait_ticks)
		return;
	print_state();
	xtf_failure("round %u: no event for %llu ms", round, wait_ns / MS);
}

/* The want-th event, through the upcall; returns with IF=0. */
static void wait_upcall(unsigned int want, unsigned int round)
{
	uint64_t start = rdtsc();

	local_irq_disable();
	while (atomic_read(&events) < want) {
		check_waited(start, round);
		sti_hlt();
		local_irq_disable();
		if (atomic_read(&events) < want)
			arm_watchdog();
	}
	check(atomic_read(&events) == want, "upcall: %u events, expected %u",
	      atomic_read(&events), want);
}

/* The port pending, through SCHEDOP_poll with the port masked. */
static void wait_poll(unsigned int round)
{
	uint64_t start = rdtsc();

	while (!evtchn_is_pending(port)) {
		check_waited(start, round);
		check_rc(sched_poll(&port, 1, 0), 0, "SCHEDOP_poll");
		if (!evtchn_is_pending(port))
			arm_watchdog();
	}
	evtchn_clear_pending(port);
}

/*
 * One phase of rounds round trips; returns its ns per round trip. In the
 * poll phase interrupts are on, so that the watchdog's upcall (which ends
 * a poll) is taken; the masked port raises none.
 */
static uint64_t exchange(unsigned int rounds, bool poll)
{
	uint64_t start;
	unsigned int base = atomic_read(&events);

	arm_watchdog();
	if (poll)
		local_irq_enable();
	start = now_ns();
	for (unsigned int i = 1; i <= rounds; i++) {
		if (!is_pong)
			check_rc(evtchn_send(port), 0, "send");
		if (poll)
			wait_poll(i);
		else
			wait_upcall(base + i, i);
		/*
		 * pong masks before its last reply by upcall: ping's next
		 * event, for the poll phase, must not reach the handler.
		 */
		if (is_pong && !poll && i == rounds)
			evtchn_mask(port);
		if (is_pong)
			check_rc(evtchn_send(port), 0, "send");
	}
	start = (now_ns() - start) / rounds;
	hypercall_stop_singleshot_timer(0);
	local_irq_disable();
	return start;
}

static void finish_pong(void)
{
	uint64_t deadline = now_ns() + wait_ns;
	struct evtchn_status s;

	do {
		check_rc(evtchn_status(DOMID_SELF, port, &s), 0, "status");
		check(now_ns() < deadline, "ping's close never showed");
		hypercall_yield();
	} while (s.status == EVTCHNSTAT_interdomain);
	check(s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == peer,
	      "after ping closed: status %u, remote d%u", s.status,
	      s.u.unbound.dom);
}

static void finish_ping(void)
{
	struct evtchn_status s;

	check_rc(evtchn_close(port), 0, "close");
	check_rc(evtchn_status(DOMID_SELF, port, &s), 0, "status");
	check(s.status == EVTCHNSTAT_closed, "closed port: status %u",
	      s.status);
	check_rc(evtchn_close(port), -XEN_EINVAL, "second close");
	check_rc(evtchn_send(port), -XEN_EINVAL, "send on a closed port");
}

/* ns per CPUID exit and per xen_version hypercall, measured here. */
static void bench_exits(uint64_t *cpuid_ns, uint64_t *version_ns)
{
	uint64_t t = now_ns();

	for (unsigned int i = 0; i < BENCH_LOOPS; i++)
		cpuid(0x40000000);
	*cpuid_ns = (now_ns() - t) / BENCH_LOOPS;
	t = now_ns();
	for (unsigned int i = 0; i < BENCH_LOOPS; i++)
		hypercall_xen_version(XENVER_version, 0);
	*version_ns = (now_ns() - t) / BENCH_LOOPS;
}

void test_main(unsigned int vcpu)
{
	unsigned int rounds = cmdline_uint("rounds", 4000);
	uint64_t upcall_ns, poll_ns, cpuid_ns, version_ns;

	if (vcpu)
		return;
	if (!xtf_has_xen())
		xtf_skip("no hypervisor");
	is_pong = cmdline_uint("pong", 0);
	wait_ns = cmdline_uint("wait_ms", 20000) * MS;
	wait_ticks = wait_ns / MS * (xtf_tsc_khz() ?: 1000000);
	if (rounds < 2)
		xtf_error("rounds=%u: at least 2", rounds);
	setup();
	if (is_pong)
		make_port();
	else
		bind_port(now_ns() + cmdline_uint("start_ms", 120000) * MS);
	printf("pingpong: d%u port %u <-> d%u\n", self, port, peer);

	upcall_ns = exchange(rounds / 2, false);
	if (!is_pong)
		evtchn_mask(port);
	poll_ns = exchange(rounds - rounds / 2, true);
	check(atomic_read(&events) == rounds / 2 && !strays,
	      "%u events by upcall (expected %u), %u on other ports",
	      atomic_read(&events), rounds / 2, strays);

	if (is_pong) {
		finish_pong();
	} else {
		finish_ping();
		bench_exits(&cpuid_ns, &version_ns);
		printf("pingpong: %u round trips; bench: cpuid %llu ns, "
		       "xen_version %llu ns, evtchn upcall round trip %llu "
		       "ns, evtchn poll round trip %llu ns\n",
		       rounds, cpuid_ns, version_ns, upcall_ns, poll_ns);
	}
	xtf_success();
}
