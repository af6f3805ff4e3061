/*
 * files: the control domain finds the boot modules whose string is
 * `file NAME` in its start info, as docs/domains.md says: `files=N`
 * (default 0) of them, each page-aligned, wholly in one RAM range of its
 * memory map, clear of its image, of the start info and of each other,
 * with a NUL-terminated name outside every file. It prints
 * `files: NAME SIZE HASH` per file (HASH: FNV-1a, 32 bits, of its bytes)
 * for tests/boot/check-files.sh, which compares them with the files on
 * the ISO. FAILURE names the check.
 */
#include <runtime.h>
#include <xtf.h>

#define NAME_MAX 64

static uint32_t fnv1a(const uint8_t *p, uint64_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static bool in_one_ram_range(uint64_t start, uint64_t end)
{
	unsigned int i, nr;
	const struct hvm_memmap_table_entry *map = xtf_memmap(&nr);

	for (i = 0; i < nr; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    start >= map[i].addr && end <= map[i].addr + map[i].size)
			return true;
	return false;
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

static void check_one(const struct hvm_modlist_entry *mod, unsigned int nr,
		      unsigned int i)
{
	const struct hvm_modlist_entry *m = &mod[i];
	uint64_t end = m->paddr + m->size;
	const char *name = (const char *)(uintptr_t)m->cmdline_paddr;
	unsigned int j, len;

	if (m->paddr & 0xfff)
		xtf_failure("file %u at 0x%llx: not page-aligned", i,
			    (unsigned long long)m->paddr);
	if (!m->size || end < m->paddr || !in_one_ram_range(m->paddr, end))
		xtf_failure("file %u [0x%llx, 0x%llx): not in one RAM range", i,
			    (unsigned long long)m->paddr,
			    (unsigned long long)end);
	if (!m->cmdline_paddr ||
	    !in_one_ram_range(m->cmdline_paddr, m->cmdline_paddr + NAME_MAX))
		xtf_failure("file %u: no name in RAM", i);
	len = strnlen(name, NAME_MAX);
	if (!len || len == NAME_MAX)
		xtf_failure("file %u: name empty or not NUL-terminated", i);
	if (overlaps(m->paddr, end, (uintptr_t)__image_start,
		     (uintptr_t)__image_end))
		xtf_failure("file %u overlaps the image", i);
	for (j = 0; j < nr; j++) {
		if (j != i && overlaps(m->paddr, end, mod[j].paddr,
				       mod[j].paddr + mod[j].size))
			xtf_failure("files %u and %u overlap", i, j);
		if (overlaps(mod[j].cmdline_paddr,
			     mod[j].cmdline_paddr + len + 1, m->paddr, end))
			xtf_failure("the name of file %u lies in file %u", j,
				    i);
	}
	if (overlaps(m->paddr, end, (uintptr_t)mod, (uintptr_t)(mod + nr)))
		xtf_failure("file %u overlaps the module list", i);
	printf("files: %s %llu %08x\n", name, (unsigned long long)m->size,
	       fnv1a((const uint8_t *)(uintptr_t)m->paddr, m->size));
}

void test_main(unsigned int vcpu)
{
	unsigned long want = cmdline_uint("files", 0);
	const struct hvm_modlist_entry *mod;
	unsigned int i, nr;

	if (vcpu)
		return;
	mod = xtf_modules(&nr);
	if (nr != want)
		xtf_failure("%u files in the start info, expected %lu", nr,
			    want);
	for (i = 0; i < nr; i++)
		check_one(mod, nr, i);
	xtf_success();
}
