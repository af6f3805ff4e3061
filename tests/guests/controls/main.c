/*
 * controls: every guest-writable control is checked as the hardware checks
 * it. Legal values take effect (they read back); illegal ones raise #GP
 * (#UD for XSETBV with CR4.OSXSAVE clear) and change nothing. The guest
 * runs in 32-bit protected mode with paging off; in this order:
 *
 *   CR0     PG without PE, NW without CD: #GP. CD|NW, WP, AM, TS (CLTS
 *           clears it), MP and EM read back
 *   CR4     VMXE, SMXE, LA57, reserved bits 15, 25, 31: #GP; PCIDE with
 *           EFER.LMA clear: #GP; DE, TSD, PSE, PGE, OSFXSR, OSXMMEXCPT read
 *           back; FSGSBASE, SMEP, SMAP, UMIP and OSXSAVE read back if
 *           CPUID offers them, else #GP; with OSXSAVE set CPUID 1 reports
 *           it (ECX bit 27), and stops when it is clear
 *   EFER    SCE reads back; NXE if CPUID offers NX, else #GP; reserved
 *           bits 1, 9, 16, 63, SVME, LMSLE, FFXSR, TCE: #GP; a write of LMA
 *           is ignored
 *   LME     with paging off reads back, LMA clear, through console
 *           writes, yields, hypercalls and a spin; CR0.PG with LME but
 *           without CR4.PAE: #GP
 *   long    CR4.PAE, CR3 = 1:1 page tables, LME, CR0.PG: EFER reads
 *           LME|LMA (compatibility mode), hypercalls work there; CR0.PG
 *           clear gives LMA clear, then LME is cleared
 *   XCR0    if CPUID offers XSAVE: XSETBV is #UD with CR4.OSXSAVE clear;
 *           with it set, XCR1, XCR0 without x87, AVX without SSE, partial
 *           AVX-512, bits CPUID 0xd does not offer (8, 63): #GP; 1, 3 and
 *           7 (as offered) read back with XGETBV and CPUID 0xd EBX gives
 *           their save area size (576, 576, 832)
 *
 * Every check runs; each failure is printed. SUCCESS if all held, else
 * FAILURE naming the first and the count. Run it beside a two-vCPU timer
 * guest: a host that goes wrong (as with LME and paging off) starves it.
 */
#include <xtf.h>

#define EXC_UD 6
#define EXC_GP 13

#define CR0_PE (1ul << 0)
#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR0_WP (1ul << 16)
#define CR0_AM (1ul << 18)
#define CR0_NW (1ul << 29)
#define CR0_CD (1ul << 30)
#define CR0_PG (1ul << 31)

#define CR4_TSD (1ul << 2)
#define CR4_DE (1ul << 3)
#define CR4_PSE (1ul << 4)
#define CR4_PAE (1ul << 5)
#define CR4_PGE (1ul << 7)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_UMIP (1ul << 11)
#define CR4_LA57 (1ul << 12)
#define CR4_VMXE (1ul << 13)
#define CR4_SMXE (1ul << 14)
#define CR4_FSGSBASE (1ul << 16)
#define CR4_PCIDE (1ul << 17)
#define CR4_OSXSAVE (1ul << 18)
#define CR4_SMEP (1ul << 20)
#define CR4_SMAP (1ul << 21)

#define MSR_EFER 0xc0000080
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PS 0x80

#define CPUID1_ECX_XSAVE (1u << 26)
#define CPUID1_ECX_OSXSAVE (1u << 27)

static unsigned int failures;
static char first[160];

static void __printf(1, 2) bad(const char *fmt, ...)
{
	char what[140];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!failures++)
		snprintf(first, sizeof(first), "%s", what);
	printf("controls: %s\n", what);
}

#define read_cr(n)                                             \
	({                                                     \
		unsigned long v_;                              \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v_)); \
		v_;                                            \
	})

