/*
 * memory_op XENMEM_paging_op (xen/common/mem_paging.c) as the pager calls
 * it, above all populate_evicted: the batch read from the caller's memory
 * through its typed handle, continued through the memory_op cmd with no
 * gfn done twice or skipped, a start given in cmd honoured, the first bad
 * gfn's error with its index in nr (those before done, none after), bad
 * handles, callers other than the control domain, the ring gfn, and a
 * domain without a ring (docs/paging.md, "Operations"); and accessed:
 * uses the test makes as the CPU would (pt_touch()) reported once
 * with one flush, and its errors, none of which loses a bit.
 *
 * The handler is compiled in here under a name of its own (test_memory_op.c
 * builds memory.c with it), with domain_get()/domain_put() over the paging
 * fixture's two domains (paging_fixture.h: ctl d0, dom d1) counting
 * references, and need_resched() saying what the test wants. Guest-virtual
 * addresses are offsets into guest_mem[] (fake_guest.h).
 */
#define memop_paging_op paging_op_under_test
#define domain_get mp_domain_get
#define domain_put mp_domain_put
#define need_resched mp_need_resched
#include "../../xen/common/mem_paging.c"
#undef memop_paging_op
#undef domain_get
#undef domain_put
#undef need_resched

#include <xen/errno.h>
#include <xen/vm_event.h>
#include <public/hvm_op.h>
#include "../../xen/arch/x86/mm/p2m/conformance.h"
#include "fake_guest.h"
/* The harness's CHECK, not the self-tests' one (which returns TEST_FAIL) */
#undef CHECK
#include "harness.h"
#include "paging_fixture.h"

#define ARG_GVA 0x100UL /* the struct xen_mem_paging_op / _batch */
#define RO_GVA 0x200UL /* [RO_GVA, RO_END): readable, not writable */
#define RO_END 0x300UL
#define BUF_GVA 0x400UL /* prep's page: up to 0x1400 */
#define LIST_GVA 0x1400UL /* the gfns: up to 1408 of them */
#define MAX_LIST ((sizeof(guest_mem) - LIST_GVA) / sizeof(u64))
#define DOMID_MISSING 9

/* populate_evicted's gfns per round when not preempted (mem_paging.c). */
#define ROUND_GFNS (PAGING_ROUND_BATCHES * MEM_PAGING_BATCH)

/* The list of most tests: NR gfns from FIRST, even ones populated. */
#define FIRST 0x100UL
#define NR 300

static u8 guest_mem[0x4000];
static bool resched;

bool mp_need_resched(void)
{
	return resched;
}

struct domain *mp_domain_get(domid_t id)
{
	struct domain *d = id == pg_ctl.domain_id ? &pg_ctl :
			   id == pg_dom.domain_id ? &pg_dom :
						    NULL;

	if (d)
		d->refcnt++;
	return d;
}

void mp_domain_put(struct domain *d)
{
	CHECK(d->refcnt);
	d->refcnt--;
}

static u64 *list(void)
{
	return (u64 *)(guest_mem + LIST_GVA);
}

static struct xen_mem_paging_batch *batch_at(unsigned long gva)
{
	return (struct xen_mem_paging_batch *)(guest_mem + gva);
}

/* A populate_evicted batch of dom at gva: nr gfns at list_gva. */
static void put_batch(unsigned long gva, unsigned long list_gva, u64 nr)
{
	*batch_at(gva) = (struct xen_mem_paging_batch){
		.op = XENMEM_paging_op_populate_evicted,
		.domain = pg_dom.domain_id,
		.gfns = guest_handle_from_param(list_gva, uint64_t),
		.nr = nr,
	};
}

/* One call of the handler by v: no reference may stay behind. */
static long call(struct vcpu *v, struct hypercall_args *a)
{
	long rc = paging_op_under_test(v, a);

	CHECK_EQ(pg_dom.refcnt, 0);
	CHECK_EQ(pg_ctl.refcnt, 0);
	return rc;
}

