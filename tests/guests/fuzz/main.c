/*
 * fuzz: a hostile guest. For seconds=S (default 20) of TSC time it calls
 * every hypercall number 0 to 63 and 64, 100 and 0xffffffff, in a fresh
 * random order each round, with random and edge-case arguments from a
 * xorshift generator seeded by seed=N (default: from the TSC; printed at
 * start, so a run can be repeated): sub-ops known and random, huge counts,
 * unaligned, page-crossing and wrapping pointers, addresses past RAM and
 * in MMIO, the hypercall page as a buffer, other domains' ids, gfns past
 * its memory. Calls go through the hypercall page or a direct
 * VMCALL/VMMCALL at random.
 *
 * The guest keeps itself alive, so nothing the hypervisor does right can
 * stop it:
 *   - the hypervisor writes only to the hypercall page, the scratch after
 *     it, or RAM outside the guest's image and start-of-day data; the page
 *     is installed again after a call aimed at it (and must come back the
 *     same), and such a call does not go through the page;
 *   - decrease_reservation of its own memory names only gfns of the top
 *     2 MiB of RAM (which it never uses) or gfns past RAM, from a list
 *     ending with one past RAM; its reservation is never read from RAM the
 *     guest does not control;
 *   - add_to_physmap only from arguments it builds: the shared-info page
 *     goes to a gfn of the top 2 MiB, past RAM or a huge one;
 *   - shutdown and shutdown_code only with a bad reason or pointer;
 *     vcpu_op down never on vCPU 0; sched_op block only with its one-shot
 *     timer armed (it runs with IF=0, so the upcall stays pending and is
 *     never delivered), poll only with a timeout;
 *   - as the control domain, remote_shutdown with a good reason, the
 *     reservation ops, alloc_unbound and set_param name only itself or
 *     domains that do not exist;
 *   - console_io write prints at most 16 bytes from RAM per 256 calls.
 *
 * It runs at least one round of every number, even if that takes longer
 * (Bochs with other domains). Every result is counted per number. FAILURE (naming the call, its
 * number, arguments and index) if a number without a handler does not
 * give -ENOSYS, a handler gives an errno the hypervisor does not use, or a
 * positive result where none is possible; else a summary table and
 * SUCCESS: the host kept answering. Progress is printed every second.
 * Needs 1 vCPU.
 */
#include <public/grant_table.h>
#include <xtf.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a) ((a)[below(ARRAY_SIZE(a))])

#define NR_TABLE 64 /* hypercall numbers with a slot in the table */
#define NR_SLOTS (NR_TABLE + ARRAY_SIZE(extra_nrs))
#define NR_STUBS (PAGE_SIZE / HYPERCALL_STUB_SIZE)
#define NR_ERRNO 128 /* counted each; larger ones as "other" */
#define MAX_OUT 1024 /* the most any hypercall writes (capabilities) */
#define GFN_PAGES 512 /* the top 2 MiB of RAM: decrease/populate only */
#define LIST_LEN 16 /* gfn list entries, the last one past RAM */
#define PRINT_EVERY 256 /* console_io writes that print from RAM: 1 in N */

static const uint32_t extra_nrs[] = { 64, 100, 0xffffffff };

struct counts {
	uint32_t calls, zero, positive, other;
	uint32_t err[NR_ERRNO];
};

struct call {
	uint32_t nr, a[3];
};

/* What the hypervisor may write: the hypercall page, then scratch. */
static struct {
	uint8_t page[PAGE_SIZE];
	uint8_t scratch[8 * PAGE_SIZE];
} area __attribute__((aligned(PAGE_SIZE)));
static uint8_t pristine[PAGE_SIZE];

/* Arguments the guest builds; the hypervisor only reads them. */
static struct compat_memory_reservation resv;
static uint32_t gfn_list[LIST_LEN];
static domid_t domid_arg;
static struct vcpu_set_singleshot_timer timer_arg;
static struct sched_shutdown reason_arg;
static struct sched_remote_shutdown remote_arg;
static struct xen_hvm_evtchn_upcall_vector upcall_arg;
static struct compat_add_to_physmap atp_arg;
static struct xen_hvm_param param_arg;
static struct compat_sched_poll poll_arg;
static uint32_t ports_arg[4];
/* Big enough for any event_channel_op argument (status: 24 bytes). */
static uint32_t evtchn_arg[6];

