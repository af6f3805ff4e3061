/*
 * balloon: memory_op on the guest's own memory, from a 32-bit guest with
 * paging off (Xen's compat layout: 32-bit handle and frame numbers). vCPU
 * 0 only. In this order:
 *
 *   (first the console ring's page above RAM is ballooned out)
 *   counts    current_reservation <= maximum_reservation, by DOMID_SELF
 *             and by its own id; maximum_gpfn is the last page of RAM; a
 *             domain that does not exist -ESRCH.
 *   args      extent_order 3 -EINVAL; nr_extents past 2^26 - 1 -EINVAL;
 *             mem_flags -EINVAL; an unaligned, wrapping or unmapped list
 *             -EFAULT; nothing changes.
 *   4k        the top 64 pages of RAM the guest does not use are filled
 *             with a pattern and ballooned out in one call (continued by
 *             the hypervisor): 64 done, the reservation 64 lower,
 *             maximum_gpfn below them. Populated back: 64 done, the
 *             reservation restored, every byte zero.
 *   twice     populate of a populated gfn fails for that extent: a list
 *             (free, populated, free) stops after 1.
 *   beyond    the gfn after RAM's two reserved ones (the paging ring's
 *             and the console ring's, docs/domains.md) populates (1
 *             done, zero) and goes back; the p2m takes every gfn the
 *             guest can address, and the first past that fails (0 done).
 *   2m        a free 2 MiB aligned region (if there is one): out as one
 *             order-9 extent, back as one, zero; a misaligned order-9
 *             extent fails.
 *   max       with 2 pages out, increase_reservation of 4 more than
 *             the room below max_pages adds only the room (frames the
 *             domain owns but has in no gfn, as Xen gives a HVM domain),
 *             after which populating the 2 gfns does 0; current ==
 *             maximum.
 *
 * SUCCESS if everything holds, else FAILURE naming the first check that
 * did not.
 */
#include <xtf.h>

#define NR_TOP 64
#define ORDER_2M 9
#define PAGES_2M (1u << ORDER_2M)
#define SIZE_2M (PAGES_2M * PAGE_SIZE)
#define GiB4 (1ULL << 32)
#define DOMID_MISSING 0x7ff1 /* no domain has this id */

static uint32_t top[NR_TOP]; /* gfns */
static uint32_t ram_end; /* gfn after the last page of RAM */

static long current(void)
{
	return hypercall_memory_count(XENMEM_current_reservation, DOMID_SELF);
}

/* Each RAM entry's usable [start, end) below 4 GiB, page aligned. */
static bool ram_entry(const struct hvm_memmap_table_entry *e, uint64_t *start,
		      uint64_t *end)
{
	if (e->type != XEN_HVM_MEMMAP_TYPE_RAM)
		return false;
	*start = (e->addr + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	*end = (e->addr + e->size) & ~(uint64_t)(PAGE_SIZE - 1);
	if (*end > GiB4)
		*end = GiB4;
	return *start < *end;
}

/* The highest NR_TOP free pages, and the end of RAM. */
static void find_top_pages(void)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int nr, i, n = 0;

	map = xtf_memmap(&nr);
	for (i = 0; i < nr; i++) {
		uint64_t start, end, p;

		if (!ram_entry(&map[i], &start, &end))
			continue;
		if ((end >> PAGE_SHIFT) > ram_end)
			ram_end = end >> PAGE_SHIFT;
		for (p = end; p > start && n < NR_TOP; p -= PAGE_SIZE)
			if (!xtf_in_use(p - PAGE_SIZE, p))
				top[n++] = (p - PAGE_SIZE) >> PAGE_SHIFT;
	}
	if (n < NR_TOP)
		xtf_error("only %u free pages", n);
}

/* A free 2 MiB aligned region below the top pages, or 0 if none. */
static uint32_t find_free_2m(void)
{
	const struct hvm_memmap_table_entry *map;
	uint32_t lowest_top = top[NR_TOP - 1] << PAGE_SHIFT;
	unsigned int nr, i;

	map = xtf_memmap(&nr);
	for (i = 0; i < nr; i++) {
		uint64_t start, end, p;

		if (!ram_entry(&map[i], &start, &end))
			continue;
		/* 0 means none: the region at 0 is never taken. */
		p = (start + SIZE_2M - 1) & ~(uint64_t)(SIZE_2M - 1);
		for (p = p ? p : SIZE_2M;
		     p + SIZE_2M <= end && p + SIZE_2M <= lowest_top;
		     p += SIZE_2M)
			if (!xtf_in_use(p, p + SIZE_2M))
				return p;
	}
	return 0;
}

