/*
 * mode=bench bench=N bench_gfn=G: the pager's side of pagetest's bench=N
 * (../pagetest/bench.c, bench_mailbox.h). It keeps the target's mailbox
 * page mapped, serves the ring, and when the target asks for a round,
 * pauses it and sets the region up: round 1 the first N pages evicted
 * and the next N only nominated (a write to them is a nested fault the
 * hypervisor fixes by itself), later rounds all 2N evicted. It evicts
 * nothing else, so the page-ins served are the benchmark's own.
 */
#include <xtf.h>

#include "../pagetest/bench_mailbox.h"
#include "pager.h"
#include "xenctl.h"

/* Where the mailbox is mapped: a page of our image, made a hole. */
static uint8_t mbox_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static volatile uint32_t *map_mailbox(struct pager *p, uint32_t gfn)
{
	uint32_t at = (uintptr_t)mbox_page >> PAGE_SHIFT;
	int32_t err;
	long rc = hypercall_reservation(XENMEM_decrease_reservation, &at, 1, 0);

	if (rc != 1)
		xtf_error("pager: decrease_reservation of gfn 0x%x: %ld", at,
			  rc);
	rc = foreign_map(p->target, gfn, at, &err);
	if (rc || err)
		xtf_error(
			"pager: mapping d%u's mailbox gfn 0x%x: %ld (gfn: %d)",
			p->target, gfn, rc, err);
	return (volatile uint32_t *)mbox_page;
}

/* Round r: the 2n gfns from first set up, with the target paused. */
static void set_up(struct pager *p, uint32_t first, uint32_t n, uint32_t r)
{
	uint32_t evict = r == BENCH_RATIO ? n : 2 * n;

	for (uint32_t gfn = first; gfn < first + 2 * n; gfn++) {
		long rc = 0;

		if (gfn < first + evict) {
			if (!pager_evict(p, gfn))
				rc = -1;
		} else {
			rc = paging_op(XENMEM_paging_op_nominate, p->target,
				       gfn, 0);
		}
		if (rc)
			pager_error(p, "bench round %u: gfn 0x%x not %s: %ld",
				    r, gfn,
				    gfn < first + evict ? "evicted" :
							  "nominated",
				    rc);
	}
}

void mode_bench(struct pager *p)
{
	uint32_t n = cmdline_uint("bench", 0);
	uint32_t g = cmdline_uint("bench_gfn", 0);
	volatile uint32_t *mbox;
	uint32_t done = 0;

	if (!n || n > BENCH_MAX || !g || g + 2 * n >= p->nr_gfns)
		xtf_error(
			"pager: mode=bench wants bench=N (1 to %u) and bench_gfn=G, 2N + 1 gfns of the target's",
			BENCH_MAX);
	pager_ring_up(p);
	mbox = map_mailbox(p, g);
	while (pager_target_alive(p)) {
		/*
		 * The mailbox first: the notices of round r (EVICT_FAIL of its
		 * nominated gfns) were on the ring before pagetest asked for
		 * round r + 1, so this serve takes them before the set-up
		 * evicts those gfns again.
		 */
		uint32_t ask = bench_read(mbox, BENCH_ASK);
		bool busy = pager_serve(p);

		if (ask != done) {
			pager_pause(p, true);
			set_up(p, g + 1, n, ask);
			bench_write(mbox, BENCH_DONE, ask);
			done = ask;
			pager_pause(p, false);
			busy = true;
		}
		if (!busy)
			pager_wait(p);
	}
	foreign_unmap((uintptr_t)mbox_page >> PAGE_SHIFT);
	printf("pager: bench: %u rounds set up\n", done);
	if (!done)
		pager_error(p, "bench: the target asked for no round");
}
