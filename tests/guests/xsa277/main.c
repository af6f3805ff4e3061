/*
 * xsa277: the XSA-277 class of bug, where a failed lookup in
 * decrease_reservation returned without its put_gfn() and left the p2m
 * lock held. From a 32-bit guest with paging off, vCPU 0 only, using the
 * highest free pages of its RAM:
 *
 *   - one call that names the same gfn 4 times: 1 extent done;
 *   - the same gfn again in ROUNDS later calls: 0 done each time;
 *   - a list (other, same, other) stops after 1, and the first other gfn
 *     is gone while the second is still RAM;
 *   - a console_io write whose buffer is in a ballooned page: -EFAULT;
 *   - both gfns populated back, written and read;
 *   - all of the above ROUNDS times over.
 *
 * A lock left held would hang the next hypercall touching the range (or
 * another domain's vCPU on that CPU) or trip the hypervisor's checks of
 * held gfns. SUCCESS once every round held; the other domains in the same
 * boot must still pass.
 */
#include <xtf.h>

#define ROUNDS 200
#define GiB4 (1ULL << 32)

/* check_rc, naming the round. */
#define check_round_rc(rc, want, what)                  \
	do {                                            \
		long rc_ = (rc);                        \
		check(rc_ == (long)(want),              \
		      "round %u: %s returned %ld, not " \
		      "%ld",                            \
		      round, what, rc_, (long)(want));  \
	} while (0)

/* The two highest free pages of RAM, lower one first. */
static void find_pages(uint32_t gfn[2])
{
	const struct hvm_memmap_table_entry *map;
	unsigned int nr, i, n = 0;

	map = xtf_memmap(&nr);
	for (i = 0; i < nr && n < 2; i++) {
		uint64_t start, end, p;

		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		start = (map[i].addr + PAGE_SIZE - 1) &
			~(uint64_t)(PAGE_SIZE - 1);
		end = (map[i].addr + map[i].size) & ~(uint64_t)(PAGE_SIZE - 1);
		if (end > GiB4)
			end = GiB4;
		for (p = end; p > start && n < 2; p -= PAGE_SIZE)
			if (!xtf_in_use(p - PAGE_SIZE, p))
				gfn[1 - n++] = (p - PAGE_SIZE) >> PAGE_SHIFT;
	}
	if (n < 2)
		xtf_error("no 2 free pages");
}

static long decrease(uint32_t *list, unsigned int nr)
{
	return hypercall_reservation(XENMEM_decrease_reservation, list, nr, 0);
}

static long current(void)
{
	return hypercall_memory_count(XENMEM_current_reservation, DOMID_SELF);
}

static void one_round(unsigned int round, const uint32_t gfn[2])
{
	uint32_t same[4] = { gfn[0], gfn[0], gfn[0], gfn[0] };
	uint32_t mixed[3] = { gfn[1], gfn[0], gfn[1] };
	uint32_t *w0 = (uint32_t *)(uintptr_t)(gfn[0] << PAGE_SHIFT);
	uint32_t *w1 = (uint32_t *)(uintptr_t)(gfn[1] << PAGE_SHIFT);
	long cur = current();
	unsigned int i;

	check_round_rc(decrease(same, 4), 1, "decrease (g, g, g, g)");
	for (i = 0; i < 3; i++)
		check_round_rc(decrease(same, 1), 0, "decrease g again");
	check_round_rc(decrease(mixed, 3), 1, "decrease (h, g, h)");
	check_round_rc(current(), cur - 2, "current_reservation");
	check_round_rc(hypercall_console_write((const char *)w1, 8),
		       -XEN_EFAULT, "console_io from a ballooned page");
	check_round_rc(hypercall_reservation(XENMEM_populate_physmap, same, 1,
					     0),
		       1, "populate g");
	check_round_rc(hypercall_reservation(XENMEM_populate_physmap, mixed, 1,
					     0),
		       1, "populate h");
	check_round_rc(current(), cur, "current_reservation after populate");
	for (i = 0; i < PAGE_SIZE / 4; i++) {
		check(!w0[i] && !w1[i], "round %u: word %u not zero", round, i);
		w0[i] = i ^ round;
		w1[i] = ~i ^ round;
	}
	for (i = 0; i < PAGE_SIZE / 4; i++)
		check(w0[i] == (i ^ round) && w1[i] == (~i ^ round),
		      "round %u: word %u did not read back", round, i);
}

void test_main(unsigned int vcpu)
{
	uint32_t gfn[2];
	unsigned int round;

	if (vcpu)
		return;
	if (!xtf_has_xen())
		xtf_skip("no hypervisor");
	find_pages(gfn);
	for (round = 0; round < ROUNDS; round++)
		one_round(round, gfn);
	printf("%u rounds of repeated decrease_reservation\n", ROUNDS);
	xtf_success();
}
