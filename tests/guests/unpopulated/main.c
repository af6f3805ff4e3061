/*
 * unpopulated: guest-physical addresses where nothing is must read
 * all-ones and drop writes (Xen's behaviour), and the domain must go on.
 * Built 32-bit (paging off: addresses are gpas) and 64-bit as
 * unpopulated64 (8-byte accesses too; paging on the builder's identity
 * map, to which it adds 1:1 2 MiB pages for 3-4 GiB). Three places:
 *
 *   - the highest free page of its own RAM, written, then ballooned out
 *     with decrease_reservation (its p2m entry is then invalid);
 *   - addr= (default 3 GiB): beyond its memory;
 *   - dev= (default 0xfed00000, where a PC has its HPET): a device range
 *     nothing emulates.
 *
 * At each: loads of 1, 2, 4 (and 8) bytes read all-ones (movzx, mov),
 * also at an odd offset; stores of each size are dropped (the loads after
 * them still read all-ones); CMP with -1 sets ZF, and an INC, an OR and
 * an XCHG write nothing (XCHG's register gets all-ones). Every one of
 * these is one access the hypervisor emulates: it prints their count as
 * `unpopulated: N accesses where nothing is` for
 * tests/boot/check-unpopulated.sh, which checks the hypervisor's count of
 * them when the domain ends and its once-per-domain log line.
 *
 * refuse=1: a `rep movsb` from dev= instead, which the hypervisor does
 * not emulate: it must crash this domain, naming the bytes (run with
 * "expect=crash:not emulated (bytes f3 a4)"). walk=1 (64-bit only): its
 * page directory for 3-4 GiB is put at addr= instead, where nothing is,
 * and 3 GiB read: the CPU's walk of its tables reaches nothing, which
 * must crash it too ("expect=crash:tables reach gpa c0000000 where
 * nothing is").
 */
#include <xtf.h>
#include <public/memory.h>

#define GIB3 0xc0000000UL
#define PTE_P_RW 0x3UL
#define PTE_PS 0x80UL
#define SIZE_2M 0x200000UL

static unsigned long accesses;

#ifdef __x86_64__
/* Page directory for 3-4 GiB, 1:1 in 2 MiB pages. */
static uint64_t pd_gib3[512] __attribute__((aligned(4096)));

static void map_gib3(void)
{
	uint64_t cr3, *pml4, *pdpt;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(cr3 & ~0xfffUL);
	pdpt = (uint64_t *)(pml4[0] & 0x000ffffffffff000UL);
	for (unsigned int i = 0; i < 512; i++)
		pd_gib3[i] = (GIB3 + i * SIZE_2M) | PTE_P_RW | PTE_PS;
	pdpt[3] = (uint64_t)pd_gib3 | PTE_P_RW;
	asm volatile("mov %0, %%cr3" ::"r"(cr3) : "memory");
}

/* 3-4 GiB through a page directory at gpa pd, where nothing is. */
static void walk_nothing(uint64_t pd)
{
	uint64_t cr3, *pdpt;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	pdpt = (uint64_t *)(((uint64_t *)(cr3 & ~0xfffUL))[0] &
			    0x000ffffffffff000UL);
	pdpt[3] = pd | PTE_P_RW;
	asm volatile("mov %0, %%cr3" ::"r"(cr3) : "memory");
	printf("unpopulated: its page directory for 3 GiB at 0x%lx: reading "
	       "3 GiB must crash this domain\n",
	       (unsigned long)pd);
	xtf_failure("reading 3 GiB through a page directory at 0x%lx gave "
		    "0x%x",
		    (unsigned long)pd, *(volatile uint32_t *)GIB3);
}

/* Ballooning one gfn out, in the 64-bit layout. */
static long balloon_out(uint32_t gfn)
{
	xen_pfn_t list[1] = { gfn };
	struct xen_memory_reservation r = {
		.nr_extents = 1,
		.domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, list);
	return hypercall_memory_op(XENMEM_decrease_reservation, &r);
}
#else
/* Paging is off: every gpa is reachable as it is. */
static void map_gib3(void)
{
}

