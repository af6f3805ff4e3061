/*
 * paging: hypercall buffers behind the guest's own page tables, from a
 * 32-bit guest in each 32-bit paging mode in turn: legacy paging with
 * 4 KiB pages, with 4 MiB pages (CR4.PSE), PAE with 4 KiB pages and with
 * 2 MiB pages. vCPU 0 only. Each mode's tables (in .bss) map the first
 * 8 MiB 1:1, so the guest runs on, and a window that maps RAM elsewhere:
 *
 *   WINDOW            a page of the mode's size S at FIRST (4 KiB pages:
 *                     FIRST_4K, else FIRST_LARGE)
 *   WINDOW + S        one 4 KiB page at SECOND, below FIRST
 *   WINDOW + S + 4K   not mapped; neither is anything from HOLE up
 *
 * CR3 has PWT set (ignored by the walk); the PAE PDPT is 32-byte aligned
 * but not page aligned. Legacy 4 KiB paging gives the window's PDE the PS
 * bit, which without CR4.PSE means nothing. Through the window, each of
 * which must succeed with the bytes at their physical addresses:
 *
 *   inside    xen_version extraversion in the first page.
 *   across    compile_info and get_features (read, then written) across
 *             the end of the first page; a console_io write of a line
 *             that crosses it too.
 *   unmapped  a buffer in the unmapped page, one running into it from
 *             the second page and one in the hole: -EFAULT, nothing
 *             written.
 *   reserved  an entry with a reserved bit makes a buffer behind it
 *             -EFAULT with nothing written, where the entry without it
 *             maps RAM: a 4 MiB PDE's bit 21 or its PSE-36 address bits
 *             (above 4 GiB: no RAM); a PAE PDPTE's bits 1, 2, 6-8, 63
 *             and MAXPHYADDR; a 2 MiB PDE's bits 13, 20, 52, 62 and 63
 *             (no EFER.NXE); a PAE PTE's bits 52, 62, 63 and MAXPHYADDR.
 *
 * Then paging goes off for the next mode. SUCCESS if everything holds,
 * else FAILURE naming the check, after a line naming the mode.
 */
#include <xtf.h>

#define MIB (1u << 20)
#define WINDOW 0x40000000u /* 1 GiB: PDE 256, PAE PDPTE 1 */
#define HOLE 0x80000000u /* 2 GiB: PDE 512, PAE PDPTE 2 */
#define IDENT_END (8 * MIB) /* mapped 1:1 */
#define SCRATCH (2 * MIB) /* [SCRATCH, IDENT_END): the test's pages */
#define SECOND (3 * MIB)
#define FIRST_LARGE (4 * MIB) /* 4 MiB and 2 MiB aligned */
#define FIRST_4K (6 * MIB)
#define PDPT_OFFSET 0x7e0 /* in its page */
#define PATTERN 0xa5

#define PTE_P 0x1u
#define PTE_RW 0x2u
#define PTE_PWT 0x8u
#define PTE_PS 0x80u
#define BIT64(n) (1ULL << (n))

#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)
#define CR4_PAE (1u << 5)

struct mode {
	const char *name;
	uint32_t cr4; /* CR4_PSE, CR4_PAE or neither */
	uint32_t size; /* of the window's first page */
};

static const struct mode modes[] = {
	{ "legacy 4K", 0, PAGE_SIZE },
	{ "legacy 4M", CR4_PSE, 4 * MIB },
	{ "PAE 4K", CR4_PAE, PAGE_SIZE },
	{ "PAE 2M", CR4_PAE, 2 * MIB },
};

#define PAGE_ALIGNED __attribute__((aligned(PAGE_SIZE)))
static uint32_t pd32[1024] PAGE_ALIGNED;
static uint32_t pt32[3][1024] PAGE_ALIGNED; /* 1:1 for 8 MiB, window */
static uint64_t pdpt_page[512] PAGE_ALIGNED;
static uint64_t pd64[2][512] PAGE_ALIGNED; /* 1:1, window */
static uint64_t pt64[5][512] PAGE_ALIGNED; /* 1:1 for 8 MiB, window */

/* What the hypervisor writes to a buffer with paging off. */
static char ref_extra[16];
static struct xen_compile_info ref_info;
static struct xen_feature_info ref_features;

static unsigned int maxphyaddr;