/* MOV to CRn: 0 if it took, else the vector of its exception. */
#define DEFINE_WRITE_CR(n)                                \
	static unsigned int write_cr##n(unsigned long v)  \
	{                                                 \
		unsigned int fault;                       \
                                                          \
		asm volatile("1: mov %1, %%cr" #n "\n\t"  \
			     "xor %0, %0\n"               \
			     "2:\n\t" ASM_EXTABLE(1b, 2b) \
			     : "=a"(fault)                \
			     : "r"(v)                     \
			     : "memory");                 \
		return fault;                             \
	}
DEFINE_WRITE_CR(0)
DEFINE_WRITE_CR(3)
DEFINE_WRITE_CR(4)

static uint64_t efer(void)
{
	uint64_t v;
	unsigned int vec = rdmsr_safe(MSR_EFER, &v);

	if (vec)
		bad("RDMSR EFER: vector %u", vec);
	return v;
}

static unsigned int xsetbv_safe(uint32_t xcr, uint64_t v)
{
	unsigned int fault;

	asm volatile("1: xsetbv\n\t"
		     "xor %%eax, %%eax\n"
		     "2:\n\t" ASM_EXTABLE(1b, 2b)
		     : "=a"(fault)
		     : "c"(xcr), "0"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "memory");
	return fault;
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static const char *vector_name(unsigned int vec)
{
	return vec == EXC_GP ? "#GP" : vec == EXC_UD ? "#UD" : "no fault";
}

/* A legal write: no fault, and the register reads want. */
static void expect_ok(const char *what, unsigned int vec, uint64_t want,
		      uint64_t now)
{
	if (vec)
		bad("%s: vector %u, want no fault", what, vec);
	else if (now != want)
		bad("%s: reads 0x%llx, want 0x%llx", what,
		    (unsigned long long)now, (unsigned long long)want);
}

/* An illegal write: the fault want_vec, the register unchanged. */
static bool expect_fault(const char *what, unsigned int vec,
			 unsigned int want_vec, uint64_t before, uint64_t now)
{
	if (vec != want_vec) {
		bad("%s: %s (vector %u), want %s; reads 0x%llx", what,
		    vector_name(vec), vec, vector_name(want_vec),
		    (unsigned long long)now);
		return false;
	}
	if (now != before) {
		bad("%s: faulted but changed 0x%llx to 0x%llx", what,
		    (unsigned long long)before, (unsigned long long)now);
		return false;
	}
	return true;
}

/* Write v to CR0 and expect it to read back (then restore). */
static void cr0_legal(const char *what, unsigned long v)
{
	unsigned long before = read_cr(0);

	expect_ok(what, write_cr0(v), v, read_cr(0));
	write_cr0(before);
}

static void cr0_illegal(const char *what, unsigned long v)
{
	unsigned long before = read_cr(0);

	if (!expect_fault(what, write_cr0(v), EXC_GP, before, read_cr(0)))
		write_cr0(before);
}

/* Legacy paging, 4 MiB pages mapping the first 1 GiB 1:1. */
static uint32_t pd32[1024] __attribute__((aligned(PAGE_SIZE)));

static void check_cr0(void)
{
	unsigned long cr0 = read_cr(0), cr4 = read_cr(4);

	if (!(cr0 & CR0_PE) || (cr0 & CR0_PG))
		xtf_error("CR0 0x%lx at start: want PE set, PG clear", cr0);
	/* Should the hypervisor let PG in, paging maps the guest 1:1. */
	for (unsigned int i = 0; i < 256; i++)
		pd32[i] = (i << 22) | PTE_P | PTE_RW | PTE_PS;
	write_cr4(cr4 | CR4_PSE);
	write_cr3((uintptr_t)pd32);
	cr0_illegal("CR0.PG without PE", (cr0 & ~CR0_PE) | CR0_PG);
	write_cr4(cr4);
	cr0_illegal("CR0.NW without CD", cr0 | CR0_NW);
	cr0_legal("CR0.CD|NW", cr0 | CR0_CD | CR0_NW);
	cr0_legal("CR0.CD", cr0 | CR0_CD);
	cr0_legal("CR0.WP", cr0 | CR0_WP);
	cr0_legal("CR0.AM", cr0 | CR0_AM);
	cr0_legal("CR0.MP", cr0 | CR0_MP);
	cr0_legal("CR0.EM", cr0 | CR0_EM);
	expect_ok("CR0.TS", write_cr0(cr0 | CR0_TS), cr0 | CR0_TS, read_cr(0));
	asm volatile("clts");
	expect_ok("CLTS", 0, cr0 & ~CR0_TS, read_cr(0));
	write_cr0(cr0);
}

static void cr4_legal(const char *what, unsigned long bit)
{
	unsigned long before = read_cr(4);

	expect_ok(what, write_cr4(before | bit), before | bit, read_cr(4));
	write_cr4(before);
}

static void cr4_illegal(const char *what, unsigned long bit)
{
	unsigned long before = read_cr(4);

	if (!expect_fault(what, write_cr4(before | bit), EXC_GP, before,
			  read_cr(4)))
		write_cr4(before);
}

/* Legal if CPUID offers it, else #GP. */
static void cr4_if(const char *what, unsigned long bit, bool offered)
{
	if (offered)
		cr4_legal(what, bit);
	else
		cr4_illegal(what, bit);
}

static bool has_xsave(void)
{
	return cpuid(1).ecx & CPUID1_ECX_XSAVE;
}

static void check_cr4_osxsave(void)
{
	unsigned long cr4 = read_cr(4);

	if (!has_xsave()) {
		cr4_illegal("CR4.OSXSAVE without XSAVE", CR4_OSXSAVE);
		return;
	}
	expect_ok("CR4.OSXSAVE", write_cr4(cr4 | CR4_OSXSAVE),
		  cr4 | CR4_OSXSAVE, read_cr(4));
	if (!(cpuid(1).ecx & CPUID1_ECX_OSXSAVE))
		bad("CR4.OSXSAVE set: CPUID 1 ECX bit 27 (OSXSAVE) clear");
	write_cr4(cr4);
	if (cpuid(1).ecx & CPUID1_ECX_OSXSAVE)
		bad("CR4.OSXSAVE clear: CPUID 1 ECX bit 27 (OSXSAVE) set");
}

static void check_cr4(void)
{
	struct cpuid_regs l7 = { 0 };

	if (cpuid(0).eax >= 7)
		l7 = cpuid_count(7, 0);
	cr4_illegal("CR4.VMXE", CR4_VMXE);
	cr4_illegal("CR4.SMXE", CR4_SMXE);
	cr4_illegal("CR4.LA57", CR4_LA57);
	cr4_illegal("CR4 bit 15", 1ul << 15);
	cr4_illegal("CR4 bit 25", 1ul << 25);
	cr4_illegal("CR4 bit 31", 1ul << 31);
	cr4_illegal("CR4.PCIDE with EFER.LMA clear", CR4_PCIDE);
	cr4_legal("CR4.DE", CR4_DE);
	cr4_legal("CR4.TSD", CR4_TSD);
	cr4_legal("CR4.PSE", CR4_PSE);
	cr4_legal("CR4.PGE", CR4_PGE);
	cr4_legal("CR4.OSFXSR", CR4_OSFXSR);
	cr4_legal("CR4.OSXMMEXCPT", CR4_OSXMMEXCPT);
	cr4_if("CR4.FSGSBASE", CR4_FSGSBASE, l7.ebx & (1u << 0));
	cr4_if("CR4.SMEP", CR4_SMEP, l7.ebx & (1u << 7));
	cr4_if("CR4.SMAP", CR4_SMAP, l7.ebx & (1u << 20));
	cr4_if("CR4.UMIP", CR4_UMIP, l7.ecx & (1u << 2));
	check_cr4_osxsave();
}

static void efer_legal(const char *what, uint64_t v, uint64_t want)
{
	uint64_t before = efer();

	expect_ok(what, wrmsr_safe(MSR_EFER, v), want, efer());
	wrmsr_safe(MSR_EFER, before);
}

static void efer_illegal(const char *what, uint64_t bit)
{
	uint64_t before = efer();

	if (!expect_fault(what, wrmsr_safe(MSR_EFER, before | bit), EXC_GP,
			  before, efer()))
		wrmsr_safe(MSR_EFER, before);
}

static void check_efer(void)
{
	uint64_t e = efer();
	static const unsigned int reserved[] = { 1, 9, 16, 63 };
	static const struct {
		unsigned int bit;
		const char *name;
	} refused[] = {
		{ 12, "SVME" },
		{ 13, "LMSLE" },
		{ 14, "FFXSR" },
		{ 15, "TCE" },
	};
	char what[40];

	if (e & (EFER_LME | EFER_LMA))
		xtf_error("EFER 0x%llx at start: LME or LMA set",
			  (unsigned long long)e);
	efer_legal("EFER.SCE", e | EFER_SCE, e | EFER_SCE);
	efer_legal("EFER.SCE clear", e & ~EFER_SCE, e & ~EFER_SCE);
	if (cpuid(0x80000001).edx & (1u << 20))
		efer_legal("EFER.NXE", e | EFER_NXE, e | EFER_NXE);
	else
		efer_illegal("EFER.NXE without NX", EFER_NXE);
	for (unsigned int i = 0; i < sizeof(reserved) / sizeof(*reserved);
	     i++) {
		snprintf(what, sizeof(what), "EFER bit %u", reserved[i]);
		efer_illegal(what, 1ull << reserved[i]);
	}
	for (unsigned int i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		snprintf(what, sizeof(what), "EFER.%s", refused[i].name);
		efer_illegal(what, 1ull << refused[i].bit);
	}
	/* LMA is the CPU's: a write of it is ignored, not refused. */
	efer_legal("EFER.LMA written with paging off", e | EFER_LMA, e);
}

/*
 * EFER.LME with paging off is legal and must stay so across exits of
 * every kind. The host must not pick up anything of it.
 */
static void check_lme_paging_off(void)
{
	static const char msg[] = "controls: console_io with EFER.LME set\n";
	uint64_t e = efer(), start, ticks_per_ms = xtf_tsc_khz();
	unsigned int vec = wrmsr_safe(MSR_EFER, e | EFER_LME);

	expect_ok("EFER.LME with paging off", vec, e | EFER_LME, efer());
	if (vec)
		return;
	for (unsigned int i = 0; i < 20; i++) {
		printf("controls: LME set, paging off: exit %u\n", i);
		hypercall_yield();
		check_rc(hypercall_console_write(msg, sizeof(msg) - 1), 0,
			 "console_io write with EFER.LME set");
		start = rdtsc();
		while (rdtsc() - start < ticks_per_ms)
			cpu_relax();
	}
	expect_ok("EFER.LME after exits", 0, e | EFER_LME, efer());
	if (read_cr(0) & CR0_PG)
		bad("CR0.PG set after exits with EFER.LME set");
	/* CR0.PG with LME needs PAE. */
	if (!expect_fault("CR0.PG with EFER.LME and CR4.PAE clear",
			  write_cr0(read_cr(0) | CR0_PG), EXC_GP, e | EFER_LME,
			  efer()))
		xtf_error("CR0.PG with LME and without PAE took: cannot go on");
	expect_ok("EFER.LME clear", wrmsr_safe(MSR_EFER, e), e, efer());
}

/* Identity map of the first 1 GiB with 2 MiB pages (RAM is below it). */
static uint64_t pml4[512] __attribute__((aligned(PAGE_SIZE)));
static uint64_t pdpt[512] __attribute__((aligned(PAGE_SIZE)));
static uint64_t pd[512] __attribute__((aligned(PAGE_SIZE)));

/*
 * Into long mode's compatibility mode (CS stays a 32-bit segment) and out
 * again. Nothing may fault in between: the IDT is a 32-bit one.
 */
static void check_long_mode(void)
{
	static const char msg[] =
		"controls: console_io in compatibility mode\n";
	unsigned long cr0 = read_cr(0), cr4 = read_cr(4);
	uint64_t e = efer(), in_lm;
	long rc, yield_rc;

	for (unsigned int i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
	pdpt[0] = (uintptr_t)pd | PTE_P | PTE_RW;
	pml4[0] = (uintptr_t)pdpt | PTE_P | PTE_RW;

	if (write_cr4(cr4 | CR4_PAE) || write_cr3((uintptr_t)pml4) ||
	    wrmsr_safe(MSR_EFER, e | EFER_LME)) {
		bad("long mode: CR4.PAE, CR3 or EFER.LME refused");
		write_cr4(cr4);
		return;
	}
	if (write_cr0(cr0 | CR0_PG)) {
		bad("long mode: CR0.PG with PAE and LME refused");
		wrmsr_safe(MSR_EFER, e);
		write_cr4(cr4);
		return;
	}
	in_lm = efer();
	rc = hypercall_console_write(msg, sizeof(msg) - 1);
	yield_rc = hypercall_yield();
	write_cr0(cr0);
	expect_ok("EFER in compatibility mode", 0, e | EFER_LME | EFER_LMA,
		  in_lm);
	check_rc(rc, 0, "console_io write in compatibility mode");
	check_rc(yield_rc, 0, "SCHEDOP_yield in compatibility mode");
	expect_ok("EFER after CR0.PG clear", 0, e | EFER_LME, efer());
	expect_ok("EFER.LME clear after long mode", wrmsr_safe(MSR_EFER, e), e,
		  efer());
	write_cr4(cr4);
}

static void xcr0_legal(uint64_t v, uint32_t size)
{
	char what[40];
	uint32_t ebx;

	snprintf(what, sizeof(what), "XCR0 0x%llx", (unsigned long long)v);
	expect_ok(what, xsetbv_safe(0, v), v, xgetbv0());
	ebx = cpuid_count(0xd, 0).ebx;
	if (ebx != size)
		bad("XCR0 0x%llx: CPUID 0xd EBX %u, want %u",
		    (unsigned long long)v, ebx, size);
}

static void xcr0_illegal(const char *what, uint32_t xcr, uint64_t v)
{
	uint64_t before = xgetbv0();

	if (!expect_fault(what, xsetbv_safe(xcr, v), EXC_GP, before, xgetbv0()))
		xsetbv_safe(0, before);
}

static void check_xcr0(void)
{
	unsigned long cr4 = read_cr(4);
	struct cpuid_regs d;
	uint64_t offered;

	if (!has_xsave()) {
		printf("controls: no XSAVE: XCR0 not checked\n");
		return;
	}
	d = cpuid_count(0xd, 0);
	offered = (uint64_t)d.edx << 32 | d.eax;
	if (!expect_fault("XSETBV with CR4.OSXSAVE clear", xsetbv_safe(0, 1),
			  EXC_UD, 0, 0))
		return;
	if (write_cr4(cr4 | CR4_OSXSAVE)) {
		bad("CR4.OSXSAVE refused: XCR0 not checked");
		return;
	}
	xcr0_illegal("XSETBV of XCR1", 1, 1);
	xcr0_illegal("XCR0 without x87", 0, 2);
	xcr0_illegal("XCR0 AVX without SSE", 0, 5);
	xcr0_illegal("XCR0 partial AVX-512", 0, 0x27);
	if (!(offered & (1ull << 8)))
		xcr0_illegal("XCR0 bit 8", 0, 0x103);
	if (!(offered & (1ull << 63)))
		xcr0_illegal("XCR0 bit 63", 0, 3 | 1ull << 63);
	xcr0_legal(1, 576);
	if (offered & 2)
		xcr0_legal(3, 576);
	if ((offered & 7) == 7)
		xcr0_legal(7, 832);
	xsetbv_safe(0, 1);
	write_cr4(cr4);
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	if (!xtf_has_xen() || !xtf_tsc_khz())
		xtf_skip("needs the hypervisor and its TSC frequency");
	check_cr0();
	check_cr4();
	check_efer();
	check_lme_paging_off();
	check_long_mode();
	check_xcr0();
	if (failures)
		xtf_failure("%s (%u checks failed)", first, failures);
	xtf_success();
}
