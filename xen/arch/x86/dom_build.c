/*
 * Building domains straight from boot modules (like Xen's dom0less). A
 * module whose string is
 *
 *   domain name=NAME mem=SIZE vcpus=N [cmdline="..."] [cpus=LIST]
 *          [expect=crash|hang]
 *
 * becomes a domain running that module: a 32-bit ELF entered the PVH way
 * (protected mode, paging off) or a 64-bit ELF entered in long mode on
 * identity page tables the builder writes; either way RBX = the start-info
 * page. Every vCPU starts at the entry. Bad strings, sizes or images are
 * reported and that domain is refused; the others still start. The string
 * is parsed by build_spec.c, the ELF header by elf.c. A domain whose build
 * fails is destroyed at once, before the next module.
 */
#include <xen/autoexit.h>
#include <xen/build_spec.h>
#include <xen/elf.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/p2m.h>
#include <xen/sched.h>
#include <asm/bootinfo.h>
#include <asm/dom_build.h>
#include <asm/hvm.h>
#include <asm/pgtable.h>
#include <public/start_info.h>

/* The start-info page: the header, up to MEMMAP_MAX entries, the cmdline. */
#define START_INFO_GPA 0x6000UL
#define MEMMAP_GPA (START_INFO_GPA + 0x40)
#define MEMMAP_MAX 3
#define CMDLINE_GPA (START_INFO_GPA + 0x100)

/*
 * A 64-bit guest's page tables map [0, mem) 1:1 with 2 MiB pages. They fill
 * the pages right below the start info: the PML4 at 0x5000, the PDPT at
 * 0x4000, and below them one PD per started GiB, in ascending order up to
 * 0x3fff (for 4 GiB they start at 0).
 */
#define PML4_GPA (START_INFO_GPA - PAGE_SIZE)
#define PDPT_GPA (PML4_GPA - PAGE_SIZE)
#define GUEST_PTE (_PAGE_PRESENT | _PAGE_RW)
#define SIZE_2M (PAGE_SIZE << PAGE_ORDER_2M)
#define SIZE_1G (PAGE_SIZE << PAGE_ORDER_1G)

/*
 * gfns after RAM that the builder reserves (not in the memory map) and
 * leaves empty, as Xen's toolstack does its special pages: the paging
 * ring (HVM_PARAM_PAGING_RING_PFN), which a pager populates. The domain
 * may have as many pages more than its RAM.
 */
#define SPECIAL_GFNS 1
#define SPECIAL_GFN_PAGING_RING 0

static unsigned long nr_pds(unsigned long mem)
{
	return DIV_ROUND_UP(mem, SIZE_1G);
}

/* The lowest page table: the first PD. */
static paddr_t pt_base(unsigned long mem)
{
	return PDPT_GPA - nr_pds(mem) * PAGE_SIZE;
}

/* The builder's data, which no segment may overlap, starts here. */
static paddr_t reserved_base(const struct elf_image *e, unsigned long mem)
{
	return e->is64 ? pt_base(mem) : START_INFO_GPA;
}

/* Check the image fits the domain; fills *e, or explains why not. */
static int check_elf(struct elf_image *e, const struct build_spec *s, char *why,
		     size_t size)
{
	bool entry_ok = false;
	paddr_t low;
	unsigned int i;

	if (elf_check(e, why, size))
		return -EINVAL;
	low = reserved_base(e, s->mem);
	for (i = 0; i < e->phnum; i++) {
		struct elf_segment seg;

		elf_get_segment(e, i, &seg);
		if (seg.type != PT_LOAD)
			continue;
		/* Written so that 64-bit fields cannot overflow. */
		if (seg.memsz > s->mem || seg.paddr > s->mem - seg.memsz)
			return refuse(-EINVAL, why, size,
				      "segment %u does not fit the domain's "
				      "memory",
				      i);
		if (seg.paddr < START_INFO_GPA + PAGE_SIZE &&
		    seg.paddr + seg.memsz > low)
			return refuse(-EINVAL, why, size,
				      "segment %u overlaps %s", i,
				      e->is64 ?
					      "the page tables or the start "
					      "info (below 0x7000)" :
					      "the start info (0x6000-0x6fff)");
		if (e->entry >= seg.paddr && e->entry < seg.paddr + seg.memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return refuse(-EINVAL, why, size,
			      "the entry point is in no segment");
	return 0;
}

static int load_elf(struct domain *d, const struct elf_image *e)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < e->phnum && !rc; i++) {
		struct elf_segment seg;

		elf_get_segment(e, i, &seg);
		if (seg.type != PT_LOAD)
			continue;
		rc = hvm_copy_to_guest_phys(d, seg.paddr, e->img + seg.offset,
					    seg.filesz);
		if (!rc)
			rc = hvm_clear_guest_phys(d, seg.paddr + seg.filesz,
						  seg.memsz - seg.filesz);
	}
	return rc;
}

