/*
 * timer: the one-shot timer and the event upcall. On vCPU 0, and in a
 * domain of 2 vCPUs at the same time on vCPU 1 (its own upcall
 * vector, handler and timer), in this order:
 *
 *   get_time  HVMOP_get_time is monotonic over 100 reads and advances over
 *             a 1 ms TSC spin;
 *   hlt       with the upcall vector set, a timer 20 ms ahead ends
 *             `sti; hlt`: the handler runs exactly once, on this vCPU, and
 *             reads a time no earlier than the deadline;
 *   future    VCPU_SSHOTTMR_future with a deadline already past is -ETIME
 *             and never fires;
 *   stop      stop_singleshot_timer cancels a timer 30 ms ahead: no upcall
 *             while spinning 60 ms with IF=1;
 *   args      set_singleshot_timer for another vCPU is -EPERM, for an id at
 *             or beyond the domain's vCPUs -EINVAL; upcall vector 5 is -EINVAL;
 *   block     SCHEDOP_block with IF=0 returns once a timer 20 ms ahead has
 *             expired; the upcall waits for STI, then runs exactly once.
 *
 * SUCCESS if everything holds on every vCPU, else FAILURE naming the vCPU
 * and the first check that did not.
 */
#include <public/cpuid.h>
#include <xtf.h>

#define MS 1000000ULL /* in ns */