/* The pager's call, continued until it is done. */
static long paging_op(unsigned long cmd)
{
	struct hypercall_args a = { .a = { cmd, ARG_GVA } };
	long rc;

	while ((rc = call(&pg_ctl_vcpu, &a)) == -ERESTART)
		;
	return rc;
}

/* A sub-op other than populate_evicted on dom's gfn. */
static long gfn_op(unsigned int op, u64 gfn, unsigned long buffer)
{
	*(struct xen_mem_paging_op *)(guest_mem + ARG_GVA) =
		(struct xen_mem_paging_op){
			.op = op,
			.domain = pg_dom.domain_id,
			.buffer = guest_handle_from_param(buffer, uint8_t),
			.gfn = gfn,
		};
	return paging_op(XENMEM_paging_op);
}

static p2m_type_t type_before(unsigned long gfn)
{
	return (gfn - FIRST) % 2 ? p2m_invalid : p2m_ram_rw;
}

/*
 * FIRST..FIRST+NR-1 listed in a shuffled order (index, not gfn, is what
 * the continuation counts), even gfns populated, odd ones holes.
 */
static void setup(void)
{
	unsigned int i;

	pg_setup();
	fake_guest_mem(guest_mem, sizeof(guest_mem), RO_GVA, RO_END);
	for (i = 0; i < NR; i++) {
		list()[i] = FIRST + (i * 7) % NR;
		if (type_before(FIRST + i) == p2m_ram_rw)
			pg_populate(FIRST + i, (u8)i);
	}
	put_batch(ARG_GVA, LIST_GVA, NR);
}

/* Which of FIRST..FIRST+NR-1 the calls so far should have paged. */
static bool expect_paged[NR];

/*
 * list()[from..to) is paged now (those of FIRST..FIRST+NR-1: a test
 * checks the others itself), on top of what was before; every other
 * gfn from FIRST is as it was.
 */
static void check_done(unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = from; i < to; i++)
		if (list()[i] >= FIRST && list()[i] < FIRST + NR)
			expect_paged[list()[i] - FIRST] = true;
	for (i = 0; i < NR; i++) {
		p2m_type_t t = pg_type(FIRST + i),
			   want = expect_paged[i] ? p2m_ram_paged :
						    type_before(FIRST + i);

		if (t != want)
			FAIL("gfn %#lx: type %d, not %d", FIRST + i, t, want);
	}
}

/* Brought back between rounds (prep): their fill, else 0. */
static u8 back[NR];

TEST(paging_op_populate_evicted_continued)
{
	struct hypercall_args a = { .a = { XENMEM_paging_op, ARG_GVA } };
	unsigned long total, flushes;
	unsigned int round, i;
	long rc;

	setup();
	total = pg_pages_now();
	flushes = p2m_flush_generation(&pg_p2m);
	/* Preempted at every chance: one batch per call. */
	resched = true;
	for (round = 1; (rc = call(&pg_ctl_vcpu, &a)) == -ERESTART; round++) {
		unsigned int next = round * MEM_PAGING_BATCH;
		unsigned long last = list()[next - 1];

		CHECK_EQ(a.a[0], memop_cmd(XENMEM_paging_op, next));
		CHECK_EQ(a.a[1], ARG_GVA);
		/* Every gfn before next is paged, none after. */
		for (i = 0; i < NR; i++)
			CHECK_EQ(pg_type(list()[i]),
				 back[list()[i] - FIRST] ? p2m_ram_rw :
				 i < next		 ? p2m_ram_paged :
					    type_before(list()[i]));
		/*
		 * Meanwhile a vCPU touches the last gfn done and the pager
		 * brings it back: the next round must leave it alone.
		 */
		back[last - FIRST] = 0xa0 + round;
		CHECK_EQ(pg_prep(last, back[last - FIRST]), 0);
	}
	CHECK_EQ(rc, 0);
	CHECK_EQ(round, (NR + MEM_PAGING_BATCH - 1) / MEM_PAGING_BATCH);
	/* One flush per batch. */
	CHECK_EQ(p2m_flush_generation(&pg_p2m) - flushes, round);
	for (i = 0; i < NR; i++) {
		if (!back[i]) {
			CHECK_EQ(pg_type(FIRST + i), p2m_ram_paged);
			continue;
		}
		CHECK_EQ(pg_type(FIRST + i), p2m_ram_rw);
		CHECK_EQ(pg_byte(FIRST + i), back[i]);
	}
	CHECK_EQ(pg_dom.nr_paged, NR - (round - 1));
	CHECK_EQ(pg_dom.nr_evictions, NR / 2);
	CHECK_EQ(batch_at(ARG_GVA)->nr, NR); /* no error: nr untouched */
	CHECK_EQ(pg_pages_now(), total);
}

