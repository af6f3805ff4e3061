/*
 * pvtime: what a stock Xen HVM kernel takes for granted about time, its
 * vcpu_info and its console (docs/hypercalls.md, "Time and vcpu_info",
 * "The PV console"), on every vCPU (1 or 2), in this order:
 *
 *   features   XENVER_get_features has hvm_callback_vector and
 *              hvm_safe_pvclock; CPUID 0x40000003 gives the TSC kHz
 *              (subleaves 0 and 2), the pvclock's scale (1) and mode 0;
 *              CPUID 0x80000007 says the TSC is invariant;
 *   pvclock    each vCPU's record in the shared-info page: version even,
 *              TSC-stable; the time it gives brackets HVMOP_get_time
 *              (the hypervisor's clock) within 1 us, never goes back,
 *              advances at the TSC's rate, and agrees between vCPUs (a
 *              time vCPU 0 published is never ahead of vCPU 1's);
 *              the wall clock is after 2020 and versioned;
 *   vcpu_info  register_vcpu_info: out-of-page and misaligned offsets,
 *              a gfn past RAM, a running vCPU other than the caller and
 *              twice are -EINVAL; registered, the new vcpu_info holds the
 *              time record and all-pending flags, and an event sets the
 *              selector and upcall flag there, not in the old slot;
 *   runstate   the registered area says running, and after a 20 ms
 *              SCHEDOP_block its blocked time grew by 15 ms or more;
 *              get_runstate_info agrees;
 *   periodic   no VIRQ_TIMER without a periodic timer; a 10 ms periodic
 *              timer fires 5 times within 2 s and not within 40 ms
 *              (events seen coalesce while the vCPU waits for its
 *              CPU); stop returns 0 and
 *              it stops; periods under 1 ms are -EINVAL (vCPU 0);
 *   rtc        CMOS: UIP never set, 200 reads in under 1 s, BCD
 *              24-hour values that make a valid date within 2 s of the
 *              wall clock, seconds that advance, binary mode and CMOS RAM
 *              as written (vCPU 0);
 *   errors     EVTCHNOP_init_control and GNTTABOP_map_grant_ref -ENOSYS
 *              (vCPU 0);
 *   console    the ring page and port of HVM_PARAM_CONSOLE_PFN/EVTCHN:
 *              lines written through it, 6 KiB through the 2 KiB ring,
 *              output after corrupt indexes (tests/boot/check-pvtime.sh
 *              finds them in the log); with input=1 (as the control
 *              domain) it prints what arrives in the input ring until
 *              "pvtime-input-end" (vCPU 0).
 *
 * SUCCESS if everything holds, else FAILURE naming the vCPU and check.
 */
#include <public/cpuid.h>
#include <public/grant_table.h>
#include <public/io/console.h>
#include <xtf.h>

#define MS 1000000ULL
#define US 1000ULL
#define FEAT(n) (1u << (n))
#define VEC_UPCALL 0x40
#define BAD_PTR 0xfffff000u
#define CPUID87_EDX_INVTSC (1u << 8)
#define JAN_2020 1577836800ULL

#define fail(vcpu, check, fmt, ...) \
	xtf_failure("vCPU %u: " check ": " fmt, vcpu, ##__VA_ARGS__)

static uint8_t shinfo_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct compat_vcpu_runstate_info runstate[2];
static uint64_t tsc_per_ms;
/*
 * vCPU 0's latest pvclock time, while cross says it publishes: two 32-bit
 * stores, so published_seq is odd while it changes.
 */
static volatile uint64_t published;
static unsigned int published_seq;
static enum { CROSS_IDLE, CROSS_LISTENING, CROSS_DONE } cross;
static unsigned int upcalls[2];

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* (delta << shift) * mul >> 32 without 128-bit arithmetic. */
static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	delta = shift < 0 ? delta >> -shift : delta << shift;
	return (delta >> 32) * mul + (((delta & 0xffffffffu) * mul) >> 32);
}

/* The time a record gives now, by the version protocol. */
static uint64_t pv_now(const volatile struct vcpu_time_info *t)
{
	uint32_t version;
	uint64_t ns;

	do {
		version = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		ns = t->system_time + scale(rdtsc() - t->tsc_timestamp,
					    t->tsc_to_system_mul, t->tsc_shift);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != t->version);
	return ns;
}