static uint32_t read_cr0(void)
{
	uint32_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint32_t read_cr4(void)
{
	uint32_t v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr0(uint32_t v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static void write_cr3(uint32_t v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static void write_cr4(uint32_t v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static uint32_t read_cr3(void)
{
	uint32_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static bool same(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < len; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

static bool untouched(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != PATTERN)
			return false;
	return true;
}

static uint8_t *phys(uint32_t pa)
{
	return (uint8_t *)(uintptr_t)pa;
}

static long version(unsigned int cmd, uint32_t va)
{
	return hypercall_xen_version(cmd, (void *)(uintptr_t)va);
}

/* The PDE index of a 32-bit address under legacy paging. */
static unsigned int pde32(uint32_t va)
{
	return va >> 22;
}

static uint32_t build_legacy(const struct mode *m)
{
	uint32_t *wpt = pt32[2];

	memset(pd32, 0, sizeof(pd32));
	memset(pt32, 0, sizeof(pt32));
	for (uint32_t i = 0; i < IDENT_END / (4 * MIB); i++) {
		if (m->cr4 & CR4_PSE) {
			pd32[i] = i * 4 * MIB | PTE_P | PTE_RW | PTE_PS;
			continue;
		}
		pd32[i] = (uintptr_t)pt32[i] | PTE_P | PTE_RW;
		for (uint32_t j = 0; j < 1024; j++)
			pt32[i][j] = (i * 1024 + j) * PAGE_SIZE | PTE_P |
				     PTE_RW;
	}
	if (m->size == PAGE_SIZE) {
		/* Without CR4.PSE the PS bit is ignored: a page table. */
		pd32[pde32(WINDOW)] = (uintptr_t)wpt | PTE_P | PTE_RW | PTE_PS;
		wpt[0] = FIRST_4K | PTE_P | PTE_RW;
		wpt[1] = SECOND | PTE_P | PTE_RW;
	} else {
		pd32[pde32(WINDOW)] = FIRST_LARGE | PTE_P | PTE_RW | PTE_PS;
		pd32[pde32(WINDOW) + 1] = (uintptr_t)wpt | PTE_P | PTE_RW;
		wpt[0] = SECOND | PTE_P | PTE_RW;
	}
	return (uintptr_t)pd32 | PTE_PWT;
}

static uint64_t *pdpt(void)
{
	return &pdpt_page[PDPT_OFFSET / sizeof(uint64_t)];
}

static uint32_t build_pae(const struct mode *m)
{
	uint64_t *wpt = pt64[4];

	memset(pdpt_page, 0, sizeof(pdpt_page));
	memset(pd64, 0, sizeof(pd64));
	memset(pt64, 0, sizeof(pt64));
	/* A PDPTE has no R/W bit (bit 1 is reserved). */
	pdpt()[0] = (uintptr_t)pd64[0] | PTE_P;
	pdpt()[1] = (uintptr_t)pd64[1] | PTE_P;
	for (uint32_t i = 0; i < IDENT_END / (2 * MIB); i++) {
		if (m->size != PAGE_SIZE) {
			pd64[0][i] = i * 2 * MIB | PTE_P | PTE_RW | PTE_PS;
			continue;
		}
		pd64[0][i] = (uintptr_t)pt64[i] | PTE_P | PTE_RW;
		for (uint32_t j = 0; j < 512; j++)
			pt64[i][j] = (i * 512 + j) * PAGE_SIZE | PTE_P | PTE_RW;
	}
	if (m->size == PAGE_SIZE) {
		pd64[1][0] = (uintptr_t)wpt | PTE_P | PTE_RW;
		wpt[0] = FIRST_4K | PTE_P | PTE_RW;
		wpt[1] = SECOND | PTE_P | PTE_RW;
	} else {
		pd64[1][0] = FIRST_LARGE | PTE_P | PTE_RW | PTE_PS;
		pd64[1][1] = (uintptr_t)wpt | PTE_P | PTE_RW;
		wpt[0] = SECOND | PTE_P | PTE_RW;
	}
	/* CR3 bits 4:0 are ignored in PAE paging. */
	return (uintptr_t)pdpt() | PTE_PWT;
}

static void paging_on(uint32_t cr4, uint32_t cr3)
{
	write_cr4(read_cr4() | cr4);
	write_cr3(cr3);
	write_cr0(read_cr0() | CR0_PG);
}

static void paging_off(void)
{
	write_cr0(read_cr0() & ~CR0_PG);
	write_cr4(read_cr4() & ~(CR4_PSE | CR4_PAE));
}

/* Buffers through the window: va_end and pa_end end its first page. */
static void window(const struct mode *m, uint32_t va_end, uint8_t *pa_end)
{
	uint8_t *last = pa_end - PAGE_SIZE, *second = phys(SECOND);
	const char *line =
		"paging: console_io across two pages of the window\n";
	uint32_t len = strlen(line), head = 16;

	memset(last, PATTERN, PAGE_SIZE);
	memset(second, PATTERN, PAGE_SIZE);
	/* The guest's own view first: a mistake here is the test's. */
	*(volatile uint32_t *)(uintptr_t)(va_end - 4) = 0x11111111;
	*(volatile uint32_t *)(uintptr_t)va_end = 0x22222222;
	if (*(uint32_t *)(pa_end - 4) != 0x11111111 ||
	    *(uint32_t *)second != 0x22222222)
		xtf_error("%s: the window does not map as built", m->name);

	check_rc(version(XENVER_extraversion, va_end - PAGE_SIZE + 0x100), 0,
		 "extraversion inside the window");
	check(same(last + 0x100, ref_extra, sizeof(ref_extra)),
	      "%s: extraversion not at its physical address", m->name);

	check_rc(version(XENVER_compile_info, va_end - 64), 0,
		 "compile_info across the window");
	check(same(pa_end - 64, &ref_info, 64) &&
		      same(second, (char *)&ref_info + 64,
			   sizeof(ref_info) - 64),
	      "%s: compile_info not at its physical addresses", m->name);

	*(uint32_t *)(pa_end - 4) = 0; /* submap_idx, read back */
	memset(second, PATTERN, 4);
	check_rc(version(XENVER_get_features, va_end - 4), 0,
		 "get_features across the window");
	check(*(uint32_t *)second == ref_features.submap,
	      "%s: get_features submap %#x, not %#x", m->name,
	      *(uint32_t *)second, ref_features.submap);

	memcpy(pa_end - head, line, head);
	memcpy(second, line + head, len - head);
	check_rc(hypercall_console_write(
			 (const char *)(uintptr_t)(va_end - head), len),
		 0, "console_io write across the window");

	memset(last, PATTERN, PAGE_SIZE);
	memset(second, PATTERN, PAGE_SIZE);
	check_rc(version(XENVER_extraversion, va_end + PAGE_SIZE + 0x100),
		 -XEN_EFAULT, "extraversion in the unmapped page");
	check_rc(version(XENVER_extraversion, va_end + PAGE_SIZE - 8),
		 -XEN_EFAULT, "extraversion into the unmapped page");
	check_rc(version(XENVER_compile_info, va_end + PAGE_SIZE - 64),
		 -XEN_EFAULT, "compile_info into the unmapped page");
	check_rc(version(XENVER_extraversion, HOLE + 0x100), -XEN_EFAULT,
		 "extraversion in the hole");
	check_rc(hypercall_console_write(
			 (const char *)(uintptr_t)(va_end + PAGE_SIZE), 16),
		 -XEN_EFAULT, "console_io write from the unmapped page");
	check(untouched(last, PAGE_SIZE) && untouched(second, PAGE_SIZE),
	      "%s: a failed copy wrote to the window", m->name);
}

/*
 * With *entry = good the buffer at va must land at pa; with good | bad
 * (a reserved bit) it must be -EFAULT and write nothing.
 */
static void reserved(const char *what, uint64_t *e64, uint32_t *e32,
		     uint64_t good, uint64_t bad, uint32_t va, uint8_t *pa)
{
	long rc;

	memset(pa, PATTERN, sizeof(ref_extra));
	if (e64)
		*e64 = good;
	else
		*e32 = good;
	write_cr3(read_cr3()); /* the CPU's PDPTEs follow */
	check_rc(version(XENVER_extraversion, va), 0, what);
	check(same(pa, ref_extra, sizeof(ref_extra)),
	      "%s: not at its physical address", what);

	memset(pa, PATTERN, sizeof(ref_extra));
	if (e64)
		*e64 = good | bad;
	else
		*e32 = good | bad;
	rc = version(XENVER_extraversion, va);
	check(rc == -XEN_EFAULT,
	      "%s with bit(s) %#llx set returned %ld, not -EFAULT", what,
	      (unsigned long long)bad, rc);
	check(untouched(pa, sizeof(ref_extra)),
	      "%s with bit(s) %#llx set wrote", what, (unsigned long long)bad);
	if (e64)
		*e64 = 0;
	else
		*e32 = 0;
}

/* 4 MiB pages: bit 21 is reserved, bits 20:13 are address bits 39:32. */
static void reserved_pse(void)
{
	static const uint32_t bad[] = { 1u << 21, 1u << 13, 1u << 20 };
	uint32_t va = WINDOW + 8 * MIB, *pde = &pd32[pde32(va)];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		reserved("4 MiB PDE", NULL, pde,
			 FIRST_LARGE | PTE_P | PTE_RW | PTE_PS, bad[i],
			 va + 0x100, phys(FIRST_LARGE + 0x100));
}

static void reserved_pae(const struct mode *m)
{
	uint32_t first = m->size == PAGE_SIZE ? FIRST_4K : FIRST_LARGE;
	/* Not bit 5: QEMU sets it (accessed) in the PDPTEs it walks. */
	uint64_t pdpte[] = { BIT64(1), BIT64(2),  BIT64(6), BIT64(7),
			     BIT64(8), BIT64(63), 0 };
	uint64_t pde[] = { BIT64(13), BIT64(20), BIT64(52), BIT64(62),
			   BIT64(63) };
	uint64_t pte[] = { BIT64(52), BIT64(62), BIT64(63), 0 };
	uint32_t va = WINDOW + 4 * MIB; /* PDE 2 of the window's PD */
	uint64_t *wpde = &pd64[1][2], *wpte = &pt64[4][3];
	unsigned int i;

	if (maxphyaddr < 52)
		pdpte[6] = pte[3] = BIT64(maxphyaddr);
	for (i = 0; i < sizeof(pdpte) / sizeof(pdpte[0]) && pdpte[i]; i++)
		reserved("PDPTE", &pdpt()[2], NULL, (uintptr_t)pd64[1] | PTE_P,
			 pdpte[i], HOLE + 0x100, phys(first + 0x100));
	for (i = 0; i < sizeof(pde) / sizeof(pde[0]); i++)
		reserved("2 MiB PDE", wpde, NULL,
			 FIRST_LARGE | PTE_P | PTE_RW | PTE_PS, pde[i],
			 va + 0x100, phys(FIRST_LARGE + 0x100));
	*wpde = (uintptr_t)pt64[4] | PTE_P | PTE_RW;
	for (i = 0; i < sizeof(pte) / sizeof(pte[0]) && pte[i]; i++)
		reserved("PTE", wpte, NULL, FIRST_4K | PTE_P | PTE_RW, pte[i],
			 va + 3 * PAGE_SIZE + 0x100, phys(FIRST_4K + 0x100));
	*wpde = 0;
}

static void run_mode(const struct mode *m)
{
	uint32_t first = m->size == PAGE_SIZE ? FIRST_4K : FIRST_LARGE;

	printf("paging: %s\n", m->name);
	paging_on(m->cr4, m->cr4 & CR4_PAE ? build_pae(m) : build_legacy(m));
	window(m, WINDOW + m->size, phys(first + m->size));
	if (m->cr4 & CR4_PSE)
		reserved_pse();
	if (m->cr4 & CR4_PAE)
		reserved_pae(m);
	paging_off();
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	if (!xtf_has_xen())
		xtf_skip("no hypervisor: the test is of its hypercalls");
	if (xtf_ram_end() < IDENT_END || xtf_in_use(SCRATCH, IDENT_END))
		xtf_error("needs [%#x, %#x) free RAM", SCRATCH, IDENT_END);
	maxphyaddr = cpuid(0x80000000).eax >= 0x80000008 ?
			     cpuid(0x80000008).eax & 0xff :
			     36;

	check_rc(hypercall_xen_version(XENVER_extraversion, ref_extra), 0,
		 "extraversion with paging off");
	check_rc(hypercall_xen_version(XENVER_compile_info, &ref_info), 0,
		 "compile_info with paging off");
	check_rc(hypercall_xen_version(XENVER_get_features, &ref_features), 0,
		 "get_features with paging off");
	check(ref_features.submap & (1u << XENFEAT_auto_translated_physmap),
	      "get_features: no auto_translated_physmap");

	for (unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		run_mode(&modes[i]);
	xtf_success();
}