TEST(paging_op_populate_evicted_round_is_bounded)
{
	struct hypercall_args a = { .a = { XENMEM_paging_op, ARG_GVA } };
	unsigned int i;

	setup();
	/*
	 * More than a round: the 64 gfns from FIRST over and over, then
	 * 64 holes from 0x300 that only the continuation may reach.
	 */
	for (i = 0; i < ROUND_GFNS + MEM_PAGING_BATCH; i++)
		list()[i] = i < ROUND_GFNS ? FIRST + i % MEM_PAGING_BATCH :
					     0x300 + i - ROUND_GFNS;
	put_batch(ARG_GVA, LIST_GVA, ROUND_GFNS + MEM_PAGING_BATCH);
	CHECK_EQ(call(&pg_ctl_vcpu, &a), -ERESTART);
	CHECK_EQ(a.a[0], memop_cmd(XENMEM_paging_op, ROUND_GFNS));
	for (i = 0; i < MEM_PAGING_BATCH; i++) {
		CHECK_EQ(pg_type(FIRST + i), p2m_ram_paged);
		CHECK_EQ(pg_type(0x300 + i), p2m_invalid);
	}
	CHECK_EQ(call(&pg_ctl_vcpu, &a), 0);
	for (i = 0; i < MEM_PAGING_BATCH; i++)
		CHECK_EQ(pg_type(0x300 + i), p2m_ram_paged);
	CHECK_EQ(pg_dom.nr_paged, 2 * MEM_PAGING_BATCH);
	CHECK_EQ(pg_dom.nr_evictions, MEM_PAGING_BATCH / 2);
}

TEST(paging_op_populate_evicted_start_from_cmd)
{
	unsigned long copies;

	setup();
	/* A continuation's cmd: the gfns before its start are not read. */
	CHECK_EQ(paging_op(memop_cmd(XENMEM_paging_op, 100)), 0);
	check_done(100, NR);
	CHECK_EQ(pg_dom.nr_paged, NR - 100);
	/* Starting at the end: nothing to do, nothing read but the op. */
	copies = fake_guest_copies;
	CHECK_EQ(paging_op(memop_cmd(XENMEM_paging_op, NR)), 0);
	CHECK_EQ(fake_guest_copies - copies, 1);
	check_done(100, NR);
}

/* The batch stops at its first bad gfn: its error, its index in nr. */
static void stops_at(unsigned int bad, long err)
{
	unsigned int restarts = 0;
	struct hypercall_args a = { .a = { XENMEM_paging_op, ARG_GVA } };
	long rc;

	resched = true;
	while ((rc = call(&pg_ctl_vcpu, &a)) == -ERESTART)
		restarts++;
	resched = false;
	CHECK_EQ(rc, err);
	/* Its index in the caller's nr, whichever round it was in. */
	CHECK_EQ(batch_at(ARG_GVA)->nr, bad);
	CHECK_EQ(restarts, bad / MEM_PAGING_BATCH);
	check_done(0, bad);
}