static void *page(uint32_t gfn)
{
	return (void *)(uintptr_t)(gfn << PAGE_SHIFT);
}

static void fill(uint32_t gfn, unsigned int nr)
{
	uint32_t *w = page(gfn);
	unsigned int i;

	for (i = 0; i < nr * PAGE_SIZE / 4; i++)
		w[i] = (gfn << PAGE_SHIFT) + i * 4 + 1;
}

static void check_zero(uint32_t gfn, unsigned int nr, const char *what)
{
	const uint32_t *w = page(gfn);
	unsigned int i;

	for (i = 0; i < nr * PAGE_SIZE / 4; i++)
		check(!w[i], "%s: gfn %#x word %u is %#x, not 0", what,
		      gfn + i / (PAGE_SIZE / 4), i % (PAGE_SIZE / 4), w[i]);
}

static void test_counts(void)
{
	long cur = current();
	long max =
		hypercall_memory_count(XENMEM_maximum_reservation, DOMID_SELF);

	check(cur > 0 && cur <= max, "current %ld, maximum %ld", cur, max);
	check_rc(hypercall_memory_count(XENMEM_current_reservation,
					xtf_domid()),
		 cur, "current_reservation(own id)");
	check_rc(hypercall_memory_count(XENMEM_maximum_gpfn, DOMID_SELF),
		 ram_end - 1, "maximum_gpfn");
	check_rc(hypercall_memory_count(XENMEM_current_reservation,
					DOMID_MISSING),
		 -XEN_ESRCH, "current_reservation(missing domain)");
	check_rc(hypercall_memory_op(XENMEM_current_reservation,
				     (void *)0xfffffffeu),
		 -XEN_EFAULT, "current_reservation(bad pointer)");
}

static long reservation_raw(unsigned int op, uint32_t list, uint32_t nr,
			    uint32_t order, uint32_t flags)
{
	struct compat_memory_reservation r = {
		.nr_extents = nr,
		.extent_order = order,
		.mem_flags = flags,
		.domid = DOMID_SELF,
	};

	set_compat_handle(r.extent_start, list);
	return hypercall_memory_op(op, &r);
}

static void test_args(void)
{
	long cur = current();
	uint32_t list = (uintptr_t)top;

	check_rc(reservation_raw(XENMEM_decrease_reservation, list, 1, 3, 0),
		 -XEN_EINVAL, "decrease order 3");
	check_rc(reservation_raw(XENMEM_decrease_reservation, list, 1u << 26, 0,
				 0),
		 -XEN_EINVAL, "decrease 2^26 extents");
	check_rc(reservation_raw(XENMEM_populate_physmap, list, 1, 0, 1),
		 -XEN_EINVAL, "populate mem_flags 1");
	check_rc(reservation_raw(XENMEM_decrease_reservation, list + 2, 1, 0,
				 0),
		 -XEN_EFAULT, "decrease unaligned list");
	check_rc(reservation_raw(XENMEM_decrease_reservation, 0xfffffff0u, 8, 0,
				 0),
		 -XEN_EFAULT, "decrease wrapping list");
	check_rc(reservation_raw(XENMEM_decrease_reservation, 0xf0000000u, 1, 0,
				 0),
		 -XEN_EFAULT, "decrease unmapped list");
	check_rc(hypercall_memory_op(XENMEM_decrease_reservation,
				     (void *)0xfffffff0u),
		 -XEN_EFAULT, "decrease bad reservation pointer");
	check_rc(hypercall_memory_op(5, 0), -XEN_ENOSYS, "memory_op 5");
	check_rc(current(), cur, "current after bad arguments");
}

/* The highest gfn of RAM that is not one of top[]. */
static uint32_t highest_kept(void)
{
	uint32_t g = ram_end - 1;
	unsigned int i;

	for (i = 0; i < NR_TOP; i++)
		if (top[i] == g) {
			g--;
			i = -1u;
		}
	return g;
}

static void test_4k(void)
{
	long cur = current();
	unsigned int i;

	for (i = 0; i < NR_TOP; i++)
		fill(top[i], 1);
	check_rc(hypercall_reservation(XENMEM_decrease_reservation, top, NR_TOP,
				       0),
		 NR_TOP, "decrease 64");
	check_rc(current(), cur - NR_TOP, "current after decrease");
	check_rc(hypercall_memory_count(XENMEM_maximum_gpfn, DOMID_SELF),
		 highest_kept(), "maximum_gpfn after decrease");
	check_rc(hypercall_reservation(XENMEM_populate_physmap, top, NR_TOP, 0),
		 NR_TOP, "populate 64");
	check_rc(current(), cur, "current after populate");
	for (i = 0; i < NR_TOP; i++)
		check_zero(top[i], 1, "repopulated page");
	check_rc(hypercall_memory_count(XENMEM_maximum_gpfn, DOMID_SELF),
		 ram_end - 1, "maximum_gpfn after populate");
}

