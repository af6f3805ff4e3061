/* A new domain's first memory: see libimage.h. */
#include <public/start_info.h>

#include "libimage.h"
#include "libimage-env.h"

#define PAGE_BYTES 4096ULL
#define SIZE_2M (2ULL << 20)
#define SIZE_1G (1ULL << 30)

/* The start-info page: the header, up to MEMMAP_MAX entries, the cmdline. */
#define MEMMAP_GPA (IMAGE_START_INFO_GPA + 0x40)
#define MEMMAP_MAX IMAGE_MEMMAP_MAX
#define CMDLINE_GPA (IMAGE_START_INFO_GPA + 0x100)

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
		MEMMAP_GPA + MEMMAP_MAX *
					sizeof(struct hvm_memmap_table_entry) <=
			CMDLINE_GPA &&
		CMDLINE_GPA + IMAGE_CMDLINE_MAX <=
			IMAGE_START_INFO_GPA + PAGE_BYTES,
	"the start-info page holds the header, map and command line");

static uint64_t nr_pds(uint64_t mem)
{
	return (mem + SIZE_1G - 1) / SIZE_1G;
}

/* The lowest page table: the first PD. */
static uint64_t pt_base(uint64_t mem)
{
	return PDPT_GPA - nr_pds(mem) * PAGE_BYTES;
}

/* The builder's data, which no segment may overlap, starts here. */
static uint64_t reserved_base(const struct elf_image *e, uint64_t mem)
{
	return e->is64 ? pt_base(mem) : IMAGE_START_INFO_GPA;
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
		if (seg.paddr < IMAGE_START_INFO_GPA + PAGE_BYTES &&
		    seg.paddr + seg.memsz > low)
			return refuse(-EINVAL, why, size,
				      "segment %u overlaps %s", i,
				      e->is64 ?
					      "the page tables or the start "
					      "info (below 0x7000)" :
					      "the start info (0x6000-0x6fff)");
		if (e->entry >= seg.paddr && e->entry < seg.paddr + seg.memsz)
			entry_ok = true;
		if (seg.paddr + seg.memsz > *image_end)
			*image_end = seg.paddr + seg.memsz;
	}
	if (!entry_ok)
		return refuse(-EINVAL, why, size,
			      "the entry point is in no segment");
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

/* RAM, but for a 64-bit guest its page tables are reserved. */
unsigned int image_memmap(struct hvm_memmap_table_entry *map, uint64_t mem,
			  bool is64)
{
	uint64_t base = pt_base(mem);
	unsigned int n = 0;

	if (!is64) {
		map[n++] = memmap_entry(0, mem, XEN_HVM_MEMMAP_TYPE_RAM);
		return n;
	}
	if (base)
		map[n++] = memmap_entry(0, base, XEN_HVM_MEMMAP_TYPE_RAM);
	map[n++] = memmap_entry(base, IMAGE_START_INFO_GPA - base,
				XEN_HVM_MEMMAP_TYPE_RESERVED);
	map[n++] = memmap_entry(IMAGE_START_INFO_GPA,
				mem - IMAGE_START_INFO_GPA,
				XEN_HVM_MEMMAP_TYPE_RAM);
	return n;
}

static int write_start_info(const struct image_params *p, bool is64,
			    const struct image_ops *ops, void *ctx)
{
	struct hvm_memmap_table_entry map[MEMMAP_MAX];
	struct hvm_start_info si = {
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = 1,
		.nr_modules = p->nr_modules,
		.modlist_paddr = p->modlist_gpa,
		.memmap_paddr = MEMMAP_GPA,
		.memmap_entries = image_memmap(map, p->mem, is64),
	};
	bool cmdline = p->cmdline && p->cmdline[0];
	int rc;

	if (cmdline)
		si.cmdline_paddr = CMDLINE_GPA;
	rc = ops->write(ctx, IMAGE_START_INFO_GPA, &si, sizeof(si));
	if (!rc)
		rc = ops->write(ctx, MEMMAP_GPA, map,
				si.memmap_entries * sizeof(map[0]));
	if (!rc && cmdline)
		rc = ops->write(ctx, CMDLINE_GPA, p->cmdline,
				strlen(p->cmdline) + 1);
	return rc;
}

int image_load(const struct elf_image *e, const struct image_params *p,
	       const struct image_ops *ops, void *ctx,
	       struct image_start *start)
{
	int rc;

	if (p->cmdline && strlen(p->cmdline) >= IMAGE_CMDLINE_MAX)
		return -EINVAL;
	rc = load_segments(e, ops, ctx);
	if (!rc && e->is64)
		rc = image_write_page_tables(p->mem, ops, ctx);
	if (!rc)
		rc = write_start_info(p, e->is64, ops, ctx);
	*start = (struct image_start){
		.entry = e->entry,
		.is64 = e->is64,
		.cr3 = e->is64 ? PML4_GPA : 0,
		.rbx = IMAGE_START_INFO_GPA,
	};
	return rc;
}