static struct counts counts[NR_SLOTS];
static uint64_t rng, seed, nr_calls, now_ns;
static uint32_t ram_end, gfn_base;
static uint16_t self_id, absent_id;
static bool control, page_hit, console_dirty, trace;
static unsigned int since_print;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 32;
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

static uint32_t slot_nr(unsigned int slot)
{
	return slot < NR_TABLE ? slot : extra_nrs[slot - NR_TABLE];
}

static bool implemented(uint32_t nr)
{
	return nr == __HYPERVISOR_memory_op || nr == __HYPERVISOR_xen_version ||
	       nr == __HYPERVISOR_console_io || nr == __HYPERVISOR_vcpu_op ||
	       nr == __HYPERVISOR_sched_op || nr == __HYPERVISOR_hvm_op ||
	       nr == __HYPERVISOR_event_channel_op ||
	       nr == __HYPERVISOR_grant_table_op || nr == __HYPERVISOR_sysctl ||
	       nr == __HYPERVISOR_domctl;
}

static const char *nr_name(uint32_t nr)
{
	switch (nr) {
	case __HYPERVISOR_memory_op:
		return "memory_op";
	case __HYPERVISOR_xen_version:
		return "xen_version";
	case __HYPERVISOR_console_io:
		return "console_io";
	case __HYPERVISOR_vcpu_op:
		return "vcpu_op";
	case __HYPERVISOR_sched_op:
		return "sched_op";
	case __HYPERVISOR_event_channel_op:
		return "evtchn_op";
	case __HYPERVISOR_grant_table_op:
		return "gnttab_op";
	case __HYPERVISOR_sysctl:
		return "sysctl";
	case __HYPERVISOR_domctl:
		return "domctl";
	default:
		return "hvm_op";
	}
}

static bool is_self(uint16_t id)
{
	return id == DOMID_SELF || id == self_id;
}

static bool domain_exists(uint16_t id)
{
	return hypercall_memory_count(XENMEM_current_reservation, id) !=
	       -XEN_ESRCH;
}

/*
 * A domain id: its own (both ways), other small ids, special ones or any.
 * For an operation that would harm a domain, the control domain names only
 * itself or a domain that does not exist.
 */
static uint16_t pick_domid(bool harmful)
{
	static const uint16_t ids[] = { 0,	    1,	    2,	    3,
					DOMID_SELF, 0x7ff1, 0x7ff2, 0x7ff4,
					0x7fff,	    0xffff };
	uint16_t id = below(8) ? (below(3) ? self_id : PICK(ids)) : rnd();

	if (harmful && control && !is_self(id) && domain_exists(id))
		return absent_id;
	return id;
}

static uint32_t scratch_ptr(void)
{
	return (uintptr_t)area.scratch + below(sizeof(area.scratch) - MAX_OUT);
}

/* Past RAM, in MMIO, or wrapping: nothing there may be read or written. */
static uint32_t pick_bad_ptr(void)
{
	static const uint32_t edge[] = { 0xffffffff, 0xfffffffc, 0xfffffff0,
					 0xfffff000, 0xfee00000, 0xfec00000,
					 0x80000000, 0x7fffffff };

	switch (below(3)) {
	case 0:
		return ram_end + below(0x100000);
	case 1:
		return PICK(edge);
	default:
		return rnd() | 0x80000000;
	}
}

/*
 * A pointer the hypervisor may read, or write up to MAX_OUT bytes at: the
 * hypercall page, scratch (anywhere, or across a page boundary), free RAM,
 * the end of RAM (crossing out of it) or a bad pointer.
 */