static void test_twice(void)
{
	uint32_t list[3] = { top[0], top[1], top[2] };
	long cur = current();

	check_rc(hypercall_reservation(XENMEM_decrease_reservation, &list[0], 1,
				       0),
		 1, "decrease top[0]");
	check_rc(hypercall_reservation(XENMEM_decrease_reservation, &list[2], 1,
				       0),
		 1, "decrease top[2]");
	check_rc(hypercall_reservation(XENMEM_populate_physmap, list, 3, 0), 1,
		 "populate (free, populated, free)");
	check_rc(hypercall_reservation(XENMEM_populate_physmap, &list[2], 1, 0),
		 1, "populate top[2]");
	check_rc(current(), cur, "current after twice");
}

static void test_beyond(void)
{
	uint32_t above = ram_end + 2, past = (uint32_t)xtf_p2m_end();
	long cur = current();

	check_rc(hypercall_reservation(XENMEM_populate_physmap, &above, 1, 0),
		 1, "populate the gfn after the reserved ones");
	check_zero(above, 1, "the gfn after the reserved ones");
	check_rc(hypercall_reservation(XENMEM_decrease_reservation, &above, 1,
				       0),
		 1, "decrease the gfn after the reserved ones");
	if (xtf_p2m_end() <= 0xffffffffu)
		check_rc(hypercall_reservation(XENMEM_populate_physmap, &past,
					       1, 0),
			 0, "populate the first gfn past the p2m");
	check_rc(current(), cur, "current after beyond");
}

static void test_2m(void)
{
	uint32_t base = find_free_2m(), gfn, odd;
	long cur = current();

	if (!base) {
		printf("no free 2 MiB region: order 9 not tested\n");
		return;
	}
	gfn = base >> PAGE_SHIFT;
	odd = gfn + 1;
	check_rc(hypercall_reservation(XENMEM_decrease_reservation, &odd, 1,
				       ORDER_2M),
		 0, "decrease misaligned order 9");
	fill(gfn, PAGES_2M);
	check_rc(hypercall_reservation(XENMEM_decrease_reservation, &gfn, 1,
				       ORDER_2M),
		 1, "decrease order 9");
	check_rc(current(), cur - PAGES_2M, "current after order 9 decrease");
	check_rc(hypercall_reservation(XENMEM_populate_physmap, &gfn, 1,
				       ORDER_2M),
		 1, "populate order 9");
	check_rc(current(), cur, "current after order 9 populate");
	check_zero(gfn, PAGES_2M, "repopulated 2 MiB");
}

static void test_max(void)
{
	uint32_t list[2] = { top[3], top[4] };
	long max =
		hypercall_memory_count(XENMEM_maximum_reservation, DOMID_SELF);
	long slack = max - current();

	check_rc(hypercall_reservation(XENMEM_decrease_reservation, list, 2, 0),
		 2, "decrease 2");
	check_rc(hypercall_reservation(XENMEM_increase_reservation, 0,
				       slack + 4, 0),
		 slack + 2, "increase slack + 4");
	check_rc(current(), max, "current after increase");
	check_rc(hypercall_reservation(XENMEM_populate_physmap, list, 2, 0), 0,
		 "populate at max");
}

/*
 * The console ring's page sits above RAM (docs/hypercalls.md): balloon
 * it out first, so that maximum_gpfn is RAM's (the hypervisor keeps the
 * page it references; the console is not used here).
 */
static void drop_console_page(void)
{
	uint64_t pfn = 0;
	uint32_t gfn;

	check_rc(hvm_get_param(DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &pfn), 0,
		 "get_param CONSOLE_PFN");
	if (!pfn)
		return;
	gfn = (uint32_t)pfn;
	check_rc(hypercall_reservation(XENMEM_decrease_reservation, &gfn, 1, 0),
		 1, "decrease of the console ring's page");
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	if (!xtf_has_xen())
		xtf_skip("no hypervisor");
	drop_console_page();
	find_top_pages();
	test_counts();
	test_args();
	test_4k();
	test_twice();
	test_beyond();
	test_2m();
	test_max();
	xtf_success();
}