static uint64_t get_time(unsigned int vcpu)
{
	uint64_t t;
	long rc = hypercall_get_time(&t);

	if (rc)
		fail(vcpu, "pvclock", "HVMOP_get_time returned %ld", rc);
	return t;
}

static struct compat_vcpu_info *slot(unsigned int vcpu)
{
	return &shared_info()->vcpu_info[vcpu];
}

static void upcall0(void)
{
	upcalls[0]++;
}

static void upcall1(void)
{
	upcalls[1]++;
}

static void test_features(void)
{
	struct xen_feature_info fi = { .submap_idx = 0 };
	struct cpuid_regs r;
	long rc = hypercall_xen_version(XENVER_get_features, &fi);

	check(!rc, "features: get_features returned %ld", rc);
	check((fi.submap & FEAT(XENFEAT_hvm_callback_vector)) &&
		      (fi.submap & FEAT(XENFEAT_hvm_safe_pvclock)),
	      "features: submap 0 is %#x: no hvm_callback_vector or "
	      "hvm_safe_pvclock",
	      fi.submap);
	r = cpuid_count(XEN_CPUID_TIME, 0);
	check(r.ecx == xtf_tsc_khz() && r.ebx == XEN_CPUID_TSC_MODE_DEFAULT &&
		      (r.eax & XEN_CPUID_HOST_TSC_RELIABLE),
	      "features: time leaf 0: eax %#x ebx %u ecx %u", r.eax, r.ebx,
	      r.ecx);
	r = cpuid_count(XEN_CPUID_TIME, 2);
	check(r.eax == xtf_tsc_khz(), "features: time leaf 2: eax %u, not %u",
	      r.eax, xtf_tsc_khz());
	r = cpuid_count(XEN_CPUID_TIME, 1);
	check(r.ecx == slot(0)->time.tsc_to_system_mul &&
		      (int8_t)r.edx == slot(0)->time.tsc_shift,
	      "features: time leaf 1: mul %#x shift %d, the record %#x %d",
	      r.ecx, (int)(int8_t)r.edx, slot(0)->time.tsc_to_system_mul,
	      slot(0)->time.tsc_shift);
	if (cpuid(0x80000000).eax >= 0x80000007)
		check(cpuid(0x80000007).edx & CPUID87_EDX_INVTSC,
		      "features: CPUID 0x80000007 EDX %#x: no invariant TSC",
		      cpuid(0x80000007).edx);
	printf("pvtime: features %#x, TSC %u kHz, scale %#x >> %d\n", fi.submap,
	       xtf_tsc_khz(), slot(0)->time.tsc_to_system_mul,
	       -slot(0)->time.tsc_shift);
}

static void check_record(unsigned int vcpu, const char *where,
			 const volatile struct vcpu_time_info *t)
{
	if (!t->version || (t->version & 1))
		fail(vcpu, "pvclock", "%s: version %u", where, t->version);
	if (!(t->flags & XEN_PVCLOCK_TSC_STABLE_BIT) || !t->tsc_to_system_mul)
		fail(vcpu, "pvclock", "%s: flags %#x, mul %#x", where, t->flags,
		     t->tsc_to_system_mul);
}

