/*
 * bad_gfn: reads a guest-physical address the hypervisor has no frame for.
 * It must crash this domain, saying why, and carry on (run with
 * expect=crash:REASON). Two ways to get there:
 *
 *   default    "addr=" (default 3 GiB) lies outside everything the memory
 *              map lists: the gfn is past the p2m ("beyond its memory").
 *   balloon=1  "addr=" is a page of the guest's own RAM (default the
 *              highest one it does not use), ballooned out first with
 *              decrease_reservation: the gfn is in range, so the fault
 *              goes through the lookup, whose entry is invalid and gives
 *              no access ("read access to gpa ... denied").
 */
#include <xtf.h>

static void read_outside(void)
{
	uint32_t addr = cmdline_uint("addr", 0xc0000000);
	const struct hvm_memmap_table_entry *map;
	unsigned int nr;

	map = xtf_memmap(&nr);
	for (unsigned int i = 0; i < nr; i++)
		if (map[i].addr <= addr && addr - map[i].addr < map[i].size)
			xtf_skip("0x%08x is in memory map entry %u (type %u)",
				 addr, i, map[i].type);
	printf("bad_gfn: reading guest-physical 0x%08x, outside this domain's memory: the hypervisor must crash this domain\n",
	       addr);
	xtf_failure(
		"reading 0x%08x returned 0x%08x: the domain is still running",
		addr, *(volatile uint32_t *)addr);
}

static void read_ballooned(void)
{
	uint32_t addr = cmdline_uint("addr", xtf_top_free_page());
	uint32_t gfn = addr >> PAGE_SHIFT;
	long rc;

	if (!xtf_free_page(addr))
		xtf_error("0x%08x is not a free page of RAM", addr);
	/* Written first, so a stale frame would read back as this. */
	*(volatile uint32_t *)addr = 0x5a5a5a5a;
	rc = hypercall_reservation(XENMEM_decrease_reservation, &gfn, 1, 0);
	if (rc != 1)
		xtf_error("decrease_reservation of gfn 0x%x: %ld", gfn, rc);
	printf("bad_gfn: reading guest-physical 0x%08x, ballooned out: the hypervisor must crash this domain\n",
	       addr);
	xtf_failure("reading ballooned-out 0x%08x returned 0x%08x: the "
		    "domain is still running",
		    addr, *(volatile uint32_t *)addr);
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	if (cmdline_uint("balloon", 0))
		read_ballooned();
	read_outside();
}