#define fail(vcpu, check, fmt, ...) \
	xtf_failure("vCPU %u: " check ": " fmt, vcpu, ##__VA_ARGS__)

/* One per vCPU; the second takes the stubs' long form (vector >= 0x80). */
static const uint8_t vectors[] = { 0x31, 0xe3 };

struct upcalls {
	unsigned int count; /* handler runs */
	unsigned int wrong; /* a run on another vCPU: its id + 1 */
	bool if_on; /* a run with IF=1 (the gate must clear it) */
	uint64_t now; /* HVMOP_get_time in the latest run */
	long time_rc; /* and its result */
};

static struct upcalls upcalls[2];
static uint64_t tsc_per_ms;

static void upcall(unsigned int idx)
{
	struct upcalls *u = &upcalls[idx];
	unsigned int on = cpuid(XEN_CPUID_HVM).ebx;

	if (read_eflags() & X86_EFLAGS_IF)
		u->if_on = true;
	u->time_rc = hypercall_get_time(&u->now);
	if (on != idx)
		u->wrong = on + 1;
	atomic_add_return(&u->count, 1);
}

static void upcall0(void)
{
	upcall(0);
}

static void upcall1(void)
{
	upcall(1);
}

static void (*const handlers[])(void) = { upcall0, upcall1 };

static unsigned int fired(unsigned int vcpu)
{
	return atomic_read(&upcalls[vcpu].count);
}

static uint64_t now_ns(unsigned int vcpu)
{
	uint64_t t;
	long rc = hypercall_get_time(&t);

	if (rc)
		fail(vcpu, "get_time", "HVMOP_get_time returned %ld", rc);
	return t;
}

static void arm(unsigned int vcpu, uint64_t deadline, const char *check)
{
	long rc = hypercall_set_singleshot_timer(vcpu, deadline, 0);

	if (rc)
		xtf_failure("vCPU %u: %s: set_singleshot_timer returned %ld",
			    vcpu, check, rc);
}

/* The upcall's latest run: on this vCPU, with IF=0, not before deadline. */
static void check_run(unsigned int vcpu, uint64_t deadline, const char *check)
{
	const struct upcalls *u = &upcalls[vcpu];

	if (u->wrong)
		xtf_failure("vCPU %u: %s: vector 0x%02x arrived on vCPU %u",
			    vcpu, check, vectors[vcpu], u->wrong - 1);
	if (u->if_on)
		xtf_error("vCPU %u: %s: the handler ran with IF=1", vcpu,
			  check);
	if (u->time_rc)
		xtf_failure(
			"vCPU %u: %s: HVMOP_get_time in the handler returned %ld",
			vcpu, check, u->time_rc);
	if (u->now < deadline)
		xtf_failure(
			"vCPU %u: %s: the handler ran %llu us before the deadline",
			vcpu, check, (deadline - u->now) / 1000);
}

static void test_get_time(unsigned int vcpu)
{
	uint64_t prev = now_ns(vcpu), t;

	for (unsigned int i = 0; i < 100; i++) {
		t = now_ns(vcpu);
		if (t < prev)
			fail(vcpu, "get_time", "went back from %llu to %llu ns",
			     prev, t);
		prev = t;
	}
	xtf_spin_ms(1);
	t = now_ns(vcpu);
	if (t <= prev)
		fail(vcpu, "get_time",
		     "%llu ns, then %llu ns after a 1 ms TSC spin", prev, t);
	printf("timer: vCPU %u: get_time %llu ns, +%llu us over a 1 ms TSC spin\n",
	       vcpu, t, (t - prev) / 1000);
}

static void test_hlt(unsigned int vcpu)
{
	unsigned int before = fired(vcpu), wakes = 0, n;
	uint64_t deadline = now_ns(vcpu) + 20 * MS;

	arm(vcpu, deadline, "hlt");
	local_irq_disable();
	while (fired(vcpu) == before) {
		if (wakes && now_ns(vcpu) > deadline + 1000 * MS)
			fail(vcpu, "hlt",
			     "HLT returned %u times up to 1 s past the deadline, the handler never ran",
			     wakes);
		/*
		 * CLI right after HLT: on bare metal the interrupt that ends
		 * the HLT is taken before the next instruction, so the
		 * hypervisor must not leave STI's shadow on it.
		 */
		asm volatile("sti; hlt; cli" ::: "memory");
		wakes++;
	}
	local_irq_enable();
	check_run(vcpu, deadline, "hlt");
	printf("timer: vCPU %u: upcall %llu us after the deadline, HLT returned %u time%s\n",
	       vcpu, (upcalls[vcpu].now - deadline) / 1000, wakes,
	       wakes == 1 ? "" : "s");
	xtf_idle_ms(20);
	n = fired(vcpu) - before;
	if (n != 1)
		fail(vcpu, "hlt", "the handler ran %u times for one timer", n);
}

static void test_future(unsigned int vcpu)
{
	unsigned int before = fired(vcpu);
	uint64_t t = now_ns(vcpu);
	long rc = hypercall_set_singleshot_timer(vcpu, t > MS ? t - MS : 0,
						 VCPU_SSHOTTMR_future);

	if (rc != -XEN_ETIME)
		fail(vcpu, "future",
		     "set_singleshot_timer 1 ms in the past with VCPU_SSHOTTMR_future returned %ld, not -ETIME (-%d)",
		     rc, XEN_ETIME);
	xtf_idle_ms(20);
	if (fired(vcpu) != before)
		fail(vcpu, "future", "the refused timer fired");
}

static void test_stop(unsigned int vcpu)
{
	unsigned int before = fired(vcpu);
	long rc;

	arm(vcpu, now_ns(vcpu) + 30 * MS, "stop");
	rc = hypercall_stop_singleshot_timer(vcpu);
	if (rc)
		fail(vcpu, "stop", "stop_singleshot_timer returned %ld", rc);
	xtf_idle_ms(60);
	if (fired(vcpu) != before)
		fail(vcpu, "stop", "the stopped timer fired");
}

static void test_args(unsigned int vcpu, unsigned int nr)
{
	uint64_t later = now_ns(vcpu) + 1000 * MS;
	long rc;

	if (nr > 1) {
		unsigned int other = (vcpu + 1) % nr;

		rc = hypercall_set_singleshot_timer(other, later, 0);
		if (rc != -XEN_EPERM)
			fail(vcpu, "args",
			     "set_singleshot_timer for vCPU %u returned %ld, not -EPERM (-%d)",
			     other, rc, XEN_EPERM);
	}
	rc = hypercall_set_singleshot_timer(nr, later, 0);
	if (rc != -XEN_EINVAL)
		fail(vcpu, "args",
		     "set_singleshot_timer for vCPU %u of %u returned %ld, not -EINVAL (-%d)",
		     nr, nr, rc, XEN_EINVAL);
	rc = hypercall_set_evtchn_upcall_vector(vcpu, 5);
	if (rc != -XEN_EINVAL)
		fail(vcpu, "args",
		     "set_evtchn_upcall_vector with vector 5 returned %ld, not -EINVAL (-%d)",
		     rc, XEN_EINVAL);
}

static void test_block(unsigned int vcpu)
{
	unsigned int before = fired(vcpu), n;
	uint64_t deadline, after, start;
	long rc;

	local_irq_disable();
	deadline = now_ns(vcpu) + 20 * MS;
	arm(vcpu, deadline, "block");
	rc = hypercall_block();
	after = now_ns(vcpu);
	if (rc)
		fail(vcpu, "block", "SCHEDOP_block returned %ld", rc);
	if (fired(vcpu) != before)
		fail(vcpu, "block", "the handler ran with IF=0");
	if (after < deadline)
		fail(vcpu, "block",
		     "SCHEDOP_block returned %llu us before the deadline",
		     (deadline - after) / 1000);
	local_irq_enable();
	start = rdtsc();
	while (fired(vcpu) == before && rdtsc() - start < 10 * tsc_per_ms)
		cpu_relax();
	if (fired(vcpu) == before)
		fail(vcpu, "block",
		     "the pending upcall did not arrive within 10 ms of STI");
	xtf_idle_ms(20);
	n = fired(vcpu) - before;
	if (n != 1)
		fail(vcpu, "block",
		     "after STI the pending upcall ran %u times, not once", n);
	check_run(vcpu, deadline, "block");
	printf("timer: vCPU %u: SCHEDOP_block returned %llu us after the deadline\n",
	       vcpu, (after - deadline) / 1000);
}

void test_main(unsigned int vcpu)
{
	unsigned int nr = xtf_nr_vcpus();
	long rc;

	if (vcpu >= nr)
		xtf_error("vCPU %u is running, but the hypervisor has %u vCPUs",
			  vcpu, nr);
	if (vcpu == 0) {
		if (nr > sizeof(vectors))
			xtf_error("%u vCPUs: this test runs on 1 or 2 vCPUs",
				  nr);
		if (!xtf_has_xen())
			xtf_skip("no hypervisor: no timer to test");
		if (!xtf_tsc_khz())
			xtf_skip("TSC frequency unknown: no CPUID 0x40000003");
		tsc_per_ms = xtf_tsc_khz();
		printf("timer: %u vCPU%s, TSC %u kHz\n", nr, nr > 1 ? "s" : "",
		       xtf_tsc_khz());
	}
	xtf_barrier(nr); /* tsc_per_ms published */

	test_get_time(vcpu);
	xtf_set_irq_handler(vectors[vcpu], handlers[vcpu]);
	rc = hypercall_set_evtchn_upcall_vector(vcpu, vectors[vcpu]);
	if (rc)
		fail(vcpu, "hlt",
		     "set_evtchn_upcall_vector 0x%02x returned %ld",
		     vectors[vcpu], rc);
	local_irq_enable();
	test_hlt(vcpu);
	test_future(vcpu);
	test_stop(vcpu);
	test_args(vcpu, nr);
	test_block(vcpu);
	printf("timer: vCPU %u: all checks passed\n", vcpu);

	xtf_barrier(nr);
	if (vcpu == 0)
		xtf_success();
}
