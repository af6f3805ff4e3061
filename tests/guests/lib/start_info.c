#include "runtime.h"
#include "xtf.h"

#define GiB4 (1ULL << 32)

static const struct hvm_start_info *si;
static const char *cmdline = "";
static size_t cmdline_len;

/*
 * Paging is off (or, for 64-bit guests, 1:1): only guest-physical
 * addresses below 4 GiB are reachable.
 */
static bool reachable(uint64_t pa, uint64_t size)
{
	return pa < GiB4 && size <= GiB4 - pa;
}

static const void *phys(uint64_t pa)
{
	return (const void *)(uintptr_t)pa;
}

void start_info_init(uint32_t pa)
{
	si = phys(pa);
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		xtf_error("start info at 0x%x: magic 0x%x, not 0x%x", pa,
			  si->magic, XEN_HVM_START_MAGIC_VALUE);
	if (si->cmdline_paddr) {
		if (!reachable(si->cmdline_paddr, 1))
			xtf_error("command line at 0x%llx: beyond 4 GiB",
				  (unsigned long long)si->cmdline_paddr);
		cmdline = phys(si->cmdline_paddr);
		cmdline_len = strnlen(cmdline, GiB4 - si->cmdline_paddr);
	}
	if (si->version >= 1 &&
	    !reachable(si->memmap_paddr,
		       si->memmap_entries *
			       (uint64_t)sizeof(struct hvm_memmap_table_entry)))
		xtf_error("memory map at 0x%llx: beyond 4 GiB",
			  (unsigned long long)si->memmap_paddr);
	if (!reachable(si->modlist_paddr,
		       si->nr_modules *
			       (uint64_t)sizeof(struct hvm_modlist_entry)))
		xtf_error("module list at 0x%llx: beyond 4 GiB",
			  (unsigned long long)si->modlist_paddr);
}

const struct hvm_start_info *xtf_start_info(void)
{
	return si;
}

const char *xtf_cmdline(void)
{
	return cmdline;
}

static unsigned long parse_uint(const char *key, const char *s, const char *end)
{
	unsigned long v = 0, base = 10;

	if (end - s > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		base = 16;
		s += 2;
	}
	if (s == end)
		goto bad;
	for (; s < end; s++) {
		unsigned long d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (*s | 0x20) - 'a' + 10;
		else
			goto bad;
		if (v > (~0UL - d) / base)
			goto bad;
		v = v * base + d;
	}
	return v;
bad:
	xtf_error("command line: %s= wants a decimal or 0x hex number", key);
}

unsigned long cmdline_uint(const char *key, unsigned long def)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *tok;

		while (*p == ' ')
			p++;
		for (tok = p; *p && *p != ' '; p++)
			;
		if ((size_t)(p - tok) > klen && !strncmp(tok, key, klen) &&
		    tok[klen] == '=')
			return parse_uint(key, tok + klen + 1, p);
	}
	return def;
}

const struct hvm_memmap_table_entry *xtf_memmap(unsigned int *nr)
{
	*nr = si->version >= 1 ? si->memmap_entries : 0;
	return phys(si->memmap_paddr);
}

const struct hvm_modlist_entry *xtf_modules(unsigned int *nr)
{
	*nr = si->nr_modules;
	return phys(si->modlist_paddr);
}

static bool overlaps(uint64_t start, uint64_t end, uint64_t pa, uint64_t size)
{
	return pa < end && start < pa + size;
}

/* A module's command line may sit anywhere, even beyond 4 GiB. */
static uint64_t string_size(uint64_t pa)
{
	return reachable(pa, 1) ? strnlen(phys(pa), GiB4 - pa) + 1 : 1;
}

bool xtf_in_use(uint64_t start, uint64_t end)
{
	const struct hvm_modlist_entry *mod = phys(si->modlist_paddr);
	unsigned int nr;

	if (overlaps(start, end, (uintptr_t)__image_start,
		     __image_end - __image_start) ||
	    overlaps(start, end, (uintptr_t)si, sizeof(*si)) ||
	    (si->cmdline_paddr &&
	     overlaps(start, end, si->cmdline_paddr, cmdline_len + 1)))
		return true;
	xtf_memmap(&nr);
	if (overlaps(start, end, si->memmap_paddr,
		     nr * sizeof(struct hvm_memmap_table_entry)) ||
	    overlaps(start, end, si->modlist_paddr,
		     si->nr_modules * sizeof(*mod)))
		return true;
	for (unsigned int i = 0; i < si->nr_modules; i++)
		if (overlaps(start, end, mod[i].paddr, mod[i].size) ||
		    (mod[i].cmdline_paddr &&
		     overlaps(start, end, mod[i].cmdline_paddr,
			      string_size(mod[i].cmdline_paddr))))
			return true;
	return false;
}

uint32_t xtf_ram_end(void)
{
	unsigned int nr;
	const struct hvm_memmap_table_entry *map = xtf_memmap(&nr);
	uint64_t end = 0;

	for (unsigned int i = 0; i < nr; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    map[i].addr + map[i].size > end)
			end = map[i].addr + map[i].size;
	if (!end || end > 0xfffff000u)
		xtf_error("no usable memory map (RAM ends at 0x%llx)",
			  (unsigned long long)end);
	return end;
}

bool xtf_free_page(uint32_t addr)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int nr;

	if (addr & (PAGE_SIZE - 1) || xtf_in_use(addr, addr + PAGE_SIZE))
		return false;
	map = xtf_memmap(&nr);
	for (unsigned int i = 0; i < nr; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    map[i].addr <= addr &&
		    addr + PAGE_SIZE - map[i].addr <= map[i].size)
			return true;
	return false;
}

uint32_t xtf_top_free_page(void)
{
	uint32_t p = xtf_ram_end() & ~(uint32_t)(PAGE_SIZE - 1);

	for (; p; p -= PAGE_SIZE)
		if (xtf_free_page(p - PAGE_SIZE))
			return p - PAGE_SIZE;
	xtf_error("no free page of RAM");
}