TEST(paging_op_populate_evicted_stops_at_bad_gfn)
{
	struct page_info *pg;
	u64 saved;

	setup();
	/* Past the p2m, in the third round. */
	saved = list()[150];
	list()[150] = PG_MAX_GFN;
	stops_at(150, -EINVAL);
	/* MMIO: not RAM the domain owns. */
	list()[150] = saved;
	saved = list()[10];
	CHECK_EQ(p2m_set_entry(&pg_p2m, _gfn(0x300), _mfn(0x10), PAGE_ORDER_4K,
			       p2m_mmio_direct, p2m_access_rw),
		 0);
	list()[10] = 0x300;
	put_batch(ARG_GVA, LIST_GVA, NR);
	stops_at(10, -EINVAL);
	list()[10] = saved;
	/* Held by someone (a foreign mapping): -EBUSY, at index 299. */
	saved = list()[NR - 1];
	pg = pg_populate(0x301, 1);
	CHECK(get_page(pg, &pg_dom));
	list()[NR - 1] = 0x301;
	put_batch(ARG_GVA, LIST_GVA, NR);
	stops_at(NR - 1, -EBUSY);
	CHECK_EQ(pg_type(0x301), p2m_ram_rw);
	put_page(pg);
	/* Nominated (in transit): -EBUSY too. */
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 0x301), 0);
	put_batch(ARG_GVA, LIST_GVA, NR);
	stops_at(NR - 1, -EBUSY);
	CHECK_EQ(pg_type(0x301), p2m_ram_paging_out);
	/* Nothing left to stop it. */
	list()[NR - 1] = saved;
	put_batch(ARG_GVA, LIST_GVA, NR);
	CHECK_EQ(paging_op(XENMEM_paging_op), 0);
	check_done(0, NR);
	CHECK_EQ(pg_dom.nr_paged, NR);
}

TEST(paging_op_populate_evicted_refuses_the_ring_gfn)
{
	unsigned long g;

	setup();
	list()[0] = FIRST;
	list()[1] = PG_RING_GFN;
	list()[2] = FIRST + 1;
	/* The pager's ring set up, not yet enabled: still refused. */
	pg_populate(PG_RING_GFN, 0);
	pg_dom.hvm_params[HVM_PARAM_PAGING_RING_PFN] = PG_RING_GFN;
	put_batch(ARG_GVA, LIST_GVA, 3);
	CHECK_EQ(paging_op(XENMEM_paging_op), -EINVAL);
	CHECK_EQ(batch_at(ARG_GVA)->nr, 1);
	CHECK_EQ(pg_type(FIRST), p2m_ram_paged);
	CHECK_EQ(pg_type(PG_RING_GFN), p2m_ram_rw);
	CHECK_EQ(pg_type(FIRST + 1), p2m_invalid);
	/* So the ring can still come; once it is, still refused. */
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_ENABLE), 0);
	put_batch(ARG_GVA, LIST_GVA, 3);
	CHECK_EQ(paging_op(XENMEM_paging_op), -EINVAL);
	CHECK_EQ(batch_at(ARG_GVA)->nr, 1);
	CHECK_EQ(pg_type(PG_RING_GFN), p2m_invalid);
	CHECK_EQ(pg_type(FIRST + 1), p2m_invalid);
	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &g), 0);
	vm_event_cancel_slot(&pg_dom, g);
}

TEST(paging_op_populate_evicted_gfn_0_without_a_ring_gfn)
{
	setup();
	/* No HVM_PARAM_PAGING_RING_PFN yet (0: unset): gfn 0 is RAM. */
	pg_populate(0, 1);
	list()[0] = 0;
	put_batch(ARG_GVA, LIST_GVA, 1);
	CHECK_EQ(paging_op(XENMEM_paging_op), 0);
	CHECK_EQ(pg_type(0), p2m_ram_paged);
	CHECK_EQ(pg_dom.nr_evictions, 1);
}