static void test_pvclock(unsigned int vcpu, unsigned int nr)
{
	const volatile struct vcpu_time_info *t = &slot(vcpu)->time;
	uint64_t prev, now, g, tsc, gap_in = ~0ULL, gap_out = ~0ULL;
	uint32_t version;

	check_record(vcpu, "shared-info slot", t);
	version = t->version;
	/*
	 * The hypervisor's clock, read between two of ours, is between
	 * them (1 us of slack): an error larger than the hypercall's entry
	 * or exit latency shows.
	 */
	for (unsigned int i = 0; i < 200; i++) {
		uint64_t a = pv_now(t), b;

		g = get_time(vcpu);
		b = pv_now(t);
		if (g + US < a || g > b + US)
			fail(vcpu, "pvclock",
			     "HVMOP_get_time %llu ns is not between %llu and "
			     "%llu",
			     g, a, b);
		if (g - a < gap_in)
			gap_in = g - a;
		if (b - g < gap_out)
			gap_out = b - g;
	}
	prev = pv_now(t);
	for (unsigned int i = 0; i < 10000; i++) {
		now = pv_now(t);
		if (now < prev)
			fail(vcpu, "pvclock", "went back from %llu to %llu ns",
			     prev, now);
		prev = now;
	}
	/* It runs at the TSC's rate (1%), however long we are preempted. */
	tsc = rdtsc();
	prev = pv_now(t);
	xtf_spin_ms(2);
	now = pv_now(t);
	tsc = (rdtsc() - tsc) * 1000000 / tsc_per_ms; /* ns */
	/* Inside the TSC window, around a 2 ms spin. */
	if (now - prev < 2 * MS - 2 * MS / 100 ||
	    now - prev > tsc + tsc / 100 + 10 * US)
		fail(vcpu, "pvclock", "%llu ns over %llu ns of TSC", now - prev,
		     tsc);
	if (t->version != version)
		fail(vcpu, "pvclock", "the record changed: version %u, then %u",
		     version, t->version);
	if (nr > 1 && vcpu == 1) {
		/* vCPU 0 publishes its time; ours is never behind it. */
		__atomic_store_n(&cross, CROSS_LISTENING, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&cross, __ATOMIC_SEQ_CST) !=
		       CROSS_DONE) {
			unsigned int seq = __atomic_load_n(&published_seq,
							   __ATOMIC_SEQ_CST);
			uint64_t seen = published;

			if ((seq & 1) ||
			    seq != __atomic_load_n(&published_seq,
						   __ATOMIC_SEQ_CST))
				continue;

			now = pv_now(t);
			if (now < seen)
				fail(vcpu, "pvclock",
				     "%llu ns, behind vCPU 0's %llu ns", now,
				     seen);
		}
	} else if (nr > 1) {
		while (__atomic_load_n(&cross, __ATOMIC_SEQ_CST) !=
		       CROSS_LISTENING)
			cpu_relax();
		for (unsigned int i = 0; i < 20000; i++) {
			uint64_t mine = pv_now(t);

			__atomic_add_fetch(&published_seq, 1, __ATOMIC_SEQ_CST);
			published = mine;
			__atomic_add_fetch(&published_seq, 1, __ATOMIC_SEQ_CST);
		}
		__atomic_store_n(&cross, CROSS_DONE, __ATOMIC_SEQ_CST);
	}
	printf("pvtime: vCPU %u: pvclock and get_time agree (closest %llu ns "
	       "before, %llu ns after)\n",
	       vcpu, gap_in, gap_out);
}

static void test_wallclock(void)
{
	struct compat_shared_info *s = shared_info();

	check(s->wc_version && !(s->wc_version & 1), "wallclock: wc_version %u",
	      s->wc_version);
	check(s->wc_sec > JAN_2020, "wallclock: wc_sec %u is before 2020",
	      s->wc_sec);
	check(s->wc_nsec < 1000000000u, "wallclock: wc_nsec %u", s->wc_nsec);
}

