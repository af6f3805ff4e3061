/* A new domain's first memory: see libimage.h. */
#include "libimage.h"
#include "libimage-env.h"

#define PAGE_BYTES 4096ULL
#define SIZE_2M (2ULL << 20)
#define SIZE_1G (1ULL << 30)

/* The start-info page: the header, the memory map, the command line. */
#define MEMMAP_GPA (IMAGE_START_INFO_GPA + 0x40)
#define CMDLINE_GPA (IMAGE_START_INFO_GPA + 0x100)
#define MODLIST_GPA IMAGE_MODLIST_GPA

/*
 * A 64-bit guest's page tables map [0, mem) 1:1 with 2 MiB pages. They fill
 * the pages right below the start info: the PML4 at 0x5000, the PDPT at
 * 0x4000, and below them one PD per started GiB, in ascending order up to
 * 0x3fff (for 4 GiB they start at 0).
 */
#define PML4_GPA IMAGE_PML4_GPA
#define PDPT_GPA (PML4_GPA - PAGE_BYTES)
#define PTE_PRESENT 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_PSE 0x80ULL
#define GUEST_PTE (PTE_PRESENT | PTE_RW)

_Static_assert((IMAGE_MEM_MAX + SIZE_1G - 1) / SIZE_1G * PAGE_BYTES <= PDPT_GPA,
	       "the page directories of IMAGE_MEM_MAX fit below the PDPT");
_Static_assert(
	MEMMAP_GPA >= IMAGE_START_INFO_GPA + sizeof(struct hvm_start_info) &&
		MEMMAP_GPA + IMAGE_MEMMAP_MAX *
					sizeof(struct hvm_memmap_table_entry) <=
			CMDLINE_GPA &&
		CMDLINE_GPA + IMAGE_CMDLINE_MAX <=
			IMAGE_START_INFO_GPA + PAGE_BYTES,
	"the start-info page holds the header, map and command line");
_Static_assert(MODLIST_GPA + (1 + IMAGE_MAX_MODULES) *
				       sizeof(struct hvm_modlist_entry) <=
		       IMAGE_LOW_END,
	       "the module list fits the platform page");

static uint64_t nr_pds(uint64_t mem)
{
	return (mem + SIZE_1G - 1) / SIZE_1G;
}

/* The lowest page table: the first PD. */
static uint64_t pt_base(uint64_t mem)
{
	return PDPT_GPA - nr_pds(mem) * PAGE_BYTES;
}

/* Entered in long mode on the builder's page tables. */
static bool long_mode_entry(const struct elf_image *e)
{
	return e->is64 && !e->pvh;
}

/* The builder's data, which no segment may overlap, starts here. */
static uint64_t reserved_base(const struct elf_image *e, uint64_t mem)
{
	return long_mode_entry(e) ? pt_base(mem) : IMAGE_START_INFO_GPA;
}

static uint64_t entry_of(const struct elf_image *e)
{
	return e->pvh ? e->pvh_entry : e->entry;
}

int image_check(struct elf_image *e, uint64_t mem, uint64_t *image_end,
		char *why, size_t size)
{
	bool entry_ok = false;
	uint64_t low;
	unsigned int i;

	if (elf_check(e, why, size))
		return -EINVAL;
	low = reserved_base(e, mem);
	*image_end = 0;
	for (i = 0; i < e->phnum; i++) {
		struct elf_segment seg;

		elf_get_segment(e, i, &seg);
		if (seg.type != PT_LOAD)
			continue;
		/* Written so that 64-bit fields cannot overflow. */
		if (seg.memsz > mem || seg.paddr > mem - seg.memsz)
			return refuse(-EINVAL, why, size,
				      "segment %u does not fit the domain's "
				      "memory",
				      i);
		if (seg.paddr < IMAGE_LOW_END && seg.paddr + seg.memsz > low)
			return refuse(-EINVAL, why, size,
				      "segment %u overlaps %s", i,
				      long_mode_entry(e) ?
					      "the page tables, the start "
					      "info or the ACPI tables (below "
					      "0x8000)" :
					      "the start info or the ACPI "
					      "tables (0x6000-0x7fff)");
		if (entry_of(e) >= seg.paddr &&
		    entry_of(e) < seg.paddr + seg.memsz)
			entry_ok = true;
		if (seg.paddr + seg.memsz > *image_end)
			*image_end = seg.paddr + seg.memsz;
	}
	if (!entry_ok)
		return refuse(-EINVAL, why, size,
			      "the %sentry point is in no segment",
			      e->pvh ? "PVH " : "");
	return 0;
}

