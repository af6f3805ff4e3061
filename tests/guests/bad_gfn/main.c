/*
 * bad_gfn: jumps to a guest-physical address the hypervisor has no frame
 * for. Data accesses there read all-ones (the unpopulated guest), but no
 * instruction can be fetched from nothing: the hypervisor must crash this
 * domain, saying why, and carry on (run with expect=crash:REASON). Two
 * ways to get there:
 *
 *   default    "addr=" (default 3 GiB) lies outside everything the memory
 *              map lists: the gfn is past the p2m.
 *   balloon=1  "addr=" is a page of the guest's own RAM (default the
 *              highest one it does not use), ballooned out first with
 *              decrease_reservation: the gfn is in range, so the fault
 *              goes through the lookup, whose entry is invalid.
 *
 * Either way the reason is "instruction fetch from gpa ADDR where nothing
 * is".
 */
#include <xtf.h>

/* Paging is off: the address is the gpa. */
static void jump_to(uint32_t addr)
{
	((void (*)(void))addr)();
}

static void run_outside(void)
{
	uint32_t addr = cmdline_uint("addr", 0xc0000000);
	const struct hvm_memmap_table_entry *map;
	unsigned int nr;

	map = xtf_memmap(&nr);
	for (unsigned int i = 0; i < nr; i++)
		if (map[i].addr <= addr && addr - map[i].addr < map[i].size)
			xtf_skip("0x%08x is in memory map entry %u (type %u)",
				 addr, i, map[i].type);
	printf("bad_gfn: jumping to guest-physical 0x%08x, outside this domain's memory: the hypervisor must crash this domain\n",
	       addr);
	jump_to(addr);
	xtf_failure("code at 0x%08x returned: the domain is still running",
		    addr);
}

static void run_ballooned(void)
{
	uint32_t addr = cmdline_uint("addr", xtf_top_free_page());
	uint32_t gfn = addr >> PAGE_SHIFT;
	long rc;

	if (!xtf_free_page(addr))
		xtf_error("0x%08x is not a free page of RAM", addr);
	/* A RET first, so a stale frame would return from the jump. */
	*(volatile uint8_t *)addr = 0xc3;
	rc = hypercall_reservation(XENMEM_decrease_reservation, &gfn, 1, 0);
	if (rc != 1)
		xtf_error("decrease_reservation of gfn 0x%x: %ld", gfn, rc);
	printf("bad_gfn: jumping to guest-physical 0x%08x, ballooned out: the hypervisor must crash this domain\n",
	       addr);
	jump_to(addr);
	xtf_failure("code at ballooned-out 0x%08x returned: the domain is "
		    "still running",
		    addr);
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	if (cmdline_uint("balloon", 0))
		run_ballooned();
	run_outside();
}
