/*
 * mode=bench bench=N bench_gfn=G: the pager's side of pagetest's bench=N
 * (../pagetest/bench.c, bench_mailbox.h). It keeps the target's mailbox
 * page mapped, serves the ring, and when the target asks for a round,
 * pauses it and sets the region up: round 1 the first N pages evicted
 * and the next N only nominated (a write to them is a nested fault the
 * hypervisor fixes by itself), later rounds all 2N evicted. It evicts
 * nothing else, so the page-ins served are the benchmark's own. First,
 * with the target paused, it times populate_evicted against nominate and
 * evict page by page over the same region (speedup()).
 */
#include <xtf.h>

#include "../pagetest/bench_mailbox.h"
#include "pager.h"
#include "store.h"
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

static uint64_t time_ns(void)
{
	uint64_t now;

	if (hypercall_get_time(&now))
		xtf_error("pager: get_time failed");
	return now;
}

/* Put count gfns from first back from the store; drop the copies too. */
static void put_back(struct pager *p, uint32_t first, uint32_t count, bool drop)
{
	static uint8_t scratch[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

	for (uint32_t gfn = first; gfn < first + count; gfn++) {
		long rc = paging_op(XENMEM_paging_op_prep, p->target, gfn,
				    store_contents(gfn, scratch));

		if (rc)
			pager_error(p, "bench: prep of gfn 0x%x: %ld", gfn, rc);
		if (drop)
			store_drop(gfn);
	}
}

/*
 * populate_evicted against nominate and evict page by page, over the same
 * count gfns from first, the target paused: their contents are saved
 * first (not timed) and put back after each way. Prints
 * `pager: bench populate_evicted C gfns: one by one A ns/gfn, batched B
 * ns/gfn, speedup S x`.
 */
static void speedup(struct pager *p, uint32_t first, uint32_t count)
{
	static uint64_t gfns[2 * BENCH_MAX];
	uint64_t t0, t1, nr = count;
	uint64_t one_by_one, batched;

	for (uint32_t i = 0; i < count; i++)
		if (!pager_save(p, first + i))
			xtf_error("pager: bench: cannot save gfn 0x%x",
				  first + i);
	t0 = time_ns();
	for (uint32_t gfn = first; gfn < first + count; gfn++)
		if (paging_op(XENMEM_paging_op_nominate, p->target, gfn, 0) ||
		    paging_op(XENMEM_paging_op_evict, p->target, gfn, 0))
			pager_error(p, "bench: gfn 0x%x not evicted", gfn);
	one_by_one = time_ns() - t0;
	put_back(p, first, count, false);
	for (uint32_t i = 0; i < count; i++)
		gfns[i] = first + i;
	t1 = time_ns();
	if (populate_evicted(p->target, gfns, &nr))
		pager_error(p, "bench: populate_evicted stopped at %llu",
			    (unsigned long long)nr);
	batched = time_ns() - t1;
	put_back(p, first, count, true);
	printf("pager: bench populate_evicted %u gfns: one by one %llu ns/gfn, batched %llu ns/gfn, speedup %llu.%llu x\n",
	       count, (unsigned long long)(one_by_one / count),
	       (unsigned long long)(batched / count),
	       (unsigned long long)(one_by_one / batched),
	       (unsigned long long)(one_by_one * 10 / batched % 10));
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
	pager_pause(p, true);
	speedup(p, g + 1, 2 * n);
	pager_pause(p, false);
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