int image_ramdisk_place(uint64_t low, uint64_t top, uint64_t size,
			uint64_t *gpa, char *why, size_t size_why)
{
	uint64_t at = (low + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);

	/* Written so that nothing wraps: low and top are below 2^63. */
	if (low > top || at > top || size > top - at)
		return refuse(-ENOSPC, why, size_why,
			      "the ramdisk (%llu KiB) does not fit between "
			      "the image's end (%#llx) and %#llx",
			      (unsigned long long)(size >> 10),
			      (unsigned long long)low, (unsigned long long)top);
	*gpa = at;
	return 0;
}

static int load_segments(const struct elf_image *e, const struct image_ops *ops,
			 void *ctx)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < e->phnum && !rc; i++) {
		struct elf_segment seg;

		elf_get_segment(e, i, &seg);
		if (seg.type != PT_LOAD)
			continue;
		rc = ops->write(ctx, seg.paddr, e->img + seg.offset,
				seg.filesz);
		if (!rc)
			rc = ops->clear(ctx, seg.paddr + seg.filesz,
					seg.memsz - seg.filesz);
	}
	return rc;
}

/* The identity map of [0, mem) described at PML4_GPA. */
int image_write_page_tables(uint64_t mem, const struct image_ops *ops,
			    void *ctx)
{
	uint64_t base = pt_base(mem), pte = PDPT_GPA | GUEST_PTE, i;
	int rc;

	rc = ops->clear(ctx, base, IMAGE_START_INFO_GPA - base);
	if (!rc)
		rc = ops->write(ctx, PML4_GPA, &pte, sizeof(pte));
	for (i = 0; i < nr_pds(mem) && !rc; i++) {
		pte = (base + i * PAGE_BYTES) | GUEST_PTE;
		rc = ops->write(ctx, PDPT_GPA + i * sizeof(pte), &pte,
				sizeof(pte));
	}
	/* The PDs are adjacent: together one array of 2 MiB entries. */
	for (i = 0; i < (mem + SIZE_2M - 1) / SIZE_2M && !rc; i++) {
		pte = i * SIZE_2M | GUEST_PTE | PTE_PSE;
		rc = ops->write(ctx, base + i * sizeof(pte), &pte, sizeof(pte));
	}
	return rc;
}

static struct hvm_memmap_table_entry memmap_entry(uint64_t addr, uint64_t size,
						  uint32_t type)
{
	return (struct hvm_memmap_table_entry){ .addr = addr,
						.size = size,
						.type = type };
}

/*
 * RAM, but the platform page and, for a 64-bit non-PVH image, its page
 * tables are reserved. The ramdisk and modules stay RAM, as PVH and the
 * Linux boot protocol have it: the kernel keeps its allocator off them.
 */
unsigned int image_memmap(uint64_t mem, bool page_tables,
			  struct hvm_memmap_table_entry *map)
{
	uint64_t base = pt_base(mem);
	unsigned int n = 0;

	if (!page_tables) {
		map[n++] = memmap_entry(0, IMAGE_PLATFORM_GPA,
					XEN_HVM_MEMMAP_TYPE_RAM);
	} else {
		if (base)
			map[n++] =
				memmap_entry(0, base, XEN_HVM_MEMMAP_TYPE_RAM);
		map[n++] = memmap_entry(base, IMAGE_START_INFO_GPA - base,
					XEN_HVM_MEMMAP_TYPE_RESERVED);
		map[n++] = memmap_entry(IMAGE_START_INFO_GPA, PAGE_BYTES,
					XEN_HVM_MEMMAP_TYPE_RAM);
	}
	map[n++] = memmap_entry(IMAGE_PLATFORM_GPA, PAGE_BYTES,
				XEN_HVM_MEMMAP_TYPE_RESERVED);
	map[n++] = memmap_entry(IMAGE_LOW_END, mem - IMAGE_LOW_END,
				XEN_HVM_MEMMAP_TYPE_RAM);
	return n;
}

