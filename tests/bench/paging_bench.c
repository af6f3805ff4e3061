/*
 * Host benchmark of paging a domain out through the pager's memory_op:
 * xen/common/memory.c, mem_paging.c, vm_event.c and
 * xen/arch/x86/mm/p2m/paging.c compiled unchanged against the unit
 * tests' shim, on the unit tests' paging domains (tests/unit/
 * paging_fixture.h: an NPT p2m, the ring enabled by the control domain).
 *
 * Each run pages out the same PAGING_GFNS populated, pageable gfns twice:
 * with nominate then evict for each gfn (two XENMEM_paging_op calls a gfn,
 * as a pager without the batch op does it), then with one populate_evicted
 * call over them all; in between the pager brings every gfn back (prep
 * with contents, not timed). The calls go through do_memory_op() as the
 * control domain's vCPU, with their arguments in its "guest" memory (the
 * shim's fake guest copies), and a call that asks to be continued is
 * made again with the cmd it left, as the guest's vCPU would. After each
 * paging out, every gfn must be paged and the domain's pages back in the
 * heap, or the benchmark stops without a figure.
 */
#include <stdlib.h>

#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <public/memory.h>

#include "bench.h"
#include "fake_guest.h"
#include "paging_fixture.h"

#define FIRST_GFN (PG_RING_GFN + 1)
#define MAX_GFN (FIRST_GFN + PAGING_GFNS)
/* The control domain's memory: the op, then the gfn list. */
#define OP_GVA 0UL
#define LIST_GVA PAGE_SIZE
#define GUEST_SIZE (LIST_GVA + PAGING_GFNS * sizeof(u64))

enum {
	P_POPULATE_EVICTED,
	P_NOMINATE_EVICT,
	P_SPEEDUP,
	P_FLUSHES_BATCH,
	P_FLUSHES_SINGLE,
	NR_PAGING_FIGURES
};

static struct {
	const char *name, *unit, *what;
	double value;
} figures[NR_PAGING_FIGURES] = {
	[P_POPULATE_EVICTED] = { "populate_evicted_ns_per_gfn", "ns",
				 "one populate_evicted call over all gfns, "
				 "per gfn" },
	[P_NOMINATE_EVICT] = { "nominate_evict_ns_per_gfn", "ns",
			       "a nominate call and an evict call for each "
			       "gfn, per gfn" },
	[P_SPEEDUP] = { "populate_evicted_speedup", "x",
			"nominate+evict time / populate_evicted time, the "
			"median of the runs' ratios" },
	[P_FLUSHES_BATCH] = { "populate_evicted_flushes_per_gfn", "flushes",
			      "p2m flush requests (nr_flushes) per gfn, "
			      "populate_evicted" },
	[P_FLUSHES_SINGLE] = { "nominate_evict_flushes_per_gfn", "flushes",
			       "the same, nominate+evict" },
};

static u8 *guest;
static DEFINE_SPINLOCK(domlist_lock, LR_DOMLIST);

/* memory_op's domain look-ups, over the fixture's two domains. */
struct domain *domain_find(domid_t id)
{
	return id == pg_dom.domain_id ? &pg_dom :
	       id == pg_ctl.domain_id ? &pg_ctl :
					NULL;
}

struct domain *domain_get(domid_t id)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	d = domain_find(id);
	if (d)
		d->refcnt++;
	spin_unlock(&domlist_lock);
	return d;
}

void domain_put(struct domain *d)
{
	spin_lock(&domlist_lock);
	d->refcnt--;
	spin_unlock(&domlist_lock);
}

/* Nothing else runs: a continuation is asked for by round, never early. */
bool need_resched(void)
{
	return false;
}

/* The pager's memory_op on its op at OP_GVA, continued until done. */
static long memory_op(unsigned long cmd)
{
	struct hypercall_args a = { .a = { cmd, OP_GVA } };
	long rc;

	while ((rc = do_memory_op(&pg_ctl_vcpu, &a)) == -ERESTART)
		;
	return rc;
}

static long paging_op(unsigned int op, unsigned long gfn)
{
	struct xen_mem_paging_op o = {
		.op = op,
		.domain = pg_dom.domain_id,
		.gfn = gfn,
	};

	memcpy(guest + OP_GVA, &o, sizeof(o));
	return memory_op(XENMEM_paging_op);
}

static void nominate_evict_all(void)
{
	unsigned long g;

	for (g = FIRST_GFN; g < MAX_GFN; g++) {
		REQUIRE(!paging_op(XENMEM_paging_op_nominate, g));
		REQUIRE(!paging_op(XENMEM_paging_op_evict, g));
	}
}

static void populate_evicted_all(void)
{
	struct xen_mem_paging_batch b = {
		.op = XENMEM_paging_op_populate_evicted,
		.domain = pg_dom.domain_id,
		.gfns = { .q = LIST_GVA },
		.nr = PAGING_GFNS,
	};

	memcpy(guest + OP_GVA, &b, sizeof(b));
	REQUIRE(!memory_op(XENMEM_paging_op));
}

/* Domain and heap before the gfns are populated (see paged_out()). */
struct pages {
	unsigned long dom_pages, free_and_tables, evictions;
};

static struct pages pages_now(void)
{
	return (struct pages){
		.dom_pages = pg_dom.tot_pages,
		.free_and_tables = total_free_pages() + pg_p2m.nr_tables,
		.evictions = pg_dom.nr_evictions,
	};
}

/*
 * Every gfn paged out, each frame evicted once and back in the heap (the
 * p2m's tables stay), so that a call that skipped or failed a gfn ends
 * the benchmark rather than timing less work.
 */