static long register_info(unsigned int vcpu, uint32_t gfn, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = { .mfn = gfn, .offset = offset };

	return hypercall_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

static void test_vcpu_info(unsigned int vcpu, unsigned int nr)
{
	uint32_t gfn = (uintptr_t)info_page >> PAGE_SHIFT;
	struct compat_vcpu_info *old = slot(vcpu);
	uint64_t a, b, c;
	struct compat_vcpu_info *vi =
		(struct compat_vcpu_info *)(info_page + 64 * (vcpu + 1));
	long port;

	if (vcpu == 0) {
		check_rc(register_info(0, gfn, PAGE_SIZE - 63), -XEN_EINVAL,
			 "register_vcpu_info across the page end");
		check_rc(register_info(0, gfn, 66), -XEN_EINVAL,
			 "register_vcpu_info at a misaligned offset");
		check_rc(register_info(0, (xtf_ram_end() >> PAGE_SHIFT) + 16,
				       0),
			 -XEN_EINVAL, "register_vcpu_info past RAM");
		check_rc(register_info(nr, gfn, 0), -XEN_EINVAL,
			 "register_vcpu_info of a vCPU the domain lacks");
		if (nr > 1)
			check_rc(register_info(1, gfn, 0), -XEN_EINVAL,
				 "register_vcpu_info of another running vCPU");
		check_rc(hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0,
					   (void *)BAD_PTR),
			 -XEN_EFAULT, "register_vcpu_info with a bad pointer");
	}
	xtf_barrier(nr);
	check_rc(register_info(vcpu, gfn, 64 * (vcpu + 1)), 0,
		 "register_vcpu_info");
	check_rc(register_info(vcpu, gfn, 64 * (vcpu + 1)), -XEN_EINVAL,
		 "register_vcpu_info a second time");
	check_record(vcpu, "registered vcpu_info", &vi->time);
	if (vi->time.tsc_timestamp != old->time.tsc_timestamp)
		fail(vcpu, "vcpu_info", "the registered record differs");
	if (vi->evtchn_upcall_pending != 1 || vi->evtchn_pending_sel != ~0u)
		fail(vcpu, "vcpu_info",
		     "registered: upcall_pending %u, pending_sel %#x, not 1, "
		     "~0",
		     vi->evtchn_upcall_pending, vi->evtchn_pending_sel);

	/* An IPI to itself lands in the new vcpu_info only. */
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	old->evtchn_upcall_pending = 0;
	old->evtchn_pending_sel = 0;
	port = evtchn_bind_ipi(vcpu);
	check(port > 0, "vCPU %u: vcpu_info: bind_ipi returned %ld", vcpu,
	      port);
	check_rc(evtchn_send(port), 0, "send on the IPI port");
	if (vi->evtchn_upcall_pending != 1 ||
	    vi->evtchn_pending_sel != 1u << (port / 32))
		fail(vcpu, "vcpu_info",
		     "after a send on port %ld: upcall_pending %u, "
		     "pending_sel %#x in the registered vcpu_info",
		     port, vi->evtchn_upcall_pending, vi->evtchn_pending_sel);
	if (old->evtchn_upcall_pending || old->evtchn_pending_sel)
		fail(vcpu, "vcpu_info",
		     "the old slot was flagged: upcall_pending %u, sel %#x",
		     old->evtchn_upcall_pending, old->evtchn_pending_sel);
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	evtchn_clear_pending(port);
	check_rc(evtchn_close(port), 0, "close the IPI port");
	a = pv_now(&old->time);
	b = pv_now(&vi->time);
	c = pv_now(&old->time);
	if (b < a || b > c)
		fail(vcpu, "vcpu_info",
		     "the registered record gives %llu ns, between %llu and "
		     "%llu from the slot",
		     b, a, c);
	printf("pvtime: vCPU %u: vcpu_info at gfn %#x offset %u\n", vcpu, gfn,
	       64 * (vcpu + 1));
}

/*
 * Blocks for 20 ms by a single-shot timer and returns how much the
 * registered area's blocked time grew. Another event (console, the other
 * vCPU) may end a block early: it blocks again until the deadline has
 * passed. The growth falls short of 20 ms by however long the emulator
 * was preempted between reading the time and blocking, which a loaded
 * host does now and then: the caller tries again.
 */
static uint64_t block_20ms(unsigned int vcpu,
			   const struct compat_vcpu_runstate_info *r)
{
	uint64_t before, deadline;

	/* Upcalls still pending (registration raised one) go in first. */
	xtf_idle_ms(2);
	before = r->time[RUNSTATE_blocked];
	local_irq_disable();
	deadline = get_time(vcpu) + 20 * MS;
	check_rc(hypercall_set_singleshot_timer(vcpu, deadline, 0), 0,
		 "set_singleshot_timer");
	for (;;) {
		check_rc(hypercall_block(), 0, "SCHEDOP_block");
		local_irq_enable();
		if (get_time(vcpu) >= deadline)
			break;
		local_irq_disable();
	}
	xtf_spin_ms(1);
	return r->time[RUNSTATE_blocked] - before;
}