TEST(paging_op_bad_handles)
{
	unsigned long copies;

	setup();
	/* The op itself outside the caller's memory. */
	CHECK_EQ(call(&pg_ctl_vcpu,
		      &(struct hypercall_args){
			      .a = { XENMEM_paging_op,
				     sizeof(guest_mem) - 8 } }),
		 -EFAULT);
	/* The gfns outside it. */
	put_batch(ARG_GVA, sizeof(guest_mem), NR);
	CHECK_EQ(paging_op(XENMEM_paging_op), -EFAULT);
	put_batch(ARG_GVA, ~0UL - 8, NR);
	CHECK_EQ(paging_op(XENMEM_paging_op), -EFAULT);
	check_done(0, 0);
	/*
	 * The list runs out of the caller's memory at index 100: the first
	 * batch is done, the second cannot be read and is not.
	 */
	put_batch(ARG_GVA, sizeof(guest_mem) - 100 * sizeof(u64), NR);
	memcpy(guest_mem + sizeof(guest_mem) - 100 * sizeof(u64), list(),
	       100 * sizeof(u64));
	CHECK_EQ(paging_op(XENMEM_paging_op), -EFAULT);
	check_done(0, MEM_PAGING_BATCH);
	/* nr cannot be written back: the error says so. */
	memcpy(guest_mem + RO_GVA, guest_mem + ARG_GVA,
	       sizeof(struct xen_mem_paging_batch));
	batch_at(RO_GVA)->gfns = guest_handle_from_param(LIST_GVA, uint64_t);
	list()[MEM_PAGING_BATCH + 1] = PG_MAX_GFN;
	CHECK_EQ(call(&pg_ctl_vcpu,
		      &(struct hypercall_args){
			      .a = { XENMEM_paging_op, RO_GVA } }),
		 -EFAULT);
	CHECK_EQ(batch_at(RO_GVA)->nr, NR);
	/* A count no continuation could encode: refused before any gfn. */
	put_batch(ARG_GVA, LIST_GVA, memop_start_max(true) + 1);
	copies = fake_guest_copies;
	CHECK_EQ(call(&pg_ctl_vcpu,
		      &(struct hypercall_args){
			      .a = { XENMEM_paging_op, ARG_GVA },
			      .compat = true }),
		 -EINVAL);
	CHECK_EQ(fake_guest_copies - copies, 1);
	check_done(0, MEM_PAGING_BATCH + 1);
}

TEST(paging_op_control_domain_only)
{
	unsigned long copies;

	setup();
	copies = fake_guest_copies;
	/* The target itself, on itself and on the control domain. */
	this_cpu(curr_vcpu) = &pg_dom_vcpu[0];
	CHECK_EQ(call(&pg_dom_vcpu[0],
		      &(struct hypercall_args){
			      .a = { XENMEM_paging_op, ARG_GVA } }),
		 -EPERM);
	batch_at(ARG_GVA)->domain = pg_ctl.domain_id;
	CHECK_EQ(call(&pg_dom_vcpu[0],
		      &(struct hypercall_args){
			      .a = { XENMEM_paging_op, ARG_GVA } }),
		 -EPERM);
	this_cpu(curr_vcpu) = &pg_ctl_vcpu;
	/* A domain that is not (or no longer) in control. */
	put_batch(ARG_GVA, LIST_GVA, NR);
	pg_ctl.is_privileged = false;
	CHECK_EQ(paging_op(XENMEM_paging_op), -EPERM);
	CHECK_EQ(gfn_op(XENMEM_paging_op_nominate, FIRST, 0), -EPERM);
	/* Refused before anything of the caller's was read. */
	CHECK_EQ(fake_guest_copies, copies);
	check_done(0, 0);
	pg_ctl.is_privileged = true;
	put_batch(ARG_GVA, LIST_GVA, NR);
	CHECK_EQ(paging_op(XENMEM_paging_op), 0);
	check_done(0, NR);
}

