/*
 * The hypervisor's own page tables: building them at boot, mapping more
 * later (frame table, hot-added RAM, MMIO), and the arch hooks of the
 * common frame-table code.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/spinlock.h>
#include <asm/bootinfo.h>
#include <asm/config.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

pte_t idle_pg_table[512] __aligned(PAGE_SIZE) __section(".bss.page_aligned");

/* Serialises changes to idle_pg_table's tree. */
static DEFINE_SPINLOCK(map_lock, LR_MAP_PAGES);
static bool heap_ready;
static unsigned long ioremap_next = IOREMAP_VIRT_START;

extern char __image_start_phys[], _stext[], _etext[], __bss_end[];
extern char __trampoline_start[], __trampoline_end[];

#define L4_SHIFT 39
#define L3_SHIFT 30
#define L2_SHIFT 21
#define L1_SHIFT 12
#define TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static unsigned int pt_index(unsigned long va, unsigned int shift)
{
	return (va >> shift) & 511;
}

static pte_t *alloc_pt_page(void)
{
	void *p;

	if (!heap_ready)
		return __va(bootmem_alloc(1));
	p = alloc_xenheap_page();
	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

/* Table at the next level below *e, creating it if absent. map_lock held. */
static pte_t *next_table(pte_t *e)
{
	pte_t *t;

	if (*e & _PAGE_PRESENT) {
		/* A superpage here would have to be split: we never do. */
		BUG_ON(*e & _PAGE_PSE);
		return __va(*e & PADDR_MASK);
	}
	t = alloc_pt_page();
	if (!t)
		return NULL;
	*e = __pa(t) | TABLE_FLAGS;
	return t;
}

static int map_one(unsigned long va, paddr_t pa, u64 flags, bool super)
{
	pte_t *l3, *l2, *l1;

	l3 = next_table(&idle_pg_table[pt_index(va, L4_SHIFT)]);
	if (!l3)
		return -ENOMEM;
	l2 = next_table(&l3[pt_index(va, L3_SHIFT)]);
	if (!l2)
		return -ENOMEM;
	if (super) {
		l2[pt_index(va, L2_SHIFT)] = pa | flags | _PAGE_PSE;
		return 0;
	}
	l1 = next_table(&l2[pt_index(va, L2_SHIFT)]);
	if (!l1)
		return -ENOMEM;
	l1[pt_index(va, L1_SHIFT)] = pa | flags;
	return 0;
}

int map_pages_to_xen(unsigned long va, paddr_t pa, unsigned long nr, u64 flags,
		     bool allow_super)
{
	const unsigned long super_pages = 1UL << (L2_SHIFT - L1_SHIFT);
	int rc = 0;

	spin_lock(&map_lock);
	while (nr && !rc) {
		bool super = allow_super && nr >= super_pages &&
			     IS_ALIGNED(va | pa, 1UL << L2_SHIFT);
		unsigned long step = super ? super_pages : 1;

		rc = map_one(va, pa, flags, super);
		va += step << PAGE_SHIFT;
		pa += (paddr_t)step << PAGE_SHIFT;
		nr -= step;
	}
	spin_unlock(&map_lock);
	flush_tlb_local();
	return rc;
}

void unmap_pages_from_xen(unsigned long va, unsigned long nr)
{
	spin_lock(&map_lock);
	for (; nr--; va += PAGE_SIZE) {
		pte_t *t = idle_pg_table;
		unsigned int shift;

		for (shift = L4_SHIFT; shift > L1_SHIFT; shift -= 9) {
			pte_t e = t[pt_index(va, shift)];

			if (!(e & _PAGE_PRESENT))
				break;
			BUG_ON(e & _PAGE_PSE);
			t = __va(e & PADDR_MASK);
		}
		if (shift == L1_SHIFT)
			t[pt_index(va, L1_SHIFT)] = 0;
	}
	spin_unlock(&map_lock);
	flush_tlb_local();
}

paddr_t xen_va_to_pa(unsigned long va)
{
	const pte_t *t = idle_pg_table;
	unsigned int shift;

	for (shift = L4_SHIFT;; shift -= 9) {
		pte_t e = t[pt_index(va, shift)];

		if (!(e & _PAGE_PRESENT))
			return ~(paddr_t)0;
		if (shift == L1_SHIFT || (e & _PAGE_PSE))
			return (e & PADDR_MASK & ~((1UL << shift) - 1)) +
			       (va & ((1UL << shift) - 1));
		t = __va(e & PADDR_MASK);
	}
}

static void map_image(void)
{
	paddr_t start = (paddr_t)__image_start_phys;
	paddr_t text = __pa(_stext), etext = ROUNDUP(__pa(_etext), PAGE_SIZE);
	paddr_t end = ROUNDUP(__pa(__bss_end), PAGE_SIZE);

	/* The 32-bit entry stub stays reachable at its link address. */
	map_pages_to_xen(XEN_VIRT_START + start, start,
			 (text - start) >> PAGE_SHIFT, PAGE_HYPERVISOR_RW,
			 false);
	map_pages_to_xen(XEN_VIRT_START + text, text,
			 (etext - text) >> PAGE_SHIFT, PAGE_HYPERVISOR_RX,
			 false);
	map_pages_to_xen(XEN_VIRT_START + etext, etext,
			 (end - etext) >> PAGE_SHIFT, PAGE_HYPERVISOR_RW,
			 false);
}

static void map_directmap_range(paddr_t start, paddr_t end)
{
	start = ROUNDDOWN(start, 1UL << L2_SHIFT);
	end = ROUNDUP(end, 1UL << L2_SHIFT);
	if (end > DIRECTMAP_SIZE)
		panic("RAM above %lu GiB is not supported\n",
		      DIRECTMAP_SIZE >> 30);
	if (map_pages_to_xen((unsigned long)__va(start), start,
			     (end - start) >> PAGE_SHIFT, PAGE_HYPERVISOR_RW,
			     true))
		panic("out of memory building the direct map\n");
}

void paging_init(void)
{
	unsigned int i;

	if (cpuid(0x80000001).edx & (1U << 20))
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	else
		panic("this CPU has no NX bit\n");

	map_image();
	/* The low 4 GiB (ACPI tables, MMIO windows) and all RAM. */
	map_directmap_range(0, 1UL << 32);
	for (i = 0; i < boot_info.nr_ram; i++)
		if (boot_info.ram[i].end > (1UL << 32))
			map_directmap_range(max(boot_info.ram[i].start,
						1UL << 32),
					    boot_info.ram[i].end);
	/* The AP trampoline runs identity mapped while enabling paging. */
	map_pages_to_xen(TRAMPOLINE_ADDR, TRAMPOLINE_ADDR, 1,
			 PAGE_HYPERVISOR_RX, false);

	write_cr3(__pa(idle_pg_table));
}

void paging_heap_ready(void)
{
	heap_ready = true;
}

int arch_populate_frametable(unsigned long va, unsigned long len)
{
	unsigned long off;

	for (off = 0; off < len; off += PAGE_SIZE) {
		paddr_t pa;
		int rc;

		if (heap_ready) {
			void *p = alloc_xenheap_page();

			if (!p)
				return -ENOMEM;
			memset(p, 0, PAGE_SIZE);
			pa = __pa(p);
		} else {
			pa = bootmem_alloc(1);
		}
		rc = map_pages_to_xen(va + off, pa, 1, PAGE_HYPERVISOR_RW,
				      false);
		if (rc)
			return rc;
	}
	return 0;
}

int arch_map_directmap(unsigned long spfn, unsigned long epfn)
{
	paddr_t s = (paddr_t)spfn << PAGE_SHIFT,
		e = (paddr_t)epfn << PAGE_SHIFT;

	if (e > DIRECTMAP_SIZE)
		return -EINVAL;
	/* Below 4 GiB the direct map already covers everything. */
	if (e <= (1UL << 32))
		return 0;
	return map_pages_to_xen((unsigned long)__va(s), s, epfn - spfn,
				PAGE_HYPERVISOR_RW, true);
}

void *ioremap(paddr_t pa, size_t size)
{
	paddr_t base = ROUNDDOWN(pa, PAGE_SIZE);
	unsigned long nr = (ROUNDUP(pa + size, PAGE_SIZE) - base) >> PAGE_SHIFT;
	unsigned long va = __atomic_fetch_add(&ioremap_next, nr << PAGE_SHIFT,
					      __ATOMIC_RELAXED);

	if (va + (nr << PAGE_SHIFT) > IOREMAP_VIRT_START + IOREMAP_SIZE ||
	    map_pages_to_xen(va, base, nr, PAGE_HYPERVISOR_UC, false))
		return NULL;
	return (void *)(va + (pa - base));
}
