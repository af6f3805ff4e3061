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

/* MOV to CRn: 0 if it took, else the vector of its exception. */
#define DEFINE_CR(n)                                          \
	static inline unsigned int write_cr##n(uint64_t v)    \
	{                                                     \
		unsigned int fault;                           \
                                                              \
		asm volatile("1: mov %1, %%cr" #n "\n\t"      \
			     "xor %0, %0\n"                   \
			     "2:\n\t" ASM_EXTABLE(1b, 2b)     \
			     : "=a"(fault)                    \
			     : "r"((unsigned long)v)          \
			     : "memory");                     \
		return fault;                                 \
	}                                                     \
	static inline uint64_t read_cr##n(void)               \
	{                                                     \
		unsigned long v;                              \
                                                              \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v)); \
		return v;                                     \
	}
DEFINE_CR(0)
DEFINE_CR(3)
DEFINE_CR(4)

static uint64_t read_efer(void)
{
	uint64_t v;
	unsigned int vec = rdmsr_safe(MSR_EFER, &v);

	if (vec)
		bad("RDMSR EFER: vector %u", vec);
	return v;
}

static unsigned int write_efer(uint64_t v)
{
	return wrmsr_safe(MSR_EFER, v);
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

static unsigned int write_xcr0(uint64_t v)
{
	return xsetbv_safe(0, v);
}

static unsigned int write_xcr1(uint64_t v)
{
	return xsetbv_safe(1, v);
}

static uint64_t read_xcr0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

/* A control register, MSR or XCR; reading it must never fault. */
struct control {
	unsigned int (*write)(uint64_t v); /* 0 or the vector */
	uint64_t (*read)(void);
};

static const struct control cr0 = { write_cr0, read_cr0 };
static const struct control cr4 = { write_cr4, read_cr4 };
static const struct control efer = { write_efer, read_efer };
static const struct control xcr0 = { write_xcr0, read_xcr0 };
/* XSETBV of XCR1, read back as XCR0 (which it must leave alone). */
static const struct control xcr1 = { write_xcr1, read_xcr0 };

static const char *vector_name(unsigned int vec)
{
	return vec == EXC_GP ? "#GP" : vec == EXC_UD ? "#UD" : "no fault";
}

/* A legal write of v: no fault, and c reads want. Not undone. */
static bool take(const struct control *c, const char *what, uint64_t v,
		 uint64_t want)
{
	unsigned int vec = c->write(v);
	uint64_t now = c->read();

	if (vec)
		bad("%s: vector %u, want no fault", what, vec);
	else if (now != want)
		bad("%s: reads 0x%llx, want 0x%llx", what,
		    (unsigned long long)now, (unsigned long long)want);
	return !vec && now == want;
}

/* As take(), then c is put back as it was. */
static void legal(const struct control *c, const char *what, uint64_t v,
		  uint64_t want)
{
	uint64_t before = c->read();

	take(c, what, v, want);
	c->write(before);
}

/*
 * An illegal write of v: the fault want_vec and c unchanged. If it took,
 * c is put back as it was. Returns whether it was refused as it should.
 */
static bool refuse(const struct control *c, const char *what, uint64_t v,
		   unsigned int want_vec)
{
	uint64_t before = c->read();
	unsigned int vec = c->write(v);
	uint64_t now = c->read();

	if (vec == want_vec && now == before)
		return true;
	if (vec != want_vec)
		bad("%s: %s (vector %u), want %s; reads 0x%llx", what,
		    vector_name(vec), vec, vector_name(want_vec),
		    (unsigned long long)now);
	else
		bad("%s: faulted but changed 0x%llx to 0x%llx", what,
		    (unsigned long long)before, (unsigned long long)now);
	c->write(before);
	return false;
}

/* Legacy paging, 4 MiB pages mapping the first 1 GiB 1:1. */
static uint32_t pd32[1024] __attribute__((aligned(PAGE_SIZE)));

static void check_cr0(void)
{
	uint64_t v = read_cr0(), v4 = read_cr4();

	if (!(v & CR0_PE) || (v & CR0_PG))
		xtf_error("CR0 0x%llx at start: want PE set, PG clear",
			  (unsigned long long)v);
	/* Should the hypervisor let PG in, paging maps the guest 1:1. */
	for (unsigned int i = 0; i < 256; i++)
		pd32[i] = (i << 22) | PTE_P | PTE_RW | PTE_PS;
	write_cr4(v4 | CR4_PSE);
	write_cr3((uintptr_t)pd32);
	refuse(&cr0, "CR0.PG without PE", (v & ~CR0_PE) | CR0_PG, EXC_GP);
	write_cr4(v4);
	refuse(&cr0, "CR0.NW without CD", v | CR0_NW, EXC_GP);
	legal(&cr0, "CR0.CD|NW", v | CR0_CD | CR0_NW, v | CR0_CD | CR0_NW);
	legal(&cr0, "CR0.CD", v | CR0_CD, v | CR0_CD);
	legal(&cr0, "CR0.WP", v | CR0_WP, v | CR0_WP);
	legal(&cr0, "CR0.AM", v | CR0_AM, v | CR0_AM);
	legal(&cr0, "CR0.MP", v | CR0_MP, v | CR0_MP);
	legal(&cr0, "CR0.EM", v | CR0_EM, v | CR0_EM);
	take(&cr0, "CR0.TS", v | CR0_TS, v | CR0_TS);
	asm volatile("clts");
	if (read_cr0() != (v & ~CR0_TS))
		bad("CLTS: CR0 reads 0x%llx, want 0x%llx",
		    (unsigned long long)read_cr0(),
		    (unsigned long long)(v & ~CR0_TS));
	write_cr0(v);
}

/* Set bit in CR4: legal (reads back) or #GP. */
static void cr4_bit(const char *what, uint64_t bit, bool is_legal)
{
	uint64_t v = read_cr4();

	if (is_legal)
		legal(&cr4, what, v | bit, v | bit);
	else
		refuse(&cr4, what, v | bit, EXC_GP);
}

static bool has_xsave(void)
{
	return cpuid(1).ecx & CPUID1_ECX_XSAVE;
}

static void check_cr4_osxsave(void)
{
	uint64_t v = read_cr4();

	if (!has_xsave()) {
		refuse(&cr4, "CR4.OSXSAVE without XSAVE", v | CR4_OSXSAVE,
		       EXC_GP);
		return;
	}
	take(&cr4, "CR4.OSXSAVE", v | CR4_OSXSAVE, v | CR4_OSXSAVE);
	if (!(cpuid(1).ecx & CPUID1_ECX_OSXSAVE))
		bad("CR4.OSXSAVE set: CPUID 1 ECX bit 27 (OSXSAVE) clear");
	write_cr4(v);
	if (cpuid(1).ecx & CPUID1_ECX_OSXSAVE)
		bad("CR4.OSXSAVE clear: CPUID 1 ECX bit 27 (OSXSAVE) set");
}

static void check_cr4(void)
{
	struct cpuid_regs l7 = { 0 };

	if (cpuid(0).eax >= 7)
		l7 = cpuid_count(7, 0);
	cr4_bit("CR4.VMXE", CR4_VMXE, false);
	cr4_bit("CR4.SMXE", CR4_SMXE, false);
	cr4_bit("CR4.LA57", CR4_LA57, false);
	cr4_bit("CR4 bit 15", 1ul << 15, false);
	cr4_bit("CR4 bit 25", 1ul << 25, false);
	cr4_bit("CR4 bit 31", 1ul << 31, false);
	cr4_bit("CR4.PCIDE with EFER.LMA clear", CR4_PCIDE, false);
	cr4_bit("CR4.DE", CR4_DE, true);
	cr4_bit("CR4.TSD", CR4_TSD, true);
	cr4_bit("CR4.PSE", CR4_PSE, true);
	cr4_bit("CR4.PGE", CR4_PGE, true);
	cr4_bit("CR4.OSFXSR", CR4_OSFXSR, true);
	cr4_bit("CR4.OSXMMEXCPT", CR4_OSXMMEXCPT, true);
	cr4_bit("CR4.FSGSBASE", CR4_FSGSBASE, l7.ebx & (1u << 0));
	cr4_bit("CR4.SMEP", CR4_SMEP, l7.ebx & (1u << 7));
	cr4_bit("CR4.SMAP", CR4_SMAP, l7.ebx & (1u << 20));
	cr4_bit("CR4.UMIP", CR4_UMIP, l7.ecx & (1u << 2));
	check_cr4_osxsave();
}

static void check_efer(void)
{
	uint64_t e = read_efer();
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
	legal(&efer, "EFER.SCE", e | EFER_SCE, e | EFER_SCE);
	legal(&efer, "EFER.SCE clear", e & ~EFER_SCE, e & ~EFER_SCE);
	if (cpuid(0x80000001).edx & (1u << 20))
		legal(&efer, "EFER.NXE", e | EFER_NXE, e | EFER_NXE);
	else
		refuse(&efer, "EFER.NXE without NX", e | EFER_NXE, EXC_GP);
	for (unsigned int i = 0; i < sizeof(reserved) / sizeof(*reserved);
	     i++) {
		snprintf(what, sizeof(what), "EFER bit %u", reserved[i]);
		refuse(&efer, what, e | 1ull << reserved[i], EXC_GP);
	}
	for (unsigned int i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		snprintf(what, sizeof(what), "EFER.%s", refused[i].name);
		refuse(&efer, what, e | 1ull << refused[i].bit, EXC_GP);
	}
	/* LMA is the CPU's: a write of it is ignored, not refused. */
	legal(&efer, "EFER.LMA written with paging off", e | EFER_LMA, e);
}

/*
 * EFER.LME with paging off is legal and must stay so across exits of
 * every kind (the host must pick up nothing of it). CR0.PG with LME needs
 * PAE.
 */
static void check_lme_paging_off(void)
{
	static const char msg[] = "controls: console_io with EFER.LME set\n";
	uint64_t e = read_efer(), start, ticks_per_ms = xtf_tsc_khz();

	if (!take(&efer, "EFER.LME with paging off", e | EFER_LME,
		  e | EFER_LME))
		return;
	printf("controls: EFER.LME set with paging off: 5 yields, console "
	       "writes and 1 ms spins\n");
	for (unsigned int i = 0; i < 5; i++) {
		hypercall_yield();
		check_rc(hypercall_console_write(msg, sizeof(msg) - 1), 0,
			 "console_io write with EFER.LME set");
		start = rdtsc();
		while (rdtsc() - start < ticks_per_ms)
			cpu_relax();
	}
	if (read_efer() != (e | EFER_LME) || (read_cr0() & CR0_PG))
		bad("after exits with EFER.LME set: EFER 0x%llx, CR0 0x%llx",
		    (unsigned long long)read_efer(),
		    (unsigned long long)read_cr0());
	if (!refuse(&cr0, "CR0.PG with EFER.LME and CR4.PAE clear",
		    read_cr0() | CR0_PG, EXC_GP))
		xtf_error("CR0.PG with LME and without PAE took: cannot go on");
	take(&efer, "EFER.LME clear", e, e);
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
	uint64_t v0 = read_cr0(), v4 = read_cr4(), e = read_efer(), in_lm;
	long rc, yield_rc;

	for (unsigned int i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
	pdpt[0] = (uintptr_t)pd | PTE_P | PTE_RW;
	pml4[0] = (uintptr_t)pdpt | PTE_P | PTE_RW;

	if (write_cr4(v4 | CR4_PAE) || write_cr3((uintptr_t)pml4) ||
	    write_efer(e | EFER_LME)) {
		bad("long mode: CR4.PAE, CR3 or EFER.LME refused");
		write_efer(e);
		write_cr4(v4);
		return;
	}
	if (write_cr0(v0 | CR0_PG)) {
		bad("long mode: CR0.PG with PAE and LME refused");
		write_efer(e);
		write_cr4(v4);
		return;
	}
	in_lm = read_efer();
	rc = hypercall_console_write(msg, sizeof(msg) - 1);
	yield_rc = hypercall_yield();
	write_cr0(v0);
	if (in_lm != (e | EFER_LME | EFER_LMA))
		bad("EFER in compatibility mode: 0x%llx, want 0x%llx",
		    (unsigned long long)in_lm,
		    (unsigned long long)(e | EFER_LME | EFER_LMA));
	check_rc(rc, 0, "console_io write in compatibility mode");
	check_rc(yield_rc, 0, "SCHEDOP_yield in compatibility mode");
	if (read_efer() != (e | EFER_LME))
		bad("EFER after CR0.PG clear: 0x%llx, want 0x%llx",
		    (unsigned long long)read_efer(),
		    (unsigned long long)(e | EFER_LME));
	take(&efer, "EFER.LME clear after long mode", e, e);
	write_cr4(v4);
}

/* A legal XCR0, and CPUID 0xd EBX: the save area size it needs. */
static void xcr0_legal(uint64_t v, uint32_t size)
{
	char what[40];
	uint32_t ebx;

	snprintf(what, sizeof(what), "XCR0 0x%llx", (unsigned long long)v);
	take(&xcr0, what, v, v);
	ebx = cpuid_count(0xd, 0).ebx;
	if (ebx != size)
		bad("XCR0 0x%llx: CPUID 0xd EBX %u, want %u",
		    (unsigned long long)v, ebx, size);
}

static void check_xcr0(void)
{
	uint64_t v4 = read_cr4(), offered;
	struct cpuid_regs d;
	unsigned int vec;

	if (!has_xsave()) {
		printf("controls: no XSAVE: XCR0 not checked\n");
		return;
	}
	d = cpuid_count(0xd, 0);
	offered = (uint64_t)d.edx << 32 | d.eax;
	/* XGETBV is #UD too: XCR0 cannot be read here. */
	vec = xsetbv_safe(0, 1);
	if (vec != EXC_UD) {
		bad("XSETBV with CR4.OSXSAVE clear: %s (vector %u), want #UD",
		    vector_name(vec), vec);
		return;
	}
	if (write_cr4(v4 | CR4_OSXSAVE)) {
		bad("CR4.OSXSAVE refused: XCR0 not checked");
		return;
	}
	refuse(&xcr1, "XSETBV of XCR1", 1, EXC_GP);
	refuse(&xcr0, "XCR0 without x87", 2, EXC_GP);
	refuse(&xcr0, "XCR0 AVX without SSE", 5, EXC_GP);
	refuse(&xcr0, "XCR0 partial AVX-512", 0x27, EXC_GP);
	if (!(offered & (1ull << 8)))
		refuse(&xcr0, "XCR0 bit 8", 0x103, EXC_GP);
	if (!(offered & (1ull << 63)))
		refuse(&xcr0, "XCR0 bit 63", 3 | 1ull << 63, EXC_GP);
	xcr0_legal(1, 576);
	if (offered & 2)
		xcr0_legal(3, 576);
	if ((offered & 7) == 7)
		xcr0_legal(7, 832);
	write_xcr0(1);
	write_cr4(v4);
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