static uint32_t pick_ptr(void)
{
	uint32_t p;

	switch (below(7)) {
	case 0:
		page_hit = true;
		return (uintptr_t)area.page + (below(2) ? 0 : below(PAGE_SIZE));
	case 1:
		return scratch_ptr();
	case 2:
		return (uintptr_t)area.scratch + PAGE_SIZE * (1 + below(6)) -
		       1 - below(8);
	case 3:
		p = below(4) ? below(ram_end) : below(4) * PAGE_SIZE;
		return xtf_in_use(p, (uint64_t)p + MAX_OUT) ? scratch_ptr() : p;
	case 4:
		return ram_end - 1 - below(16);
	default:
		return pick_bad_ptr();
	}
}

static uint32_t pick_count(void)
{
	static const uint32_t edge[] = {
		0,	    1,		2,	    3,		8,
		16,	    32,		33,	    511,	512,
		4095,	    4096,	4097,	    0x3ffffff,	0x4000000,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	switch (below(3)) {
	case 0:
		return PICK(edge);
	case 1:
		return below(64);
	default:
		return rnd();
	}
}

static uint32_t pick_any(void)
{
	switch (below(4)) {
	case 0:
		return pick_ptr();
	case 1:
		return pick_count();
	case 2:
		return pick_domid(false);
	default:
		return rnd();
	}
}

/* A sub-op: mostly 0 to n - 1, sometimes any. */
static uint32_t pick_op(uint32_t n)
{
	return below(4) ? below(n) : rnd();
}

/*
 * The gfn list: gfns of the top 2 MiB (for order 9 only its start), gfns
 * past RAM, huge ones; the last one past RAM stops every call there.
 */
static void fill_gfn_list(uint32_t order)
{
	const uint32_t past = ram_end >> PAGE_SHIFT;

	for (unsigned int i = 0; i < LIST_LEN - 1; i++) {
		switch (below(4)) {
		case 0:
		case 1:
			gfn_list[i] = order ? gfn_base : gfn_base + below(512);
			break;
		case 2:
			gfn_list[i] = past + below(1024);
			break;
		default:
			gfn_list[i] = below(2) ? 0xffffffff : 0x7fffffff;
		}
	}
	gfn_list[LIST_LEN - 1] = past;
}

static uint32_t build_reservation(bool decrease)
{
	static const uint32_t orders[] = { 0, 0, 0, 9, 9, 1, 10, 0xffffffff };

	resv.nr_extents = pick_count();
	resv.extent_order = below(8) ? PICK(orders) : rnd();
	resv.mem_flags = below(4) ? 0 : rnd();
	resv.domid = pick_domid(true);
	fill_gfn_list(resv.extent_order);
	if (decrease || below(2))
		set_compat_handle(resv.extent_start,
				  below(8) ? (uintptr_t)gfn_list +
						     (below(4) ? 0 : below(4)) :
					     pick_bad_ptr());
	else
		set_compat_handle(resv.extent_start, pick_ptr());
	return (uintptr_t)&resv;
}

/*
 * The shared-info page goes to a gfn of the top 2 MiB, past RAM or a
 * huge one; the RAM it replaces there is given back, as decrease does.
 */
static uint32_t build_add_to_physmap(void)
{
	const uint32_t past = ram_end >> PAGE_SHIFT;

	atp_arg.domid = pick_domid(true);
	atp_arg.size = rnd();
	atp_arg.space = below(2) ? XENMAPSPACE_shared_info : pick_op(8);
	atp_arg.idx = below(4) ? 0 : rnd();
	switch (below(3)) {
	case 0:
		atp_arg.gpfn = gfn_base + below(GFN_PAGES);
		break;
	case 1:
		atp_arg.gpfn = past + below(1024);
		break;
	default:
		atp_arg.gpfn = rnd() | 0x80000000;
	}
	return (uintptr_t)&atp_arg;
}

static void memory_op(struct call *c)
{
	static const uint32_t ops[] = {
		XENMEM_increase_reservation, XENMEM_decrease_reservation,
		XENMEM_populate_physmap,     XENMEM_current_reservation,
		XENMEM_maximum_reservation,  XENMEM_maximum_gpfn,
		XENMEM_add_to_physmap,
	};
	uint32_t op = below(4) ? PICK(ops) : rnd() & 63;
	uint32_t start = below(4) ? 0 : pick_count() & 0x3ffffff;

	switch (op) {
	case XENMEM_decrease_reservation:
		c->a[1] = below(8) ? build_reservation(true) : pick_bad_ptr();
		/* Start inside the list, or where nothing is done. */
		if (start >= LIST_LEN && resv.nr_extents > start)
			resv.nr_extents = start;
		break;
	case XENMEM_increase_reservation:
	case XENMEM_populate_physmap:
		c->a[1] = below(4) ? build_reservation(false) : pick_ptr();
		break;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		domid_arg = pick_domid(false);
		c->a[1] = below(4) ? (uintptr_t)&domid_arg : pick_ptr();
		break;
	case XENMEM_add_to_physmap:
		/* Random memory could name a gfn of its code: never that. */
		c->a[1] = below(8) ? build_add_to_physmap() : pick_bad_ptr();
		break;
	default:
		c->a[1] = pick_any();
	}
	c->a[0] = op | start << MEMOP_EXTENT_SHIFT;
}

static void vcpu_op(struct call *c)
{
	static const uint32_t ids[] = { 0, 0, 0, 1, 15, 16, 0xffffffff };
	static const uint64_t timeouts[] = { 0, 1, 1ULL << 63, ~0ULL };

	c->a[0] = pick_op(14);
	c->a[1] = below(8) ? PICK(ids) : rnd();
	/* vCPU 0 down would sleep until another vCPU brought it up. */
	if (c->a[0] == VCPUOP_down && !c->a[1])
		c->a[1] = 1;
	if (c->a[0] == VCPUOP_set_singleshot_timer && below(2)) {
		timer_arg.timeout_abs_ns = below(2) ? now_ns + below(1000000) :
						      PICK(timeouts);
		timer_arg.flags = below(4) ? below(2) : rnd();
		c->a[2] = (uintptr_t)&timer_arg;
	} else {
		c->a[2] = pick_any();
	}
}

/* Arm the one-shot timer 20 us ahead, so that a block returns. */
static void arm_timer(void)
{
	if (hypercall_get_time(&now_ns) ||
	    hypercall_set_singleshot_timer(0, now_ns + 20000, 0))
		xtf_error("cannot arm the one-shot timer before a block");
}

static void sched_op(struct call *c)
{
	c->a[0] = pick_op(8);
	switch (c->a[0]) {
	case SCHEDOP_block:
		arm_timer();
		c->a[1] = pick_any();
		break;
	case SCHEDOP_poll:
		/*
		 * Always with a timeout: an upcall this vCPU cannot take
		 * (IF=0, maybe no vector) does not end a poll, as in Xen.
		 */
		arm_timer();
		for (unsigned int i = 0; i < ARRAY_SIZE(ports_arg); i++)
			ports_arg[i] = below(2) ? below(8) : pick_count();
		set_compat_handle(poll_arg.ports,
				  below(4) ? (uintptr_t)ports_arg : pick_ptr());
		poll_arg.nr_ports = below(4) ? below(5) : pick_count();
		poll_arg.timeout = now_ns + 1 + below(100000);
		/*
		 * Or a pointer nothing can be read at: readable bytes of
		 * anything else could say no timeout (zero), and an upcall
		 * it cannot take would never end that poll.
		 */
		c->a[1] = below(4) ? (uintptr_t)&poll_arg : pick_bad_ptr();
		break;
	case SCHEDOP_shutdown:
	case SCHEDOP_shutdown_code:
		/* Only a reason above crash, which must be refused. */
		reason_arg.reason = SHUTDOWN_crash + 1 +
				    (below(2) ? below(8) : rnd() % 0xfffffffc);
		c->a[1] = below(4) ? (uintptr_t)&reason_arg : pick_bad_ptr();
		break;
	case SCHEDOP_remote_shutdown:
		remote_arg.domain_id = pick_domid(false);
		remote_arg.reason = below(2) ? below(4) : rnd();
		if (control && remote_arg.reason <= SHUTDOWN_crash &&
		    (is_self(remote_arg.domain_id) ||
		     domain_exists(remote_arg.domain_id)))
			remote_arg.domain_id = absent_id;
		if (below(4))
			c->a[1] = (uintptr_t)&remote_arg;
		else
			c->a[1] = control ? pick_bad_ptr() : pick_ptr();
		break;
	default:
		c->a[1] = pick_any();
	}
}

static void console_io(struct call *c)
{
	c->a[0] = pick_op(3);
	c->a[1] = pick_count();
	c->a[2] = pick_ptr();
	if (c->a[0] != CONSOLEIO_write || c->a[2] >= ram_end || c->a[1] <= 16 ||
	    ram_end - c->a[2] <= 16)
		return;
	/* From RAM: a few bytes now and then, not megabytes of garbage. */
	if (since_print >= PRINT_EVERY) {
		since_print = 0;
		c->a[1] = below(17);
	} else {
		c->a[1] = 0;
	}
}

/*
 * Ports mostly small (the ones it may have), domains as pick_domid()
 * (the control domain allocates only in itself or a missing domain).
 */
static void event_channel_op(struct call *c)
{
	c->a[0] = pick_op(16);
	for (unsigned int i = 0; i < ARRAY_SIZE(evtchn_arg); i++)
		evtchn_arg[i] = below(2) ? below(8) : pick_count();
	switch (c->a[0]) {
	case EVTCHNOP_alloc_unbound:
		evtchn_arg[0] = pick_domid(true) | pick_domid(false) << 16;
		break;
	case EVTCHNOP_bind_interdomain:
	case EVTCHNOP_status:
		evtchn_arg[0] = pick_domid(false);
		break;
	case EVTCHNOP_bind_virq:
		/* Not VIRQ_TIMER: its timer must keep raising the upcall. */
		evtchn_arg[0] = 1 + (below(2) ? below(30) : rnd() % 0xfffffffe);
		break;
	}
	c->a[1] = below(4) ? (uintptr_t)evtchn_arg : pick_ptr();
}

static void hvm_op(struct call *c)
{
	c->a[0] = pick_op(32);
	c->a[1] = pick_ptr();
	if (c->a[0] == HVMOP_set_evtchn_upcall_vector && below(2)) {
		upcall_arg.vcpu = below(4) ? 0 : rnd();
		upcall_arg.vector = rnd();
		c->a[1] = (uintptr_t)&upcall_arg;
	} else if ((c->a[0] == HVMOP_set_param || c->a[0] == HVMOP_get_param) &&
		   below(4)) {
		param_arg.domid = pick_domid(true);
		param_arg.index = below(4) ? below(HVM_NR_PARAMS + 4) : rnd();
		param_arg.value = below(2) ? HVM_CALLBACK_VECTOR(rnd() & 0xff) :
					     (uint64_t)rnd() << 32 | rnd();
		c->a[1] = (uintptr_t)&param_arg;
	}
}

/*
 * Any op, sometimes past the table's (each logged once), counts mostly 1.
 * setup_table's list is named in a structure of its own: at most 8
 * frames written there, or a number past the maximum (nothing written).
 */
static void grant_table_op(struct call *c)
{
	static struct compat_gnttab_setup_table setup;

	c->a[0] = pick_op(GNTTABOP_cache_flush + 2);
	c->a[1] = pick_ptr();
	c->a[2] = below(4) ? 1 : pick_count();
	if (c->a[0] != GNTTABOP_setup_table)
		return;
	setup = (struct compat_gnttab_setup_table){
		.dom = pick_domid(true),
		.nr_frames = below(4) ? below(8) : rnd(),
	};
	set_compat_handle(setup.frame_list, pick_ptr());
	c->a[1] = below(8) ? (uintptr_t)&setup : pick_ptr();
}

static void build_call(struct call *c, uint32_t nr)
{
	c->nr = nr;
	for (unsigned int i = 0; i < 3; i++)
		c->a[i] = pick_any();
	switch (nr) {
	case __HYPERVISOR_memory_op:
		memory_op(c);
		break;
	case __HYPERVISOR_xen_version:
		c->a[0] = pick_op(12);
		c->a[1] = pick_ptr();
		break;
	case __HYPERVISOR_console_io:
		console_io(c);
		break;
	case __HYPERVISOR_vcpu_op:
		vcpu_op(c);
		break;
	case __HYPERVISOR_sched_op:
		sched_op(c);
		break;
	case __HYPERVISOR_hvm_op:
		hvm_op(c);
		break;
	case __HYPERVISOR_event_channel_op:
		event_channel_op(c);
		break;
	case __HYPERVISOR_grant_table_op:
		grant_table_op(c);
		break;
	}
}

static noreturn void fail_call(const struct call *c, long rc, const char *why)
{
	printf("fuzz: call %llu (seed %llu): hypercall %u (0x%x, 0x%x, 0x%x) "
	       "returned %ld\n",
	       nr_calls, seed, c->nr, c->a[0], c->a[1], c->a[2], rc);
	xtf_failure("hypercall %u: %s (%ld)", c->nr, why, rc);
}

static void check_result(const struct call *c, long rc)
{
	/* EDOM, EILSEQ: add_to_physmap_batch's progress past 16 bits, size. */
	static const long errnos[] = {
		XEN_EPERM,	XEN_ENOENT, XEN_ESRCH,	 XEN_ENOMEM,
		XEN_EFAULT,	XEN_EBUSY,  XEN_EEXIST,	 XEN_EINVAL,
		XEN_ENOSPC,	XEN_ENOSYS, XEN_ENODATA, XEN_ETIME,
		XEN_EOPNOTSUPP, XEN_EACCES, XEN_EDOM,	 XEN_EILSEQ,
	};

	if (!implemented(c->nr)) {
		if (rc != -XEN_ENOSYS)
			fail_call(c, rc, "no handler, but not -ENOSYS");
		return;
	}
	if (rc > 0 && c->nr != __HYPERVISOR_memory_op &&
	    c->nr != __HYPERVISOR_xen_version && c->nr != __HYPERVISOR_vcpu_op)
		fail_call(c, rc, "a positive result it never gives");
	if (rc >= 0)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(errnos); i++)
		if (rc == -errnos[i])
			return;
	fail_call(c, rc, "an errno the hypervisor does not use");
}

