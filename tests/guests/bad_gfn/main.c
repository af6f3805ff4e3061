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

/* Whether [addr, addr + PAGE_SIZE) lies in one RAM entry of the map. */
static bool in_ram(uint32_t addr)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int nr;

	map = xtf_memmap(&nr);
	for (unsigned int i = 0; i < nr; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    map[i].addr <= addr &&
		    addr + PAGE_SIZE - map[i].addr <= map[i].size)
			return true;
	return false;
}

/* The highest page of RAM below 4 GiB that the guest does not use. */
static uint32_t top_free_page(void)
{
	uint32_t p = xtf_ram_end() & ~(uint32_t)(PAGE_SIZE - 1);

	for (; p; p -= PAGE_SIZE)
		if (in_ram(p - PAGE_SIZE) && !xtf_in_use(p - PAGE_SIZE, p))
			return p - PAGE_SIZE;
	xtf_error("no free page of RAM");
}

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
	uint32_t addr = cmdline_uint("addr", top_free_page());
	uint32_t gfn = addr >> PAGE_SHIFT;
	long rc;

	if (addr & (PAGE_SIZE - 1) || !in_ram(addr) ||
	    xtf_in_use(addr, addr + PAGE_SIZE))
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