/* Guest RAM [0, mem): 2 MiB frames where possible. */
static int populate_ram(struct domain *d, unsigned long mem)
{
	unsigned long gfn = 0, nr = mem >> PAGE_SHIFT;

	while (gfn < nr) {
		unsigned int order = 0;
		struct page_info *pg = NULL;
		int rc;

		if (IS_ALIGNED(gfn, 1UL << PAGE_ORDER_2M) &&
		    nr - gfn >= (1UL << PAGE_ORDER_2M)) {
			pg = alloc_domheap_pages(d, PAGE_ORDER_2M, 0);
			order = PAGE_ORDER_2M;
		}
		if (!pg) {
			order = 0;
			pg = alloc_domheap_page(d, 0);
		}
		if (!pg)
			return -ENOMEM;
		rc = p2m_set_entry(d->p2m, _gfn(gfn), _mfn(page_to_pfn(pg)),
				   order, p2m_ram_rw, p2m_access_rwx);
		if (rc)
			return rc;
		gfn += 1UL << order;
	}
	return 0;
}

/* The identity map of [0, mem) described at PML4_GPA. */
static int write_page_tables(struct domain *d, unsigned long mem)
{
	paddr_t base = pt_base(mem);
	u64 pte = PDPT_GPA | GUEST_PTE;
	unsigned long i;
	int rc;

	BUILD_BUG_ON(DIV_ROUND_UP(DOMAIN_MEM_MAX, SIZE_1G) * PAGE_SIZE >
		     PDPT_GPA);
	rc = hvm_clear_guest_phys(d, base, START_INFO_GPA - base);
	if (!rc)
		rc = hvm_copy_to_guest_phys(d, PML4_GPA, &pte, sizeof(pte));
	for (i = 0; i < nr_pds(mem) && !rc; i++) {
		pte = (base + i * PAGE_SIZE) | GUEST_PTE;
		rc = hvm_copy_to_guest_phys(d, PDPT_GPA + i * sizeof(pte), &pte,
					    sizeof(pte));
	}
	/* The PDs are adjacent: together one array of 2 MiB entries. */
	for (i = 0; i < DIV_ROUND_UP(mem, SIZE_2M) && !rc; i++) {
		pte = i * SIZE_2M | GUEST_PTE | _PAGE_PSE;
		rc = hvm_copy_to_guest_phys(d, base + i * sizeof(pte), &pte,
					    sizeof(pte));
	}
	return rc;
}

static struct hvm_memmap_table_entry memmap_entry(paddr_t addr, paddr_t size,
						  u32 type)
{
	return (struct hvm_memmap_table_entry){ .addr = addr,
						.size = size,
						.type = type };
}

/* RAM, but for a 64-bit guest its page tables are reserved. */
static unsigned int fill_memmap(struct hvm_memmap_table_entry *map,
				unsigned long mem, bool is64)
{
	paddr_t base = pt_base(mem);
	unsigned int n = 0;

	if (!is64) {
		map[n++] = memmap_entry(0, mem, XEN_HVM_MEMMAP_TYPE_RAM);
		return n;
	}
	if (base)
		map[n++] = memmap_entry(0, base, XEN_HVM_MEMMAP_TYPE_RAM);
	map[n++] = memmap_entry(base, START_INFO_GPA - base,
				XEN_HVM_MEMMAP_TYPE_RESERVED);
	map[n++] = memmap_entry(START_INFO_GPA, mem - START_INFO_GPA,
				XEN_HVM_MEMMAP_TYPE_RAM);
	return n;
}

static int write_start_info(struct domain *d, const struct build_spec *s,
			    bool is64)
{
	struct hvm_memmap_table_entry map[MEMMAP_MAX];
	struct hvm_start_info si = {
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = 1,
		.memmap_paddr = MEMMAP_GPA,
		.memmap_entries = fill_memmap(map, s->mem, is64),
	};
	int rc;

	BUILD_BUG_ON(MEMMAP_GPA < START_INFO_GPA + sizeof(si) ||
		     MEMMAP_GPA + sizeof(map) > CMDLINE_GPA ||
		     CMDLINE_GPA + DOMAIN_CMDLINE_MAX >
			     START_INFO_GPA + PAGE_SIZE);
	if (s->cmdline[0])
		si.cmdline_paddr = CMDLINE_GPA;
	rc = hvm_copy_to_guest_phys(d, START_INFO_GPA, &si, sizeof(si));
	if (!rc)
		rc = hvm_copy_to_guest_phys(d, MEMMAP_GPA, map,
					    si.memmap_entries * sizeof(map[0]));
	if (!rc && s->cmdline[0])
		rc = hvm_copy_to_guest_phys(d, CMDLINE_GPA, s->cmdline,
					    strlen(s->cmdline) + 1);
	return rc;
}

