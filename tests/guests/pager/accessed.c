/*
 * mode=accessed: the target's accessed bits (XENMEM_paging_op_accessed),
 * as the CPU sets them in its nested tables, against the pages pagetest
 * accessed=1 touches round by round (../pagetest/accessed_mailbox.h).
 * Needs no ring. First, before any round, nothing reads 1: the pages were
 * never touched. Each round: exactly the touched gfns of the split region
 * read 1, then all read 0 when asked again; the paged gfn reads 0; the
 * superpage reads 1 in all 512 gfns after one of them was touched, 0
 * after a round that did not touch it. Bad input gets its error. Where
 * the CPU keeps no accessed bits for the target (VMX without EPT A/D),
 * every call is -EOPNOTSUPP: the pager says so and the test is skipped.
 */
#include <xtf.h>

#include "../pagetest/accessed_mailbox.h"
#include "pager.h"
#include "xenctl.h"

#define WAIT_MS 300000

static uint8_t mbox_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t bits[XENMEM_PAGING_ACCESSED_MAX_NR / 8];

static long accessed(struct pager *p, uint64_t gfn, uint32_t nr, void *to)
{
	struct xen_mem_paging_accessed a = {
		.op = XENMEM_paging_op_accessed,
		.domain = p->target,
		.nr = nr,
		.gfn = gfn,
	};

	set_xen_guest_handle(a.bitmap, (uint8_t *)to);
	return hypercall_memory_op(XENMEM_paging_op, &a);
}

static bool bit(uint32_t i)
{
	return bits[i / 8] & (1u << (i % 8));
}

static volatile uint32_t *map_mailbox(struct pager *p)
{
	uint32_t at = pager_take_hole((uintptr_t)mbox_page);
	int32_t err;
	long rc = foreign_map(p->target, ACC_MBOX_GFN, at, &err);

	if (rc || err)
		xtf_error("pager: mapping d%u's mailbox: %ld (gfn: %d)",
			  p->target, rc, err);
	return (volatile uint32_t *)mbox_page;
}

/* Ask about [gfn, gfn + nr) into bits: the number of bits set. */
static unsigned int ask(struct pager *p, uint32_t gfn, uint32_t nr)
{
	unsigned int set = 0;
	long rc;

	memset(bits, 0xa5, sizeof(bits));
	rc = accessed(p, gfn, nr, bits);
	if (rc)
		xtf_failure("pager: accessed of %u gfns from 0x%x: %ld", nr,
			    gfn, rc);
	for (uint32_t i = 0; i < nr; i++)
		set += bit(i);
	return set;
}

/* The split region after round r (0: nothing touched since last asked). */
static void check_split(struct pager *p, uint32_t r)
{
	unsigned int set = ask(p, ACC_SPLIT, ACC_N + 1);

	for (uint32_t i = 0; i < ACC_N; i++) {
		bool touched = r && (acc_reads(r, i) || acc_writes(r, i));

		if (bit(i) != touched)
			xtf_failure(
				"pager: accessed: round %u: gfn 0x%x reads %u, touched %s",
				r, ACC_SPLIT + i, bit(i),
				touched ? "yes" : "no");
	}
	if (bit(ACC_N))
		xtf_failure("pager: accessed: the paged gfn 0x%x reads 1",
			    ACC_SPLIT + ACC_N);
	printf("pager: accessed: round %u: %u of %u gfns read 1, as touched\n",
	       r, set, ACC_N + 1);
}

static void check_super(struct pager *p, bool touched)
{
	unsigned int set = ask(p, ACC_SUPER, ACC_SUPER_N);

	if (set != (touched ? ACC_SUPER_N : 0))
		xtf_failure(
			"pager: accessed: superpage at 0x%x: %u of %u gfns read 1, want %u",
			ACC_SUPER, set, ACC_SUPER_N, touched ? ACC_SUPER_N : 0);
	printf("pager: accessed: superpage: %u of %u gfns read 1\n", set,
	       ACC_SUPER_N);
}

static void expect(long rc, long want, const char *what)
{
	if (rc != want)
		xtf_failure("pager: accessed: %s: %ld, not %ld", what, rc,
			    want);
}

static void bad_input(struct pager *p)
{
	struct xen_mem_paging_accessed a = {
		.op = XENMEM_paging_op_accessed,
		.nr = 1,
		.gfn = ACC_SPLIT,
	};

	expect(accessed(p, ACC_SPLIT, XENMEM_PAGING_ACCESSED_MAX_NR + 1, bits),
	       -XEN_EINVAL, "nr above the maximum");
	expect(accessed(p, xtf_p2m_end(), 8, bits), -XEN_EINVAL,
	       "gfns past the p2m");
	expect(accessed(p, ACC_SPLIT, 8, (void *)0xffffff00), -XEN_EFAULT,
	       "a bad bitmap");
	set_xen_guest_handle(a.bitmap, bits);
	a.domain = xtf_domid();
	expect(hypercall_memory_op(XENMEM_paging_op, &a), -XEN_EINVAL,
	       "on itself");
	a.domain = DOMID_SELF;
	expect(hypercall_memory_op(XENMEM_paging_op, &a), -XEN_ESRCH,
	       "DOMID_SELF");
}

/* Round r to the target, and wait until it has touched its pages. */
static void round_trip(struct pager *p, volatile uint32_t *mbox, uint32_t r)
{
	uint64_t start = now_ms();

	bench_write(mbox, ACC_GO, r);
	while (bench_read(mbox, ACC_DONE) != r) {
		if (now_ms() - start > WAIT_MS || !pager_target_alive(p))
			xtf_failure("pager: accessed: round %u not done", r);
		pager_sleep_ms(1);
	}
}

void mode_accessed(struct pager *p)
{
	volatile uint32_t *mbox = map_mailbox(p);
	uint64_t split = ACC_SPLIT + ACC_N, one = 1;
	long rc = accessed(p, ACC_SPLIT, 0, NULL);

	if (rc == -XEN_EOPNOTSUPP) {
		if (accessed(p, ACC_SPLIT, 8, bits) != -XEN_EOPNOTSUPP)
			xtf_failure(
				"pager: accessed: -EOPNOTSUPP for nr 0 only");
		bench_write(mbox, ACC_GO, ACC_END);
		pager_pause(p, false);
		xtf_skip(
			"pager: accessed: -EOPNOTSUPP: this CPU keeps no accessed bits for d%u (no EPT A/D flags)",
			p->target);
	}
	expect(rc, 0, "nr 0");
	bad_input(p);
	/* 4 KiB entries for the region: page a gfn beside it out. */
	rc = populate_evicted(p->target, &split, &one);
	if (rc)
		xtf_failure("pager: accessed: populate_evicted of 0x%x: %ld",
			    ACC_SPLIT + ACC_N, rc);
	/*
	 * Nothing ever touched these pages: leaves are made unused, and the
	 * split's pieces carry the superpage's (clear) bit.
	 */
	check_split(p, 0);
	check_super(p, false);
	pager_pause(p, false);
	for (uint32_t r = 1; r <= ACC_ROUNDS; r++) {
		round_trip(p, mbox, r);
		check_split(p, r);
		check_super(p, r == 1);
		/* Nothing touched since: every bit was cleared. */
		check_split(p, 0);
		check_super(p, false);
	}
	bench_write(mbox, ACC_GO, ACC_END);
	while (pager_target_alive(p))
		pager_sleep_ms(10);
	printf("pager: accessed: d%u is gone\n", p->target);
	xtf_success();
}