static void walk_nothing(uint64_t pd)
{
	xtf_skip("walk=1 needs paging: run unpopulated64 (pd 0x%lx)",
		 (unsigned long)pd);
}

static long balloon_out(uint32_t gfn)
{
	return hypercall_reservation(XENMEM_decrease_reservation, &gfn, 1, 0);
}
#endif

#define check_ones(what, addr, got, want)                                   \
	check((got) == (want), "%s at 0x%lx read 0x%lx, not all-ones (%s)", \
	      what, (unsigned long)(addr), (unsigned long)(got), where)

static void loads(const char *where, uintptr_t a)
{
	check_ones("1 byte", a, *(volatile uint8_t *)a, 0xffU);
	check_ones("2 bytes", a, *(volatile uint16_t *)a, 0xffffU);
	check_ones("4 bytes", a, *(volatile uint32_t *)a, 0xffffffffU);
	check_ones("4 bytes", a + 3, *(volatile uint32_t *)(a + 3),
		   0xffffffffU);
	accesses += 4;
#ifdef __x86_64__
	check_ones("8 bytes", a, *(volatile uint64_t *)a, ~0UL);
	accesses++;
#endif
}

static void stores(uintptr_t a)
{
	*(volatile uint8_t *)a = 0x12;
	*(volatile uint16_t *)a = 0x1234;
	*(volatile uint32_t *)a = 0x12345678;
	accesses += 3;
#ifdef __x86_64__
	*(volatile uint64_t *)a = 0x0123456789abcdefUL;
	accesses++;
#endif
}

static void read_modify_write(const char *where, uintptr_t a)
{
	unsigned long x = 0x5a;
	uint8_t zf;

	asm volatile("cmpl $-1, (%1); sete %0" : "=q"(zf) : "r"(a) : "cc");
	check(zf, "CMP of -1 with 0x%lx did not set ZF (%s)", (unsigned long)a,
	      where);
	asm volatile("incl (%0)" ::"r"(a) : "cc", "memory");
	asm volatile("orb $1, (%0)" ::"r"(a) : "cc", "memory");
	asm volatile("xchg %0, (%1)" : "+r"(x) : "r"(a) : "memory");
	check_ones("XCHG", a, x, ~0UL);
	accesses += 4;
}

static void test_place(const char *where, uintptr_t a)
{
	printf("unpopulated: %s: 0x%lx\n", where, (unsigned long)a);
	loads(where, a);
	stores(a);
	loads(where, a);
	read_modify_write(where, a);
	loads(where, a);
}

/* A string move from nothing: not emulated, the domain is crashed. */
static void refused(uintptr_t a)
{
	static uint8_t buf[16];
	void *dst = buf;
	const void *src = (const void *)a;
	unsigned long n = sizeof(buf);

	printf("unpopulated: rep movsb from 0x%lx: the hypervisor must crash "
	       "this domain\n",
	       (unsigned long)a);
	asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	xtf_failure("rep movsb from 0x%lx returned", (unsigned long)a);
}

void test_main(unsigned int vcpu)
{
	uint32_t ballooned = xtf_top_free_page();
	uint32_t beyond = cmdline_uint("addr", GIB3);
	uint32_t device = cmdline_uint("dev", 0xfed00000UL);
	long rc;

	if (vcpu)
		return;
	if (beyond < GIB3 || device < GIB3)
		xtf_error("addr= and dev= must be in 3-4 GiB (mapped here)");
	map_gib3();
	if (cmdline_uint("refuse", 0))
		refused(device);
	if (cmdline_uint("walk", 0))
		walk_nothing(beyond);
	/* Written first, so a stale frame would read back as this. */
	*(volatile uint32_t *)(uintptr_t)ballooned = 0x5a5a5a5a;
	rc = balloon_out(ballooned >> 12);
	if (rc != 1)
		xtf_error("decrease_reservation of 0x%x: %ld", ballooned, rc);
	test_place("ballooned out", ballooned);
	test_place("beyond its memory", beyond);
	test_place("a device range nothing emulates", device);
	printf("unpopulated: %lu accesses where nothing is\n", accesses);
	xtf_success();
}