static void test_runstate(unsigned int vcpu)
{
	struct vcpu_register_runstate_memory_area a;
	struct compat_vcpu_runstate_info *r = &runstate[vcpu];
	struct compat_vcpu_runstate_info got, area;
	unsigned int attempt;
	uint64_t blocked;

	a.addr = (uintptr_t)r;
	check_rc(hypercall_vcpu_op(VCPUOP_register_runstate_memory_area, vcpu,
				   &a),
		 0, "register_runstate_memory_area");
	if (r->state != RUNSTATE_running || !r->state_entry_time)
		fail(vcpu, "runstate", "registered: state %d, entry %llu",
		     r->state, r->state_entry_time);
	for (attempt = 1;; attempt++) {
		blocked = block_20ms(vcpu, r);
		if (blocked >= 15 * MS)
			break;
		if (attempt == 5)
			fail(vcpu, "runstate",
			     "blocked 20 ms five times, blocked time grew by "
			     "%llu us the last time",
			     blocked / US);
		printf("pvtime: vCPU %u: blocked 20 ms, blocked time grew by "
		       "%llu us: again\n",
		       vcpu, blocked / US);
	}
	if (r->state != RUNSTATE_running)
		fail(vcpu, "runstate", "after the block: state %d", r->state);
	/* The area, then the hypercall: it counts up to now. */
	area = *r;
	check_rc(hypercall_vcpu_op(VCPUOP_get_runstate_info, vcpu, &got), 0,
		 "get_runstate_info");
	if (got.state != RUNSTATE_running ||
	    got.time[RUNSTATE_blocked] < area.time[RUNSTATE_blocked] ||
	    got.time[RUNSTATE_running] < area.time[RUNSTATE_running])
		fail(vcpu, "runstate",
		     "get_runstate_info: state %d, blocked %llu ns, the area "
		     "%llu",
		     got.state, got.time[RUNSTATE_blocked],
		     r->time[RUNSTATE_blocked]);
	printf("pvtime: vCPU %u: runstate running %llu us, runnable %llu us, "
	       "blocked %llu us\n",
	       vcpu, got.time[0] / US, got.time[1] / US, got.time[2] / US);
}

/* Times the port became pending while spinning ms (cleared each time). */
static unsigned int count_events(evtchn_port_t port, unsigned int ms)
{
	uint64_t start = rdtsc();
	unsigned int n = 0;

	while (rdtsc() - start < ms * tsc_per_ms)
		if (evtchn_is_pending(port)) {
			evtchn_clear_pending(port);
			n++;
		}
	return n;
}

static void test_periodic(void)
{
	struct vcpu_set_periodic_timer p = { .period_ns = MS - 1 };
	long port = evtchn_bind_virq(VIRQ_TIMER, 0);
	uint64_t start, now;
	unsigned int n;

	check(port > 0, "periodic: bind_virq returned %ld", port);
	evtchn_mask(port);
	n = count_events(port, 30);
	check(!n, "periodic: %u VIRQ_TIMER events with no periodic timer", n);
	check_rc(hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0, &p),
		 -XEN_EINVAL, "set_periodic_timer of 1 ms - 1 ns");
	check_rc(hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0,
				   (void *)BAD_PTR),
		 -XEN_EFAULT, "set_periodic_timer with a bad pointer");
	p.period_ns = 10 * MS;
	check_rc(hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0, &p), 0,
		 "set_periodic_timer of 10 ms");
	/*
	 * Events coalesce while this vCPU waits for its CPU (another domain
	 * may share it): 5 seen within 2 s, no more than one a period.
	 */
	start = get_time(0);
	for (n = 0; n < 5; n++) {
		while (!evtchn_is_pending(port))
			check(get_time(0) - start < 2000 * MS,
			      "periodic: %u VIRQ_TIMER events in 2 s of a 10 ms "
			      "timer",
			      n);
		evtchn_clear_pending(port);
	}
	now = get_time(0);
	check(now - start >= 40 * MS,
	      "periodic: 5 events of a 10 ms timer in %llu us",
	      (now - start) / US);
	check_rc(hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0), 0,
		 "stop_periodic_timer");
	evtchn_clear_pending(port);
	n = count_events(port, 50);
	check(!n, "periodic: %u events in 50 ms after stop", n);
	check_rc(evtchn_close(port), 0, "close the VIRQ_TIMER port");
	printf("pvtime: periodic timer fired as set and stopped\n");
}

static uint8_t cmos(uint8_t reg)
{
	outb(reg, 0x70);
	return inb(0x71);
}

static void cmos_write(uint8_t reg, uint8_t val)
{
	outb(reg, 0x70);
	outb(val, 0x71);
}

static unsigned int bcd(uint8_t v, const char *what)
{
	check((v >> 4) <= 9 && (v & 0xf) <= 9, "rtc: %s %#x is not BCD", what,
	      v);
	return (v >> 4) * 10 + (v & 0xf);
}