static void record(unsigned int slot, long rc)
{
	struct counts *k = &counts[slot];

	k->calls++;
	if (!rc)
		k->zero++;
	else if (rc > 0)
		k->positive++;
	else if (rc > -NR_ERRNO)
		k->err[-rc]++;
	else
		k->other++;
}

static bool page_intact(void)
{
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (area.page[i] != pristine[i])
			return false;
	return true;
}

static void one_call(unsigned int slot)
{
	struct call c;
	long rc;

	page_hit = false;
	build_call(&c, slot_nr(slot));
	since_print++;
	if (c.nr == __HYPERVISOR_console_io && c.a[0] == CONSOLEIO_write &&
	    c.a[1])
		console_dirty = true;
	if (trace)
		printf("\nfuzz: call %llu: %u (0x%x, 0x%x, 0x%x)...\n",
		       nr_calls + 1, c.nr, c.a[0], c.a[1], c.a[2]);
	/* Through the page, unless a buffer is there (it may be a stub). */
	if (!page_hit && c.nr < NR_STUBS && c.nr != __HYPERVISOR_iret &&
	    below(2))
		rc = hypercall_page_call3(area.page, c.nr, c.a[0], c.a[1],
					  c.a[2]);
	else
		rc = hypercall3(c.nr, c.a[0], c.a[1], c.a[2]);
	nr_calls++;
	if (trace)
		printf("fuzz: call %llu: %u (0x%x, 0x%x, 0x%x) = %ld\n",
		       nr_calls, c.nr, c.a[0], c.a[1], c.a[2], rc);
	check_result(&c, rc);
	record(slot, rc);
	if (page_hit &&
	    (hypercall_page_install((uintptr_t)area.page) || !page_intact()))
		fail_call(&c, rc, "the hypercall page did not come back");
}

