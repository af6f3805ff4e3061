/*
 * Paging with threads and at random (paging.c, vm_event.c, wait.c):
 *
 * - vCPU threads of dom fault (P2M_ALLOC lookups as dom's own vCPUs) on
 *   paged gfns, several on each, while a pager thread serves the ring with
 *   prep and responses: every gfn comes back with its own bytes, each was
 *   asked for exactly once, nobody sleeps forever (a watchdog fails the
 *   test with the states it sees instead of letting it hang).
 * - A model: random nominate, evict, prep, populate_evicted, drop and
 *   guest writes against a reference map of the state of every gfn, each
 *   return code and the final states and counters checked.
 */
#include <time.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/vm_event.h>
#include <public/memory.h>
#include "harness.h"
#include "paging_fixture.h"
#include "shim.h"

#define NR_GFNS 64
#define FIRST_GFN 0x100UL
#define ROUNDS 20

static unsigned long asked[NR_GFNS];
static bool pager_stop, faulters_done[PG_NR_VCPUS];

static u8 pattern(unsigned long gfn, unsigned int round)
{
	return (u8)(gfn * 7 + round + 1);
}

/* Touch every gfn, in an order of its own: each must have its bytes. */
static void faulter(void *arg)
{
	struct vcpu *v = arg;
	unsigned int i;

	this_cpu(curr_vcpu) = v;
	for (i = 0; i < NR_GFNS; i++) {
		unsigned long gfn =
			FIRST_GFN + (i * (2 * v->vcpu_id + 1)) % NR_GFNS;
		struct p2m_lookup r;
		const u8 *p;

		CHECK_EQ(p2m_get_gfn(&pg_p2m, _gfn(gfn), P2M_ALLOC, &r), 0);
		CHECK_EQ(r.t, p2m_ram_rw);
		p = page_to_virt(pfn_to_page(mfn_x(r.mfn)));
		CHECK_EQ(p[0], pattern(gfn, 0));
		CHECK_EQ(p[PAGE_SIZE - 1], pattern(gfn, 0));
		put_gfn(&pg_p2m, _gfn(gfn));
	}
	__atomic_store_n(&faulters_done[v->vcpu_id], true, __ATOMIC_RELEASE);
}

/* The pager: each request answered with prep of the gfn's bytes. */
static void pager(void *arg)
{
	struct vm_event_sring *s = arg;
	vm_event_request_t req;
	unsigned int cons = 0;

	this_cpu(curr_vcpu) = &pg_ctl_vcpu;
	while (!__atomic_load_n(&pager_stop, __ATOMIC_ACQUIRE)) {
		unsigned long gfn;

		if (!pg_take_request(s, &cons, &req)) {
			usleep(50);
			continue;
		}
		gfn = req.u.mem_paging.gfn;
		CHECK(gfn >= FIRST_GFN && gfn < FIRST_GFN + NR_GFNS);
		CHECK(!(req.flags & VM_EVENT_FLAG_FOREIGN));
		CHECK(req.flags & VM_EVENT_FLAG_VCPU_PAUSED);
		asked[gfn - FIRST_GFN]++;
		CHECK_EQ(pg_prep(gfn, pattern(gfn, 0)), 0);
		CHECK_EQ(pg_respond(s, &req), 0);
	}
}

static bool all_done(void)
{
	unsigned int i;

	for (i = 0; i < PG_NR_VCPUS; i++)
		if (!__atomic_load_n(&faulters_done[i], __ATOMIC_ACQUIRE))
			return false;
	return true;
}

TEST(paging_threads_fault_and_serve)
{
	pthread_t vcpus[PG_NR_VCPUS], pg;
	struct vm_event_sring *s;
	unsigned long total;
	unsigned int i, ms;
	u64 gfns[NR_GFNS];
	unsigned int done;

	pg_setup();
	s = pg_ring_enable();
	for (i = 0; i < NR_GFNS; i++) {
		pg_populate(FIRST_GFN + i, pattern(FIRST_GFN + i, 0));
		gfns[i] = FIRST_GFN + i;
	}
	/* Half evicted one by one, half in a batch. */
	for (i = 0; i < NR_GFNS / 2; i++) {
		CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, gfns[i]), 0);
		CHECK_EQ(p2m_mem_paging_evict(&pg_dom, gfns[i]), 0);
	}
	CHECK_EQ(p2m_mem_paging_populate_evicted(&pg_dom, gfns + NR_GFNS / 2,
						 NR_GFNS / 2, &done),
		 0);
	total = pg_pages_now();

	pg = shim_thread_start(pager, s);
	for (i = 0; i < PG_NR_VCPUS; i++)
		vcpus[i] = shim_thread_start(faulter, &pg_dom_vcpu[i]);
	/* The watchdog: 10 s for the 4 x 64 touches. */
	for (ms = 0; !all_done(); ms++) {
		if (ms == 10000) {
			for (i = 0; i < PG_NR_VCPUS; i++)
				printk("v%u: done %d, state %d\n", i,
				       faulters_done[i], pg_dom_vcpu[i].state);
			FAIL("vCPUs still asleep after 10 s");
		}
		usleep(1000);
	}
	for (i = 0; i < PG_NR_VCPUS; i++)
		shim_thread_join(vcpus[i]);
	__atomic_store_n(&pager_stop, true, __ATOMIC_RELEASE);
	shim_thread_join(pg);

	for (i = 0; i < NR_GFNS; i++) {
		CHECK_EQ(asked[i], 1);
		CHECK_EQ(pg_byte(FIRST_GFN + i), pattern(FIRST_GFN + i, 0));
	}
	CHECK_EQ(pg_dom.nr_paged, 0);
	CHECK_EQ(pg_dom.nr_pageins, NR_GFNS);
	CHECK_EQ(pg_dom.nr_evictions, NR_GFNS);
	CHECK_EQ(pg_pages_now(), total);
}