/* Days since 1970 of a date (from 2000 on: every 4th year is leap). */
static uint64_t rtc_seconds(void)
{
	static const uint16_t before[12] = { 0,	  31,  59,  90,	 120, 151,
					     181, 212, 243, 273, 304, 334 };
	unsigned int year =
		bcd(cmos(0x32), "century") * 100 + bcd(cmos(9), "year");
	unsigned int month = bcd(cmos(8), "month"), day = bcd(cmos(7), "day");
	unsigned int hour = bcd(cmos(4), "hour"), min = bcd(cmos(2), "min");
	unsigned int sec = bcd(cmos(0), "sec");
	uint64_t days;

	check(year >= 2020 && year < 2100 && month >= 1 && month <= 12 &&
		      day >= 1 && day <= 31 && hour < 24 && min < 60 &&
		      sec < 60,
	      "rtc: %u-%u-%u %u:%u:%u is not a date", year, month, day, hour,
	      min, sec);
	days = (year - 1970) * 365 + (year - 1969) / 4 + before[month - 1] +
	       day - 1 + (month > 2 && year % 4 == 0);
	return days * 86400 + hour * 3600 + min * 60 + sec;
}

static void test_rtc(void)
{
	struct compat_shared_info *s = shared_info();
	uint64_t start = rdtsc(), took, wall, rtc;
	uint8_t sec, b;

	for (unsigned int i = 0; i < 200; i++)
		check(!(cmos(0x0a) & 0x80), "rtc: status A has UIP set");
	took = (rdtsc() - start) / (tsc_per_ms / 1000 + 1);
	/* Two exits each, slow under emulation; a stalling RTC takes 1 s. */
	check(took < 1000000, "rtc: 200 reads took %llu us", took);
	b = cmos(0x0b);
	check((b & 0x06) == 0x02, "rtc: status B %#x: not BCD and 24-hour", b);
	check(cmos(0x0d) == 0x80, "rtc: status D %#x", cmos(0x0d));
	rtc = rtc_seconds();
	wall = s->wc_sec + (s->wc_nsec + get_time(0)) / 1000000000ULL;
	check(rtc + 2 >= wall && rtc <= wall + 2,
	      "rtc: %llu s, the wall clock %llu s", rtc, wall);
	sec = cmos(0);
	start = rdtsc();
	while (cmos(0) == sec)
		check(rdtsc() - start < 1500 * tsc_per_ms,
		      "rtc: the seconds stayed %#x for 1.5 s", sec);
	/* Binary mode as written, and back. */
	cmos_write(0x0b, b | 0x04);
	sec = cmos(0);
	check(sec < 60 && cmos(0x32) == 20,
	      "rtc: binary mode: seconds %u, century %u", sec, cmos(0x32));
	cmos_write(0x0b, b);
	check(cmos(0x0b) == b, "rtc: status B reads %#x, not %#x", cmos(0x0b),
	      b);
	/* CMOS RAM: zero at first, then what was written. */
	check(!cmos(0x40), "rtc: CMOS byte 0x40 reads %#x", cmos(0x40));
	cmos_write(0x40, 0x5a);
	check(cmos(0x40) == 0x5a, "rtc: CMOS byte 0x40 reads %#x after 0x5a",
	      cmos(0x40));
	printf("pvtime: RTC within 2 s of the wall clock, 200 reads in %llu us\n",
	       took);
}

static void test_errors(void)
{
	uint32_t buf[4] = { 0 };

	check_rc(hypercall_event_channel_op(EVTCHNOP_init_control, buf),
		 -XEN_ENOSYS, "EVTCHNOP_init_control");
	check_rc(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
			    (uintptr_t)buf, 1),
		 -XEN_ENOSYS, "GNTTABOP_map_grant_ref");
}

static void ring_send(evtchn_port_t port)
{
	check_rc(evtchn_send(port), 0, "send on the console port");
}

/* Write s through the ring, waiting for room (the hypervisor drains). */
static void ring_write(struct xencons_interface *r, evtchn_port_t port,
		       const char *s, size_t len)
{
	uint64_t start = rdtsc();

	while (len) {
		uint32_t prod = r->out_prod;

		while (len && prod - r->out_cons < sizeof(r->out)) {
			r->out[MASK_XENCONS_IDX(prod++, r->out)] = *s++;
			len--;
		}
		__atomic_thread_fence(__ATOMIC_RELEASE);
		r->out_prod = prod;
		ring_send(port);
		check(rdtsc() - start < 5000 * tsc_per_ms,
		      "console: the ring was not drained for 5 s");
	}
}

static void ring_puts(struct xencons_interface *r, evtchn_port_t port,
		      const char *s)
{
	ring_write(r, port, s, strlen(s));
}