static void paged_out(const struct pages *before)
{
	struct pages now = pages_now();
	unsigned long g;

	for (g = FIRST_GFN; g < MAX_GFN; g++)
		if (pg_type(g) != p2m_ram_paged)
			FAIL("gfn %#lx not paged out (type %d)", g, pg_type(g));
	REQUIRE(pg_dom.nr_paged == PAGING_GFNS);
	REQUIRE(now.evictions == before->evictions + PAGING_GFNS);
	REQUIRE(now.dom_pages == before->dom_pages);
	REQUIRE(now.free_and_tables == before->free_and_tables);
}

/* The pager brings every gfn back with contents (prep), untimed. */
static void page_in_all(void)
{
	unsigned long g;

	for (g = FIRST_GFN; g < MAX_GFN; g++)
		REQUIRE(!pg_prep(g, (u8)g));
	REQUIRE(!pg_dom.nr_paged);
}

/* ns per gfn of paging out all gfns with fn, checked; flushes per gfn. */
static double page_out_ns(void (*fn)(void), const struct pages *before,
			  double *flushes)
{
	unsigned long f0;
	double t0, t1;

	page_in_all();
	f0 = pg_p2m.nr_flushes;
	t0 = now_ns();
	fn();
	t1 = now_ns();
	*flushes = (double)(pg_p2m.nr_flushes - f0) / PAGING_GFNS;
	paged_out(before);
	return (t1 - t0) / PAGING_GFNS;
}

static int precision(unsigned int i)
{
	return i == P_SPEEDUP ? 2 : !strcmp(figures[i].unit, "ns") ? 1 : 3;
}

void paging_bench(void)
{
	double batch[ROUNDS], single[ROUNDS], ratio[ROUNDS];
	struct pages before;
	unsigned long g;
	unsigned int r, i;

	guest = calloc(1, GUEST_SIZE);
	REQUIRE(guest);
	fake_guest_mem(guest, GUEST_SIZE, 0, 0);
	for (g = FIRST_GFN; g < MAX_GFN; g++)
		((u64 *)(guest + LIST_GVA))[g - FIRST_GFN] = g;
	pg_setup_domains(MAX_GFN);
	pg_ring_enable();

	before = pages_now();
	/* Populated, then paged out: the rounds start from paged gfns. */
	for (g = FIRST_GFN; g < MAX_GFN; g++)
		pg_populate(g, (u8)g);
	populate_evicted_all();
	paged_out(&before);
	for (r = 0; r < ROUNDS; r++) {
		before = pages_now();
		single[r] = page_out_ns(nominate_evict_all, &before,
					&figures[P_FLUSHES_SINGLE].value);
		before = pages_now();
		batch[r] = page_out_ns(populate_evicted_all, &before,
				       &figures[P_FLUSHES_BATCH].value);
		ratio[r] = single[r] / batch[r];
	}
	figures[P_POPULATE_EVICTED].value = median(batch, ROUNDS);
	figures[P_NOMINATE_EVICT].value = median(single, ROUNDS);
	figures[P_SPEEDUP].value = median(ratio, ROUNDS);
	for (i = 0; i < NR_PAGING_FIGURES; i++)
		printf("bench %s %.*f %s\n", figures[i].name, precision(i),
		       figures[i].value, figures[i].unit);
	fflush(stdout);
	free(guest);
}

void paging_report(FILE *f)
{
	unsigned int i;

	fprintf(f, "## Paging, on the host\n\n"
		   "| figure | value | unit | what |\n|---|---:|---|---|\n");
	for (i = 0; i < NR_PAGING_FIGURES; i++)
		fprintf(f, "| %s | %.*f | %s | %s |\n", figures[i].name,
			precision(i), figures[i].value, figures[i].unit,
			figures[i].what);
	fprintf(f,
		"\nThe pager's XENMEM_paging_op (xen/common/mem_paging.c, "
		"paging.c, vm_event.c),\n"
		"built and run like the p2m rows: %lu populated gfns of one "
		"domain (%lu MiB,\n"
		"an NPT p2m, the paging ring enabled) paged out by the control "
		"domain's vCPU\n"
		"through `do_memory_op()`, its arguments in its (fake) guest "
		"memory, a call\n"
		"that asks to be continued made again with the cmd it left. "
		"Each of %d runs\n"
		"pages the same gfns out twice: with nominate then evict for "
		"each gfn (two\n"
		"calls a gfn, as a pager without the batch op does it), then "
		"with one\n"
		"populate_evicted call over them all (%d gfns a batch). Before "
		"each, the pager\n"
		"brings every gfn back (prep with contents), untimed. After "
		"each, every gfn\n"
		"must be paged, evicted once, and its frame back in the heap, "
		"or the benchmark\n"
		"stops without a figure. The ns figures are medians of the "
		"runs.\n\n"
		"The flush rows count the p2m's flush requests: one for each "
		"nominate and each\n"
		"evict, one per populate_evicted batch, and in both one per "
		"2 MiB where the\n"
		"p2m merges 512 paged entries into one 2 MiB entry.\n\n"
		"Not included: the VM exit and entry of each hypercall (none "
		"here), the TLB\n"
		"flushes themselves (a request is counted; no CPU is asked to "
		"flush) and other\n"
		"CPUs using the p2m. So the speedup is the per-call work the "
		"batch saves\n"
		"(argument copy, domain look-up, ring check, range lock and "
		"lookup twice a gfn)\n"
		"and its flush requests; a pager in a guest also saves two "
		"exits a gfn, and a\n"
		"hypervisor two TLB flushes (\"Paging, in a guest\" below). "
		"Xen's out-of-tree\n"
		"version measured 5.4x for 512k gfns, exits and flushes "
		"included.\n\n",
		(unsigned long)PAGING_GFNS, (unsigned long)PAGING_GFNS >> 8,
		ROUNDS, MEM_PAGING_BATCH);
}
