/*
 * xen/common/frametable.c: pfn validity over sparse RAM, the frame table
 * behind it, and frametable_add()'s errors.
 */
#include <stdlib.h>

#include <xen/errno.h>
#include <xen/mm.h>

#include "harness.h"
#include "shim.h"

struct range {
	unsigned long s, e;
};

/* Sparse: several sections, the last pfn there is, a lone sub-section. */
static const struct range sparse[] = {
	{ 0x200, 0x600 },    { 0x1000, 0x1200 },   { 0x9000, 0xa000 },
	{ 0xfe00, 0x10400 }, { 0x48000, 0x48200 }, { MAX_PFN - 0x400, MAX_PFN },
};

/* next_valid[pfn]: the model's first valid pfn >= pfn, or MAX_PFN. */
static unsigned long *model_next_valid(const struct range *r, unsigned int n)
{
	unsigned long *next = malloc((MAX_PFN + 1) * sizeof(*next));
	unsigned long pfn;
	unsigned int i;

	if (!next)
		FAIL("out of memory");
	next[MAX_PFN] = MAX_PFN;
	for (pfn = MAX_PFN; pfn-- > 0;) {
		next[pfn] = next[pfn + 1];
		for (i = 0; i < n; i++)
			if (pfn >= r[i].s && pfn < r[i].e)
				next[pfn] = pfn;
	}
	return next;
}

/* The first valid pfn in [pfn, end), or end if there is none. */
static unsigned long model_next(const unsigned long *next, unsigned long pfn,
				unsigned long end)
{
	return pfn < MAX_PFN && next[pfn] < end ? next[pfn] : end;
}

TEST(frametable_sparse_validity)
{
	static const unsigned long far[] = { MAX_PFN, MAX_PFN + 1, MAX_PFN << 4,
					     ~0UL };
	unsigned long *next, pfn, n = 0, total = 0;
	uint64_t seed = test_seed();
	unsigned int i;

	CHECK_EQ(max_valid_pfn(), 0);
	for (i = 0; i < ARRAY_SIZE(sparse); i++) {
		CHECK_EQ(frametable_add(sparse[i].s, sparse[i].e), 0);
		total += sparse[i].e - sparse[i].s;
	}
	next = model_next_valid(sparse, ARRAY_SIZE(sparse));

	for (pfn = 0; pfn < MAX_PFN; pfn++) {
		if (pfn_valid(pfn) != (next[pfn] == pfn))
			FAIL("pfn_valid(%#lx) = %d", pfn, pfn_valid(pfn));
		if (!pfn_valid(pfn))
			continue;
		/* Initialised, reserved: the caller decides what it is for. */
		CHECK_EQ(pfn_to_page(pfn)->count_info, PGC_state_reserved);
		CHECK_EQ(pfn_to_page(pfn)->list.next, PAGE_LIST_NULL);
		CHECK_EQ(pfn_to_page(pfn)->list.prev, PAGE_LIST_NULL);
		CHECK(!page_get_owner(pfn_to_page(pfn)));
	}
	for (i = 0; i < ARRAY_SIZE(far); i++) {
		CHECK(!pfn_valid(far[i]));
		CHECK_EQ(next_valid_pfn(far[i], ~0UL), ~0UL);
		CHECK_EQ(next_valid_pfn(0x400, far[i]), 0x400);
		CHECK_EQ(next_valid_pfn(MAX_PFN - 1, far[i]), MAX_PFN - 1);
	}
	CHECK_EQ(max_valid_pfn(), MAX_PFN - 1);

	for (i = 0; i < 200000; i++) {
		unsigned long s = rnd_below(&seed, MAX_PFN + 0x1000);
		unsigned long e = rnd_below(&seed, 4) ?
					  s + rnd_below(&seed, 0x20000) :
					  rnd_below(&seed, MAX_PFN * 2);

		if (next_valid_pfn(s, e) != model_next(next, s, e))
			FAIL("next_valid_pfn(%#lx, %#lx) = %#lx, not %#lx", s,
			     e, next_valid_pfn(s, e), model_next(next, s, e));
	}
	/* An end past MAX_PFN: the walk still ends. */
	for_each_valid_pfn(pfn, 0, ~0UL) {
		CHECK(next[pfn] == pfn);
		n++;
	}
	CHECK_EQ(n, total);
	free(next);
}