TEST(paging_op_domains_and_the_ring)
{
	u8 *buf = guest_mem + BUF_GVA;

	setup();
	/* No such domain, DOMID_SELF (none), the pager itself. */
	batch_at(ARG_GVA)->domain = DOMID_MISSING;
	CHECK_EQ(paging_op(XENMEM_paging_op), -ESRCH);
	batch_at(ARG_GVA)->domain = DOMID_SELF;
	CHECK_EQ(paging_op(XENMEM_paging_op), -ESRCH);
	batch_at(ARG_GVA)->domain = pg_ctl.domain_id;
	CHECK_EQ(paging_op(XENMEM_paging_op), -EINVAL);
	check_done(0, 0);
	/* Without a ring: every op but populate_evicted. */
	CHECK_EQ(gfn_op(XENMEM_paging_op_nominate, FIRST, 0), -ENODEV);
	CHECK_EQ(pg_type(FIRST), p2m_ram_rw);
	CHECK_EQ(gfn_op(XENMEM_paging_op_evict, FIRST, 0), -ENODEV);
	CHECK_EQ(gfn_op(XENMEM_paging_op_prep, FIRST + 1, BUF_GVA), -ENODEV);
	/* An unknown op is -EINVAL, ring or not. */
	CHECK_EQ(gfn_op(99, FIRST, 0), -EINVAL);
	check_done(0, 0);
	/* populate_evicted works before the pager attaches. */
	list()[0] = FIRST + 1;
	put_batch(ARG_GVA, LIST_GVA, 1);
	CHECK_EQ(paging_op(XENMEM_paging_op), 0);
	CHECK_EQ(pg_type(FIRST + 1), p2m_ram_paged);

	/* With the ring, the round trip of the pager's ops. */
	pg_ring_enable();
	CHECK_EQ(gfn_op(XENMEM_paging_op_nominate, FIRST, 0), 0);
	CHECK_EQ(gfn_op(XENMEM_paging_op_evict, FIRST, 0), 0);
	CHECK_EQ(pg_type(FIRST), p2m_ram_paged);
	CHECK_EQ(gfn_op(XENMEM_paging_op_prep, FIRST, 0), -EINVAL);
	CHECK_EQ(gfn_op(XENMEM_paging_op_prep, FIRST, sizeof(guest_mem) - 8),
		 -EFAULT);
	CHECK_EQ(pg_type(FIRST), p2m_ram_paged);
	memset(buf, 0x5a, PAGE_SIZE);
	CHECK_EQ(gfn_op(XENMEM_paging_op_prep, FIRST, BUF_GVA), 0);
	CHECK_EQ(pg_byte(FIRST), 0x5a);
	CHECK_EQ(gfn_op(99, FIRST, 0), -EINVAL);
	CHECK_EQ(pg_type(FIRST), p2m_ram_rw);
}

/* accessed of dom's gfns [gfn, gfn + nr) into the caller's bitmap. */
static long accessed_op(u64 gfn, u32 nr, unsigned long bitmap)
{
	*(struct xen_mem_paging_accessed *)(guest_mem + ARG_GVA) =
		(struct xen_mem_paging_accessed){
			.op = XENMEM_paging_op_accessed,
			.domain = pg_dom.domain_id,
			.nr = nr,
			.bitmap = guest_handle_from_param(bitmap, uint8_t),
			.gfn = gfn,
		};
	return paging_op(XENMEM_paging_op);
}

static bool acc_bit(unsigned int i)
{
	return (guest_mem[BUF_GVA + i / 8] >> (i % 8)) & 1;
}

/* Used since asked: the even gfns FIRST + 4k (populated). */
static bool touched(unsigned int i)
{
	return i % 4 == 0;
}

TEST(paging_op_accessed_reports_and_clears)
{
	unsigned long flushes;
	unsigned int i;

	setup();
	for (i = 0; i < NR; i++)
		if (touched(i))
			pt_touch(&pg_p2m, _gfn(FIRST + i));
	/* Populated gfns not used, and holes (odd gfns), read 0. */
	memset(guest_mem + BUF_GVA, 0xee, PAGE_SIZE);
	flushes = p2m_flush_generation(&pg_p2m);
	/* No ring needed. */
	CHECK_EQ(accessed_op(FIRST, NR, BUF_GVA), 0);
	for (i = 0; i < NR; i++)
		if (acc_bit(i) != touched(i))
			FAIL("gfn %#lx reads %d", FIRST + i, acc_bit(i));
	/* (NR + 7) / 8 bytes written, not one more. */
	CHECK_EQ(guest_mem[BUF_GVA + (NR + 7) / 8], 0xee);
	CHECK_EQ(p2m_flush_generation(&pg_p2m), flushes + 1);
	/* Cleared: nothing used since, and nothing to flush. */
	CHECK_EQ(accessed_op(FIRST, NR, BUF_GVA), 0);
	for (i = 0; i < NR; i++)
		CHECK(!acc_bit(i));
	CHECK_EQ(p2m_flush_generation(&pg_p2m), flushes + 1);
	/* Used again, asked from an odd start: bit 0 is gfn FIRST + 3. */
	pt_touch(&pg_p2m, _gfn(FIRST + 4));
	CHECK_EQ(accessed_op(FIRST + 3, 2, BUF_GVA), 0);
	CHECK_EQ(guest_mem[BUF_GVA], 0x2);
	/* Paged out: reads 0 (the page went with its bit). */
	pt_touch(&pg_p2m, _gfn(FIRST + 8));
	list()[0] = FIRST + 8;
	put_batch(ARG_GVA, LIST_GVA, 1);
	CHECK_EQ(paging_op(XENMEM_paging_op), 0);
	CHECK_EQ(accessed_op(FIRST + 8, 1, BUF_GVA), 0);
	CHECK_EQ(guest_mem[BUF_GVA], 0);
}