/* End a line that console_io garbage may have left open. */
static void console_newline(void)
{
	if (console_dirty)
		hypercall_console_write("\n", 1);
	console_dirty = false;
}

/* A row of the summary, after the caller's label. */
static void print_counts(const struct counts *k)
{
	printf(" %8u %8u %8u", k->calls, k->zero, k->positive);
	for (unsigned int e = 1; e < NR_ERRNO; e++)
		if (k->err[e])
			printf(" -%u:%u", e, k->err[e]);
	if (k->other)
		printf(" other:%u", k->other);
	printf("\n");
}

static void summary(unsigned int seconds)
{
	struct counts none = { 0 };

	console_newline();
	printf("fuzz: %llu calls in %u s, seed %llu\n", nr_calls, seconds,
	       seed);
	printf("fuzz: %-16s %8s %8s %8s errors (-errno:count)\n", " nr name",
	       "calls", "0", ">0");
	for (unsigned int s = 0; s < NR_SLOTS; s++) {
		if (implemented(slot_nr(s))) {
			printf("fuzz: %3u %-12s", slot_nr(s),
			       nr_name(slot_nr(s)));
			print_counts(&counts[s]);
			continue;
		}
		none.calls += counts[s].calls;
		none.err[XEN_ENOSYS] += counts[s].err[XEN_ENOSYS];
	}
	printf("fuzz:   * %-12s", "the other 60");
	print_counts(&none);
}