TEST(frametable_add_errors)
{
	static const struct range invalid[] = { { 0x400, 0x400 },
						{ 0x600, 0x400 },
						{ 0x100, 0x400 },
						{ 0x400, 0x500 },
						{ 0x400, 0x401 },
						{ MAX_PFN - 0x200,
						  MAX_PFN + 0x200 },
						{ MAX_PFN, MAX_PFN + 0x200 } };
	static const struct range overlapping[] = {
		{ 0x1000, 0x1400 }, { 0xe00, 0x1200 },	{ 0x1200, 0x1600 },
		{ 0xe00, 0x1600 },  { 0x1200, 0x1400 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(invalid); i++)
		CHECK_EQ(frametable_add(invalid[i].s, invalid[i].e), -EINVAL);
	CHECK_EQ(frametable_add(0x1000, 0x1400), 0);
	for (i = 0; i < ARRAY_SIZE(overlapping); i++)
		CHECK_EQ(frametable_add(overlapping[i].s, overlapping[i].e),
			 -EEXIST);
	/* Nothing around the failed ranges became valid. */
	CHECK_EQ(next_valid_pfn(0, MAX_PFN), 0x1000);
	CHECK_EQ(next_valid_pfn(0x1400, MAX_PFN), MAX_PFN);
	CHECK_EQ(max_valid_pfn(), 0x13ff);
	CHECK_EQ(frametable_add(0x1400, 0x1600), 0);
	CHECK_EQ(frametable_add(0xe00, 0x1000), 0);
	CHECK_EQ(next_valid_pfn(0, MAX_PFN), 0xe00);
	CHECK_EQ(next_valid_pfn(0x1600, MAX_PFN), MAX_PFN);
}

TEST(frametable_add_out_of_memory)
{
	/* A new section needs frame-table memory; a populated one not. */
	CHECK_EQ(frametable_add(0x200, 0x400), 0);
	shim_populate_fail = true;
	CHECK_EQ(frametable_add(SECTION_PAGES * 3, SECTION_PAGES * 3 + 0x200),
		 -ENOMEM);
	CHECK(!pfn_valid(SECTION_PAGES * 3));
	CHECK_EQ(next_valid_pfn(0x400, MAX_PFN), MAX_PFN);
	CHECK_EQ(frametable_add(0x400, 0x600), 0);
	shim_populate_fail = false;
	CHECK_EQ(frametable_add(SECTION_PAGES * 3, SECTION_PAGES * 3 + 0x200),
		 0);
	CHECK(pfn_valid(SECTION_PAGES * 3));
	CHECK_EQ(max_valid_pfn(), SECTION_PAGES * 3 + 0x1ff);
}

TEST(frametable_spanning_sections)
{
	unsigned long s = SECTION_PAGES - 0x200, e = 2 * SECTION_PAGES + 0x200;
	unsigned long pfn;

	/* Three sections' frame table, each populated once (shim checks) */
	CHECK_EQ(frametable_add(s, e), 0);
	CHECK_EQ(frametable_add(e, e + 0x200), 0);
	CHECK_EQ(frametable_add(s - 0x200, s), 0);
	for (pfn = s - 0x200; pfn < e + 0x200; pfn++)
		if (!pfn_valid(pfn) ||
		    pfn_to_page(pfn)->count_info != PGC_state_reserved)
			FAIL("pfn %#lx not valid and reserved", pfn);
	CHECK(!pfn_valid(s - 0x201));
	CHECK(!pfn_valid(e + 0x200));
}