/* Print the input ring's lines until the end marker, for up to 20 s. */
static void ring_input(struct xencons_interface *r)
{
	static char line[256];
	uint64_t start = rdtsc();
	unsigned int len = 0;

	printf("pvtime: waiting for console ring input\n");
	while (rdtsc() - start < 20000 * tsc_per_ms) {
		uint32_t cons = r->in_cons;

		if (cons == r->in_prod) {
			cpu_relax();
			continue;
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		char c = r->in[MASK_XENCONS_IDX(cons, r->in)];

		r->in_cons = cons + 1;
		if (c == '\r')
			continue;
		if (c != '\n' && len < sizeof(line) - 1) {
			line[len++] = c;
			continue;
		}
		line[len] = 0;
		printf("pvtime: console ring input: %s\n", line);
		if (len == 16 && !memcmp(line, "pvtime-input-end", 16))
			return;
		len = 0;
	}
	xtf_failure("console: no end of input in 20 s");
}

static void test_console(void)
{
	static char burst[6144];
	uint64_t pfn, evtchn;
	struct xencons_interface *r;
	struct evtchn_status st = { .dom = DOMID_SELF };

	check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &pfn), 0,
		 "get_param CONSOLE_PFN");
	check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &evtchn),
		 0, "get_param CONSOLE_EVTCHN");
	check(pfn >= xtf_ram_end() >> PAGE_SHIFT && evtchn,
	      "console: pfn %#llx, port %llu", pfn, evtchn);
	st.port = evtchn;
	check_rc(evtchn_status(DOMID_SELF, evtchn, &st), 0, "status");
	check(st.status == EVTCHNSTAT_interdomain &&
		      st.u.interdomain.dom == xtf_domid(),
	      "console: port %llu status %u, dom %u", evtchn, st.status,
	      st.u.interdomain.dom);
	r = (struct xencons_interface *)(uintptr_t)(pfn << PAGE_SHIFT);
	check(!r->connection, "console: connection %u", r->connection);
	ring_puts(r, evtchn, "pvtime: console ring line 1\n");
	ring_puts(r, evtchn, "pvtime: console ring line 2, in ");
	ring_puts(r, evtchn, "two writes\n");
	/* 6 KiB through the 2 KiB ring: 96 lines of 64 bytes. */
	for (unsigned int i = 0; i < sizeof(burst) / 64; i++) {
		char *l = burst + i * 64;

		memset(l, '.', 64);
		memcpy(l, "pvtime: burst line ", 19);
		l[19] = (char)('0' + i / 10);
		l[20] = (char)('0' + i % 10);
		l[63] = '\n';
	}
	ring_write(r, evtchn, burst, sizeof(burst));
	/* Corrupt indexes: the hypervisor resets and goes on. */
	r->out_prod = r->out_cons + 5000;
	ring_send(evtchn);
	ring_puts(r, evtchn,
		  "pvtime: console ring works after corrupt "
		  "indexes\n");
	if (cmdline_uint("input", 0))
		ring_input(r);
}

void test_main(unsigned int vcpu)
{
	unsigned int nr = xtf_nr_vcpus();
	static void (*const handlers[])(void) = { upcall0, upcall1 };

	if (vcpu == 0) {
		if (nr > 2)
			xtf_error("%u vCPUs: this test runs on 1 or 2", nr);
		if (!xtf_has_xen())
			xtf_skip("no hypervisor: no pvclock to test");
		if (!xtf_tsc_khz())
			xtf_skip("TSC frequency unknown: no CPUID 0x40000003");
		tsc_per_ms = xtf_tsc_khz();
		check_rc(evtchn_map_shared_info(shinfo_page), 0,
			 "add_to_physmap of the shared-info page");
		test_features();
		test_wallclock();
	}
	xtf_barrier(nr);
	xtf_set_irq_handler(VEC_UPCALL + vcpu, handlers[vcpu]);
	check_rc(hypercall_set_evtchn_upcall_vector(vcpu, VEC_UPCALL + vcpu), 0,
		 "set_evtchn_upcall_vector");
	test_pvclock(vcpu, nr);
	xtf_barrier(nr);
	test_vcpu_info(vcpu, nr);
	xtf_barrier(nr);
	test_runstate(vcpu);
	xtf_barrier(nr);
	if (vcpu == 0) {
		test_periodic();
		test_rtc();
		test_errors();
		test_console();
	}
	xtf_barrier(nr);
	if (vcpu == 0)
		xtf_success();
}