static int build(struct domain *d, const struct build_spec *s,
		 const struct elf_image *e)
{
	struct hvm_vcpu start = {
		.rip = e->entry,
		.entry_64bit = e->is64,
		.cr3 = e->is64 ? PML4_GPA : 0,
	};
	unsigned int i;
	int rc;

	/*
	 * More than is free now cannot be built: touch nothing, so that
	 * running domains never find the heap drained by a hopeless build.
	 * (Memory freed meanwhile is not waited for; memory taken meanwhile,
	 * or the p2m's own tables, can still make populating fail.)
	 */
	if (s->mem >> PAGE_SHIFT > total_free_pages())
		return -ENOMEM;
	rc = hvm_domain_init(d, (s->mem >> PAGE_SHIFT) + SPECIAL_GFNS);
	if (!rc)
		rc = populate_ram(d, s->mem);
	d->hvm_params[HVM_PARAM_PAGING_RING_PFN] =
		(s->mem >> PAGE_SHIFT) + SPECIAL_GFN_PAGING_RING;
	if (!rc)
		rc = load_elf(d, e);
	if (!rc && e->is64)
		rc = write_page_tables(d, s->mem);
	if (!rc)
		rc = write_start_info(d, s, e->is64);
	start.regs.rbx = START_INFO_GPA;
	for (i = 0; i < s->vcpus && !rc; i++) {
		rc = vcpu_create(d, i, hvm_vcpu_loop);
		if (!rc)
			rc = hvm_vcpu_init(d->vcpu[i], &start);
		if (!rc && s->have_cpus)
			rc = vcpu_set_affinity(d->vcpu[i], &s->cpus);
	}
	return rc;
}

/* The names of the modules whose strings parsed, by module index. */
static char module_names[MAX_BOOT_MODULES]
			[sizeof(((struct build_spec *)0)->name)];

/* Module idx takes its name unless an earlier module has it already. */
static int claim_name(unsigned int idx, const char *name, char *why,
		      size_t size)
{
	unsigned int i;

	for (i = 0; i < idx; i++)
		if (!strcmp(module_names[i], name))
			return refuse(-EINVAL, why, size,
				      "name=%s: module %u has that name", name,
				      i);
	strlcpy(module_names[idx], name, sizeof(module_names[idx]));
	return 0;
}

/*
 * A failed build gives back everything it took (pages, p2m tables, vCPUs
 * and their stacks, event channels) before the next module is built.
 */
static void build_failed(struct domain *d, int rc, unsigned long free_before)
{
	domid_t id = d->domain_id;
	char name[sizeof(d->name)];

	strlcpy(name, d->name, sizeof(name));
	domain_destroy_unbuilt(d);
	printk(XENLOG_ERR "d%u (%s): build failed (%d): destroyed, %lu pages "
			  "free (%lu before it was created)\n",
	       id, name, rc, total_free_pages(), free_before);
}

/* The domain module idx became (paused, referenced), or NULL. */
static struct domain *build_one(unsigned int idx, const struct boot_module *m)
{
	struct elf_image elf = { .img = __va(m->start),
				 .size = m->end - m->start };
	/* Too big for the stack (the command line); boot CPU only. */
	static struct build_spec spec;
	unsigned long free_before = total_free_pages();
	char why[160];
	struct domain *d;
	int rc;

	if (build_spec_parse(m->string, &spec, why, sizeof(why)) ||
	    claim_name(idx, spec.name, why, sizeof(why)) ||
	    check_elf(&elf, &spec, why, sizeof(why))) {
		printk(XENLOG_ERR "module %u ('%.*s%s'): %s: refused\n", idx,
		       MODULE_SHOWN(m->string), why);
		return NULL;
	}
	d = domain_create(0, spec.name, spec.vcpus,
			  (spec.mem >> PAGE_SHIFT) + SPECIAL_GFNS, &rc);
	if (!d) {
		printk(XENLOG_ERR "module %u: cannot create domain '%s' (%d)\n",
		       idx, spec.name, rc);
		return NULL;
	}
	/* Held while building: a remote shutdown cannot free it under us. */
	domain_get(d->domain_id);
	rc = build(d, &spec, &elf);
	if (rc) {
		build_failed(d, rc, free_before);
		return NULL;
	}
	d->has_verdict = true;
	d->expect = spec.expect;
	strlcpy(d->expect_reason, spec.expect_reason, sizeof(d->expect_reason));
	control_domain_offer(d);
	printk("d%u (%s): %lu MiB, %u vCPU%s, %u-bit, entry %#lx%s\n",
	       d->domain_id, d->name, spec.mem >> 20, spec.vcpus,
	       spec.vcpus > 1 ? "s" : "", elf.is64 ? 64 : 32,
	       (unsigned long)elf.entry, autoexit_expect_note(spec.expect));
	return d;
}

/*
 * Every module is built before any domain runs: building keeps the boot
 * CPU busy (for seconds under Bochs), and a domain whose vCPUs were split
 * between it and another CPU would see some of them stand still.
 */
unsigned int build_domains_from_modules(void)
{
	static struct domain *built[MAX_BOOT_MODULES];
	unsigned int i, nr = 0;

	for (i = 0; i < boot_info.nr_modules; i++) {
		struct domain *d = build_one(i, &boot_info.modules[i]);

		if (d)
			built[nr++] = d;
	}
	control_domain_report();
	for (i = 0; i < nr; i++) {
		domain_unpause(built[i]);
		domain_put(built[i]);
	}
	return nr;
}