static void setup(void)
{
	struct xen_feature_info f = { .submap_idx = 0 };

	if (xtf_nr_vcpus() != 1)
		xtf_error("needs 1 vCPU, not %u", xtf_nr_vcpus());
	ram_end = xtf_ram_end();
	gfn_base = (ram_end >> PAGE_SHIFT) - GFN_PAGES;
	if (ram_end % (GFN_PAGES * PAGE_SIZE) ||
	    xtf_in_use((uint64_t)gfn_base << PAGE_SHIFT, ram_end))
		xtf_error("the top 2 MiB of RAM (to 0x%x) must be 2 MiB "
			  "aligned and free",
			  ram_end);
	self_id = xtf_domid();
	if (hypercall_xen_version(XENVER_get_features, &f))
		xtf_error("xen_version get_features failed");
	control = f.submap & (1u << XENFEAT_dom0);
	absent_id = DOMID_IDLE;
	if (domain_exists(absent_id))
		xtf_error("domain 0x%x exists", absent_id);
	if (hypercall_page_install((uintptr_t)area.page))
		xtf_error("cannot install the hypercall page");
	memcpy(pristine, area.page, PAGE_SIZE);
	if (hypercall_get_time(&now_ns))
		xtf_error("hvm_op get_time failed");
}

void test_main(unsigned int vcpu)
{
	unsigned int seconds, order[NR_SLOTS], pos = NR_SLOTS, elapsed = 0;
	uint64_t tsc_per_s, next;

	if (vcpu)
		return;
	if (!xtf_has_xen())
		xtf_skip("no hypervisor to fuzz");
	seconds = cmdline_uint("seconds", 20);
	seed = cmdline_uint("seed", rdtsc() & 0xffffffff);
	trace = cmdline_uint("trace", 0);
	rng = (seed ^ 0x9e3779b97f4a7c15ULL) ?: 1;
	setup();
	printf("fuzz: seed %llu, %u s, domain %u%s, RAM to 0x%x\n", seed,
	       seconds, self_id, control ? " (control domain)" : "", ram_end);
	for (unsigned int s = 0; s < NR_SLOTS; s++)
		order[s] = s;
	tsc_per_s = (uint64_t)(xtf_tsc_khz() ?: 1000000) * 1000;
	next = rdtsc() + tsc_per_s;
	/* At least one round of every number, however slow the host. */
	while (elapsed < seconds || nr_calls < NR_SLOTS) {
		if (pos == NR_SLOTS) {
			for (unsigned int i = NR_SLOTS - 1; i; i--) {
				unsigned int j = below(i + 1), t = order[i];

				order[i] = order[j];
				order[j] = t;
			}
			pos = 0;
		}
		one_call(order[pos++]);
		if (rdtsc() >= next) {
			next += tsc_per_s;
			elapsed++;
			hypercall_get_time(&now_ns);
			console_newline();
			printf("fuzz: %u/%u s, %llu calls\n", elapsed, seconds,
			       nr_calls);
		}
	}
	summary(seconds);
	xtf_success();
}