TEST(paging_op_accessed_errors_lose_nothing)
{
	unsigned long copies;

	setup();
	pt_touch(&pg_p2m, _gfn(FIRST));
	CHECK_EQ(accessed_op(FIRST, XENMEM_PAGING_ACCESSED_MAX_NR + 1, BUF_GVA),
		 -EINVAL);
	CHECK_EQ(accessed_op(PG_MAX_GFN - 4, 5, BUF_GVA), -EINVAL);
	CHECK_EQ(accessed_op(~0ULL - 2, 8, BUF_GVA), -EINVAL);
	/* A bitmap it cannot write: refused before any bit is cleared. */
	CHECK_EQ(accessed_op(FIRST, 8, RO_GVA), -EFAULT);
	CHECK_EQ(accessed_op(FIRST, 16, sizeof(guest_mem) - 1), -EFAULT);
	/* nr 0: nothing read, nothing written. */
	copies = fake_guest_copies;
	CHECK_EQ(accessed_op(FIRST, 0, 0), 0);
	CHECK_EQ(fake_guest_copies - copies, 1);
	/* A CPU that keeps no accessed bits: -EOPNOTSUPP, nr 0 too. */
	pg_p2m.accessed_bits = false;
	CHECK_EQ(accessed_op(FIRST, 0, 0), -EOPNOTSUPP);
	CHECK_EQ(accessed_op(FIRST, 8, BUF_GVA), -EOPNOTSUPP);
	pg_p2m.accessed_bits = true;
	/* The use is still there. */
	CHECK_EQ(accessed_op(FIRST, 8, BUF_GVA), 0);
	CHECK_EQ(guest_mem[BUF_GVA], 0x1);
	/* As the other ops: control domain only, never on itself. */
	pt_touch(&pg_p2m, _gfn(FIRST));
	this_cpu(curr_vcpu) = &pg_dom_vcpu[0];
	CHECK_EQ(call(&pg_dom_vcpu[0],
		      &(struct hypercall_args){
			      .a = { XENMEM_paging_op, ARG_GVA } }),
		 -EPERM);
	this_cpu(curr_vcpu) = &pg_ctl_vcpu;
	((struct xen_mem_paging_accessed *)(guest_mem + ARG_GVA))->domain =
		pg_ctl.domain_id;
	CHECK_EQ(paging_op(XENMEM_paging_op), -EINVAL);
	((struct xen_mem_paging_accessed *)(guest_mem + ARG_GVA))->domain =
		DOMID_SELF;
	CHECK_EQ(paging_op(XENMEM_paging_op), -ESRCH);
	((struct xen_mem_paging_accessed *)(guest_mem + ARG_GVA))->domain =
		DOMID_MISSING;
	CHECK_EQ(paging_op(XENMEM_paging_op), -ESRCH);
	CHECK_EQ(gfn_op(XENMEM_paging_op_accessed + 1, FIRST, 0), -EINVAL);
	CHECK_EQ(accessed_op(FIRST, 8, BUF_GVA), 0);
	CHECK_EQ(guest_mem[BUF_GVA], 0x1);
}