/* The model: what each gfn should be. */
enum mstate { M_HOLE, M_RW, M_OUT, M_PAGED };

#define M_GFNS 48
#define M_FIRST 0x200UL
#define M_OPS 20000

static const p2m_type_t mtype[] = {
	[M_HOLE] = p2m_invalid,
	[M_RW] = p2m_ram_rw,
	[M_OUT] = p2m_ram_paging_out,
	[M_PAGED] = p2m_ram_paged,
};

static void model_write(unsigned long gfn, enum mstate *st, u8 *fill)
{
	struct p2m_lookup r;
	int rc;

	this_cpu(curr_vcpu) = &pg_dom_vcpu[0];
	rc = p2m_get_gfn(&pg_p2m, _gfn(gfn), P2M_UNSHARE | P2M_NOWAIT, &r);
	if (*st == M_RW || *st == M_OUT) {
		CHECK_EQ(rc, 0);
		CHECK_EQ(r.t, p2m_ram_rw);
		CHECK_EQ(*(u8 *)page_to_virt(pfn_to_page(mfn_x(r.mfn))), *fill);
		*st = M_RW;
	} else if (*st == M_PAGED) {
		/* No ring here: the page-in cannot start. */
		CHECK_EQ(rc, -EAGAIN);
	} else {
		CHECK_EQ(rc, 0);
		CHECK_EQ(r.t, p2m_invalid);
	}
	put_gfn(&pg_p2m, _gfn(gfn));
	this_cpu(curr_vcpu) = &pg_ctl_vcpu;
}

TEST(paging_model)
{
	enum mstate st[M_GFNS] = { 0 };
	u8 fill[M_GFNS] = { 0 };
	unsigned long paged = 0, evictions = 0, pageins = 0, total, op;
	uint64_t seed = test_seed();
	unsigned int i;

	pg_setup();
	for (i = 0; i < M_GFNS; i += 2) {
		pg_populate(M_FIRST + i, i);
		st[i] = M_RW;
		fill[i] = i;
	}
	total = pg_pages_now();
	for (op = 0; op < M_OPS; op++) {
		unsigned int k = rnd(&seed) % M_GFNS, n, j, done;
		unsigned long gfn = M_FIRST + k;
		u64 gfns[8];
		u8 f;
		int rc;

		switch (rnd(&seed) % 6) {
		case 0:
			rc = p2m_mem_paging_nominate(&pg_dom, gfn);
			CHECK_EQ(rc, st[k] == M_RW   ? 0 :
				     st[k] == M_HOLE ? -EINVAL :
						       -EBUSY);
			if (!rc)
				st[k] = M_OUT;
			break;
		case 1:
			rc = p2m_mem_paging_evict(&pg_dom, gfn);
			CHECK_EQ(rc, st[k] == M_OUT ? 0 :
				     st[k] == M_RW  ? -EBUSY :
						      -EINVAL);
			if (!rc) {
				st[k] = M_PAGED;
				paged++;
				evictions++;
			}
			break;
		case 2:
			f = rnd(&seed);
			rc = pg_prep(gfn, f);
			CHECK_EQ(rc, st[k] == M_PAGED ? 0 : -EINVAL);
			if (!rc) {
				fill[k] = f;
				st[k] = M_RW;
				paged--;
				pageins++;
			}
			break;
		case 3:
			rc = p2m_mem_paging_drop(&pg_dom, gfn);
			CHECK_EQ(rc, st[k] == M_PAGED);
			if (rc) {
				st[k] = M_HOLE;
				paged--;
			}
			break;
		case 4:
			model_write(gfn, &st[k], &fill[k]);
			break;
		default:
			n = 1 + rnd(&seed) % 8;
			for (j = 0; j < n; j++)
				gfns[j] = M_FIRST + rnd(&seed) % M_GFNS;
			rc = p2m_mem_paging_populate_evicted(&pg_dom, gfns, n,
							     &done);
			for (j = 0; j < n; j++) {
				unsigned int g = gfns[j] - M_FIRST;

				if (st[g] == M_OUT)
					break;
				if (st[g] != M_PAGED)
					paged++;
				if (st[g] == M_RW)
					evictions++;
				st[g] = M_PAGED;
			}
			CHECK_EQ(done, j);
			CHECK_EQ(rc, j == n ? 0 : -EBUSY);
			break;
		}
		CHECK_EQ(pg_type(gfn), mtype[st[k]]);
		CHECK_EQ(pg_dom.nr_paged, paged);
	}
	for (i = 0; i < M_GFNS; i++) {
		CHECK_EQ(pg_type(M_FIRST + i), mtype[st[i]]);
		if (st[i] == M_RW)
			CHECK_EQ(pg_byte(M_FIRST + i), fill[i]);
	}
	CHECK_EQ(pg_dom.nr_evictions, evictions);
	CHECK_EQ(pg_dom.nr_pageins, pageins);
	/* Pages of holes and drops went; the rest is all accounted for. */
	CHECK_EQ(pg_pages_now(), total);
}