/* The ramdisk, then the caller's modules: the list and the ramdisk. */
static int write_modules(const struct image_params *p,
			 const struct image_ops *ops, void *ctx)
{
	struct hvm_modlist_entry m;
	unsigned int i, n = 0;
	int rc = 0;

	if (p->ramdisk) {
		rc = ops->write(ctx, p->ramdisk_gpa, p->ramdisk,
				p->ramdisk_size);
		m = (struct hvm_modlist_entry){ .paddr = p->ramdisk_gpa,
						.size = p->ramdisk_size };
		if (!rc)
			rc = ops->write(ctx, MODLIST_GPA, &m, sizeof(m));
		n++;
	}
	for (i = 0; i < p->nr_modules && !rc; i++, n++) {
		m = (struct hvm_modlist_entry){
			.paddr = p->modules[i].gpa,
			.size = p->modules[i].size,
			.cmdline_paddr = p->modules[i].cmdline_gpa,
		};
		rc = ops->write(ctx, MODLIST_GPA + n * sizeof(m), &m,
				sizeof(m));
	}
	return rc;
}

static int write_start_info(const struct image_params *p, bool page_tables,
			    const struct image_ops *ops, void *ctx)
{
	struct hvm_memmap_table_entry map[IMAGE_MEMMAP_MAX];
	uint32_t nr_modules = !!p->ramdisk + p->nr_modules;
	struct hvm_start_info si = {
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = 1,
		.flags = p->control ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0,
		.nr_modules = nr_modules,
		.modlist_paddr = nr_modules ? MODLIST_GPA : 0,
		.rsdp_paddr = IMAGE_RSDP_GPA,
		.memmap_paddr = MEMMAP_GPA,
		.memmap_entries = image_memmap(p->mem, page_tables, map),
	};
	bool cmdline = p->cmdline && p->cmdline[0];
	int rc;

	if (cmdline)
		si.cmdline_paddr = CMDLINE_GPA;
	rc = ops->clear(ctx, IMAGE_START_INFO_GPA, PAGE_BYTES);
	if (!rc)
		rc = ops->write(ctx, IMAGE_START_INFO_GPA, &si, sizeof(si));
	if (!rc)
		rc = ops->write(ctx, MEMMAP_GPA, map,
				si.memmap_entries * sizeof(map[0]));
	if (!rc && cmdline)
		rc = ops->write(ctx, CMDLINE_GPA, p->cmdline,
				strlen(p->cmdline) + 1);
	return rc;
}

static bool params_ok(const struct image_params *p)
{
	return (!p->cmdline || strlen(p->cmdline) < IMAGE_CMDLINE_MAX) &&
	       p->vcpus >= 1 && p->vcpus <= IMAGE_MAX_VCPUS &&
	       p->nr_modules <= IMAGE_MAX_MODULES && p->mem >= IMAGE_LOW_END &&
	       p->mem <= IMAGE_MEM_MAX &&
	       (!p->ramdisk ||
		(p->ramdisk_gpa >= IMAGE_LOW_END && p->ramdisk_gpa <= p->mem &&
		 p->ramdisk_size <= p->mem - p->ramdisk_gpa));
}

int image_load(const struct elf_image *e, const struct image_params *p,
	       const struct image_ops *ops, void *ctx,
	       struct image_start *start)
{
	bool lm = long_mode_entry(e);
	int rc;

	if (!params_ok(p))
		return -EINVAL;
	rc = load_segments(e, ops, ctx);
	if (!rc && lm)
		rc = image_write_page_tables(p->mem, ops, ctx);
	if (!rc)
		rc = image_write_acpi(p->vcpus, ops, ctx);
	if (!rc)
		rc = write_modules(p, ops, ctx);
	if (!rc)
		rc = write_start_info(p, lm, ops, ctx);
	*start = (struct image_start){
		.entry = entry_of(e),
		.is64 = lm,
		.pvh = e->pvh,
		.cr3 = lm ? PML4_GPA : 0,
		.rbx = IMAGE_START_INFO_GPA,
	};
	return rc;
}
