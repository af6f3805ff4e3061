/* Parse the multiboot2 boot information into boot_info. */
#include <xen/lib.h>
#include <asm/bootinfo.h>
#include <asm/page.h>

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_EFI32 11
#define MB2_TAG_EFI64 12
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_MEMORY_AVAILABLE 1

struct mb2_tag {
	u32 type, size;
};

struct mb2_module {
	struct mb2_tag tag;
	u32 start, end;
	char string[];
};

struct mb2_mmap {
	struct mb2_tag tag;
	u32 entry_size, entry_version;
};

struct mb2_mmap_entry {
	u64 base, len;
	u32 type, reserved;
};

struct boot_info boot_info = { .cmdline = "" };

static void add_ram(paddr_t start, paddr_t end)
{
	struct boot_info *bi = &boot_info;
	unsigned int i;

	start = ROUNDUP(start, PAGE_SIZE);
	end = ROUNDDOWN(end, PAGE_SIZE);
	if (start >= end)
		return;
	if (bi->nr_ram == MAX_MEM_RANGES) {
		printk(XENLOG_WARNING "too many RAM ranges: ignoring "
				      "%" PRIpaddr "-%" PRIpaddr "\n",
		       start, end);
		return;
	}
	/* Insertion sort; merge neighbours and overlaps afterwards. */
	for (i = bi->nr_ram; i > 0 && bi->ram[i - 1].start > start; i--)
		bi->ram[i] = bi->ram[i - 1];
	bi->ram[i] = (struct mem_range){ start, end };
	bi->nr_ram++;
}

static void merge_ram(void)
{
	struct boot_info *bi = &boot_info;
	unsigned int i, n = 0;

	for (i = 0; i < bi->nr_ram; i++) {
		if (n && bi->ram[i].start <= bi->ram[n - 1].end) {
			bi->ram[n - 1].end =
				max(bi->ram[n - 1].end, bi->ram[i].end);
			continue;
		}
		bi->ram[n++] = bi->ram[i];
	}
	bi->nr_ram = n;
}

static void parse_mmap(const struct mb2_mmap *m)
{
	const u8 *p = (const u8 *)(m + 1);
	const u8 *end = (const u8 *)m + m->tag.size;

	if (m->entry_size < sizeof(struct mb2_mmap_entry))
		panic("multiboot2 memory map entries too small (%u)\n",
		      m->entry_size);
	for (; p + m->entry_size <= end; p += m->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;

		printk(XENLOG_DEBUG " %016lx-%016lx type %u\n",
		       (unsigned long)e->base,
		       (unsigned long)(e->base + e->len), e->type);
		if (e->type == MB2_MEMORY_AVAILABLE)
			add_ram(e->base, e->base + e->len);
	}
}

/* The string at off in tag t, which must end inside the tag. */
static const char *tag_string(const struct mb2_tag *t, size_t off)
{
	const char *s = (const char *)t + off;

	if (t->size <= off || strnlen(s, t->size - off) == t->size - off)
		panic("malformed multiboot2 tag %u: its string does not end "
		      "inside it\n",
		      t->type);
	return s;
}

static void parse_module(const struct mb2_module *m)
{
	struct boot_info *bi = &boot_info;
	const char *string = tag_string(&m->tag, sizeof(*m));
	struct boot_module *bm;

	if (bi->nr_modules == MAX_BOOT_MODULES) {
		/* Numbered as build_domains_from_modules() numbers modules. */
		printk(XENLOG_ERR "module %u ('%.*s%s'): more than %u boot "
				  "modules: refused\n",
		       bi->nr_modules + bi->nr_modules_refused++,
		       MODULE_SHOWN(string), MAX_BOOT_MODULES);
		return;
	}
	bm = &bi->modules[bi->nr_modules++];
	bm->start = m->start;
	bm->end = m->end;
	bm->string = string;
}

void multiboot2_parse(paddr_t mbi)
{
	/* The boot page tables map the low 4 GiB, where GRUB put the MBI. */
	const u8 *base = __va(mbi);
	u32 total = *(const u32 *)base;
	const u8 *p = base + 8;
	bool have_mmap = false;

	boot_info.mbi_start = mbi;
	boot_info.mbi_end = mbi + total;

	while (p + sizeof(struct mb2_tag) <= base + total) {
		const struct mb2_tag *t = (const void *)p;

		if (t->type == MB2_TAG_END)
			break;
		if (t->size < sizeof(*t) || p + t->size > base + total)
			panic("malformed multiboot2 tag %u (size %u)\n",
			      t->type, t->size);
		switch (t->type) {
		case MB2_TAG_CMDLINE:
			boot_info.cmdline = tag_string(t, sizeof(*t));
			break;
		case MB2_TAG_LOADER:
			strlcpy(boot_info.loader, (const char *)(t + 1),
				sizeof(boot_info.loader));
			break;
		case MB2_TAG_MODULE:
			parse_module((const void *)t);
			break;
		case MB2_TAG_MMAP:
			parse_mmap((const void *)t);
			have_mmap = true;
			break;
		case MB2_TAG_EFI32:
		case MB2_TAG_EFI64:
			boot_info.efi = true;
			break;
		case MB2_TAG_ACPI_NEW:
			boot_info.rsdp = mbi + (paddr_t)(p + 8 - base);
			break;
		case MB2_TAG_ACPI_OLD:
			if (!boot_info.rsdp)
				boot_info.rsdp = mbi + (paddr_t)(p + 8 - base);
			break;
		}
		p += ROUNDUP(t->size, 8);
	}
	if (!have_mmap)
		panic("the boot loader gave no memory map\n");
	merge_ram();
}
