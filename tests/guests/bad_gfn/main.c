/*
 * bad_gfn: reads a guest-physical address outside everything the memory map
 * lists ("addr=" on the command line, default 3 GiB). The hypervisor has no
 * frame for it and must crash this domain, saying why, and carry on (run with
 * expect=crash).
 */
#include <xtf.h>

void test_main(unsigned int vcpu)
{
	uint32_t addr = cmdline_uint("addr", 0xc0000000);
	const struct hvm_memmap_table_entry *map;
	unsigned int nr;
	uint32_t val;

	if (vcpu)
		return;
	map = xtf_memmap(&nr);
	for (unsigned int i = 0; i < nr; i++)
		if (map[i].addr <= addr && addr - map[i].addr < map[i].size)
			xtf_skip("0x%08x is in memory map entry %u (type %u)",
				 addr, i, map[i].type);
	printf("bad_gfn: reading guest-physical 0x%08x, outside this domain's memory: the hypervisor must crash this domain\n",
	       addr);
	val = *(volatile uint32_t *)addr;
	xtf_failure(
		"reading 0x%08x returned 0x%08x: the domain is still running",
		addr, val);
}
