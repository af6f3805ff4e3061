/*
 * regs: a domain's registers are its own. Run two of these pinned to one
 * CPU, each with its own seed=N. For seconds=S (default 2), or rounds=N if
 * they come first (Bochs's seconds hold few instructions, QEMU's many),
 * each round loads a fresh pattern into every register class the
 * hypervisor must switch between vCPUs, forces a switch to the other
 * domain (a spin of random length, so that exits and timer preemption land
 * mid-pattern, then SCHEDOP_yield, then another spin), reads everything
 * back and compares:
 *
 *   x87     the control word and all eight stack registers (FILD/FISTP);
 *           or, in rounds chosen at random, the control word over an
 *           empty stack of zeroed registers (the state the hypervisor
 *           loads without FXRSTOR): the status and tag words and the
 *           register contents must come back as 0, empty and 0 (FNSAVE),
 *           not the other domain's
 *   XMM     XMM0-7 (XMM0-15 in 64-bit mode) and MXCSR
 *   YMM     the upper halves of YMM0-7 (0-15), if CPUID offers AVX and
 *           XSAVE (the guest sets CR4.OSXSAVE and XCR0 = x87|SSE|AVX)
 *   DR      DR0-DR3 and DR6 (DR7 stays 0x400: nothing fires)
 *   CR2
 *   MSR     KERNEL_GS_BASE (32-bit), STAR, LSTAR, CSTAR, SFMASK, TSC_AUX
 *           (also through RDTSCP if CPUID offers it), FS_BASE (64-bit)
 *   GS      64-bit: GS base and KERNEL_GS_BASE across SWAPGS pairs with
 *           the switch between the two: GS_BASE (by WRMSR on even rounds,
 *           by WRGSBASE on odd ones if CPUID offers FSGSBASE) = A,
 *           KERNEL_GS_BASE = B, SWAPGS; after the switch GS base = B and
 *           KERNEL_GS_BASE = A; SWAPGS again gives back A and B
 *
 * First it checks the state no one has written yet is the reset state, not
 * the host's or another domain's: XMM (and YMM) all 0, MXCSR 0x1f80,
 * DR0-DR3 0, DR6's writable bits 0, DR7 0x400, CR2 0, the MSRs 0 (TSC_AUX
 * also through RDTSCP).
 *
 * The first mismatch of each class is printed when seen; a register whose
 * write or read faults is reported once and left alone after. SUCCESS if
 * nothing differed in at least min_rounds=N rounds (default 100); else
 * FAILURE naming the first register that differed, both values and the
 * count. The same source builds the 64-bit regs64 guest. Without the
 * hypervisor (QEMU booting it directly, tsc_khz=K on the command line) it
 * runs alone and does not yield: a check of the checks.
 */
#include <xtf.h>

#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_FSGSBASE (1ul << 16)
#define CR4_OSXSAVE (1ul << 18)
#define XCR0_AVX 7 /* x87 | SSE | AVX */

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103

#define MXCSR_RESET 0x1f80
#define DR6_WRITABLE 0xe00f /* B0-B3, BD, BS, BT */
#define DR6_RESET 0xffff0ff0
#define DR7_RESET 0x400
#define FCW_COMPARED 0x0f3f /* masks, precision and rounding control */

#ifdef __x86_64__
#define NR_XMM 16
#define NAME "regs64"
#else
#define NR_XMM 8
#define NAME "regs"
#endif

enum reg_class { X87, XMM, YMM, DR, CR2, MSR, GS, NR_CLASSES };

static const char *const class_names[NR_CLASSES] = {
	"x87", "XMM", "YMM", "DR", "CR2", "MSR", "GS",
};

/* The MSRs of the MSR class. */
static const struct {
	uint32_t msr;
	const char *name;
	bool addr; /* holds an address: must be canonical */
	bool low32; /* only the low 32 bits are writable */
} msrs[] = {
#ifndef __x86_64__
	{ MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE", true, false },
#endif
	{ 0xc0000081, "STAR", false, false },
	{ 0xc0000082, "LSTAR", true, false },
	{ 0xc0000083, "CSTAR", true, false },
	{ 0xc0000084, "SFMASK", false, true },
	{ MSR_TSC_AUX, "TSC_AUX", false, true },
#ifdef __x86_64__
	{ MSR_FS_BASE, "FS_BASE", true, false },
#endif
};

#define NR_MSRS (sizeof(msrs) / sizeof(msrs[0]))

/* Everything one round writes, and what it reads back. */
struct regs {
	bool x87_empty; /* the round's x87 stack is empty, its registers 0 */
	uint64_t x87[8]; /* significands */
	uint16_t x87_se[8]; /* sign and exponent (empty rounds) */
	uint16_t fcw, fsw, ftw; /* fsw and ftw read in empty rounds */
	uint32_t mxcsr;
	uint64_t xmm[NR_XMM][2];
	uint64_t ymmh[NR_XMM][2]; /* the upper halves */
	unsigned long dr[4], dr6, cr2;
	uint64_t msr[NR_MSRS];
	uint32_t tsc_aux_rdtscp;
	uint64_t gs_base, kernel_gs_base; /* written: A and B */
	uint64_t mid_base, mid_kgs; /* read after the first SWAPGS */
	uint64_t end_base, end_kgs; /* and after the second */
};

static struct regs want, got;
static bool has_avx, has_rdtscp, has_fsgsbase;
static bool msr_broken[NR_MSRS];
#ifdef __x86_64__
static bool gs_broken, gs_msr_broken, kgs_broken;
#endif
static unsigned long mismatches[NR_CLASSES];
static unsigned long problems, round;
static char first[160]; /* the first problem, for the verdict */
static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Sign-extend bit 47: an address every CPU here accepts. */
static uint64_t canonical(uint64_t v)
{
	return (uint64_t)((int64_t)(v << 16) >> 16);
}

/*
 * Count a problem; describe it only if it is printed or the first (64-bit
 * numbers are slow to format in 32-bit code, and there may be thousands).
 */
static bool described(enum reg_class c, bool always)
{
	return always || !problems || !mismatches[c];
}

static void record(enum reg_class c, const char *fmt, va_list ap, bool always)
{
	char what[120];

	if (described(c, always)) {
		vsnprintf(what, sizeof(what), fmt, ap);
		if (!problems)
			snprintf(first, sizeof(first), "%s", what);
		if (!mismatches[c] || always)
			printf(NAME ": round %lu: %s\n", round, what);
	}
	problems++;
	mismatches[c]++;
}

/* A value that differed: only the first of each class is printed. */
static void __printf(2, 3) mismatch(enum reg_class c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(c, fmt, ap, false);
	va_end(ap);
}

/* A fault: printed always, but the register is left alone after it. */
static void __printf(2, 3) fault(enum reg_class c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(c, fmt, ap, true);
	va_end(ap);
}

static void compare(enum reg_class c, const char *reg, uint64_t w, uint64_t g)
{
	if (w != g)
		mismatch(c, "%s %s: want 0x%llx, got 0x%llx", class_names[c],
			 reg, (unsigned long long)w, (unsigned long long)g);
}

static void compare_n(enum reg_class c, const char *reg, unsigned int n,
		      uint64_t w, uint64_t g)
{
	char name[32];

	if (w == g)
		return;
	if (!described(c, false)) {
		problems++;
		mismatches[c]++;
		return;
	}
	snprintf(name, sizeof(name), "%s%u", reg, n);
	compare(c, name, w, g);
}

#define read_cr(n)                                             \
	({                                                     \
		unsigned long v_;                              \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v_)); \
		v_;                                            \
	})
#define write_cr(n, v) \
	asm volatile("mov %0, %%cr" #n : : "r"((unsigned long)(v)))
#define read_dr(n)                                             \
	({                                                     \
		unsigned long v_;                              \
		asm volatile("mov %%dr" #n ", %0" : "=r"(v_)); \
		v_;                                            \
	})
#define write_dr(n, v) \
	asm volatile("mov %0, %%dr" #n : : "r"((unsigned long)(v)))

static void xsetbv(uint32_t xcr, uint64_t v)
{
	asm volatile("xsetbv"
		     :
		     : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/*
 * TSC_AUX exists only with RDTSCP or RDPID (QEMU's qemu64 has neither):
 * without them it must be #GP, and the rounds leave it out.
 */
static void check_tsc_aux_exists(void)
{
	bool rdpid = cpuid(0).eax >= 7 && (cpuid_count(7, 0).ecx & (1u << 22));
	uint64_t v;
	unsigned int vec;

	if (has_rdtscp || rdpid)
		return;
	for (unsigned int i = 0; i < NR_MSRS; i++)
		if (msrs[i].msr == MSR_TSC_AUX)
			msr_broken[i] = true;
	vec = rdmsr_safe(MSR_TSC_AUX, &v);
	if (vec != 13)
		fault(MSR,
		      "TSC_AUX without RDTSCP or RDPID: vector %u, not #GP",
		      vec);
}

/* SSE on (the guest's own job), then AVX and FSGSBASE where offered. */
static void enable_features(void)
{
	struct cpuid_regs l1 = cpuid(1), d;

	write_cr(0, (read_cr(0) & ~CR0_EM) | CR0_MP);
	write_cr(4, read_cr(4) | CR4_OSFXSR | CR4_OSXMMEXCPT);
	has_rdtscp = cpuid(0x80000001).edx & (1u << 27);
	if ((l1.ecx & (1u << 26)) && (l1.ecx & (1u << 28))) {
		d = cpuid_count(0xd, 0);
		if ((d.eax & XCR0_AVX) == XCR0_AVX) {
			write_cr(4, read_cr(4) | CR4_OSXSAVE);
			xsetbv(0, XCR0_AVX);
			has_avx = true;
		}
	}
#ifdef __x86_64__
	if (cpuid(0).eax >= 7 && (cpuid_count(7, 0).ebx & 1)) {
		write_cr(4, read_cr(4) | CR4_FSGSBASE);
		has_fsgsbase = true;
	}
#endif
	check_tsc_aux_exists();
	printf(NAME ": AVX %s, RDTSCP %s, FSGSBASE %s\n",
	       has_avx ? "yes" : "no", has_rdtscp ? "yes" : "no",
	       has_fsgsbase ? "yes" : "no");
}

#define XMM_LOAD(n) asm volatile("movdqu %0, %%xmm" #n : : "m"(r->xmm[n]))
#define XMM_STORE(n) asm volatile("movdqu %%xmm" #n ", %0" : "=m"(r->xmm[n]))
#define YMM_LOAD(n) asm volatile("vmovdqu %0, %%ymm" #n : : "m"(src[n]))
#define YMM_STORE(n) asm volatile("vmovdqu %%ymm" #n ", %0" : "=m"(dst[n]))
#ifdef __x86_64__
#define ALL_XMM(op)     \
	do {            \
		op(0);  \
		op(1);  \
		op(2);  \
		op(3);  \
		op(4);  \
		op(5);  \
		op(6);  \
		op(7);  \
		op(8);  \
		op(9);  \
		op(10); \
		op(11); \
		op(12); \
		op(13); \
		op(14); \
		op(15); \
	} while (0)
#else
#define ALL_XMM(op)    \
	do {           \
		op(0); \
		op(1); \
		op(2); \
		op(3); \
		op(4); \
		op(5); \
		op(6); \
		op(7); \
	} while (0)
#endif

/* The compiler uses no vector or x87 register (-mgeneral-regs-only). */
static void load_vector(const struct regs *r)
{
	uint64_t src[NR_XMM][4] __attribute__((aligned(32)));

	asm volatile("ldmxcsr %0" : : "m"(r->mxcsr));
	if (!has_avx) {
		ALL_XMM(XMM_LOAD);
		return;
	}
	for (unsigned int i = 0; i < NR_XMM; i++) {
		src[i][0] = r->xmm[i][0];
		src[i][1] = r->xmm[i][1];
		src[i][2] = r->ymmh[i][0];
		src[i][3] = r->ymmh[i][1];
	}
	ALL_XMM(YMM_LOAD);
}

static void store_vector(struct regs *r)
{
	uint64_t dst[NR_XMM][4] __attribute__((aligned(32)));

	asm volatile("stmxcsr %0" : "=m"(r->mxcsr));
	if (!has_avx) {
		ALL_XMM(XMM_STORE);
		return;
	}
	ALL_XMM(YMM_STORE);
	for (unsigned int i = 0; i < NR_XMM; i++) {
		r->xmm[i][0] = dst[i][0];
		r->xmm[i][1] = dst[i][1];
		r->ymmh[i][0] = dst[i][2];
		r->ymmh[i][1] = dst[i][3];
	}
}

/* Eight zeros pushed and the stack emptied: every register is 0. */
static void load_x87(const struct regs *r)
{
	if (r->x87_empty) {
		asm volatile("fninit; .rept 8; fldz; .endr; fninit; fldcw %0"
			     :
			     : "m"(r->fcw));
		return;
	}
	asm volatile("fninit; fldcw %0" : : "m"(r->fcw));
	for (unsigned int i = 0; i < 8; i++)
		asm volatile("fildll %0" : : "m"(r->x87[i]));
}

/* FNSAVE's image (32-bit layout, in 64-bit mode too). */
struct fnsave_image {
	uint16_t fcw, rsvd0, fsw, rsvd1, ftw, rsvd2;
	uint32_t fip, fcs_fop, fdp, fds;
	struct {
		uint64_t significand;
		uint16_t sign_exponent;
	} __attribute__((packed)) st[8];
} __attribute__((packed));

/* Pops all eight: st(0) is the last one loaded. */
static void store_x87(struct regs *r)
{
	struct fnsave_image img;

	asm volatile("fnstcw %0" : "=m"(r->fcw));
	if (r->x87_empty) {
		asm volatile("fnsave %0" : "=m"(img));
		r->fsw = img.fsw;
		r->ftw = img.ftw;
		for (unsigned int i = 0; i < 8; i++) {
			r->x87[i] = img.st[i].significand;
			r->x87_se[i] = img.st[i].sign_exponent;
		}
		return;
	}
	for (unsigned int i = 8; i--;)
		asm volatile("fistpll %0" : "=m"(r->x87[i]));
}

static void load_dr_cr2(const struct regs *r)
{
	write_dr(0, r->dr[0]);
	write_dr(1, r->dr[1]);
	write_dr(2, r->dr[2]);
	write_dr(3, r->dr[3]);
	write_dr(6, r->dr6);
	write_cr(2, r->cr2);
}

static void store_dr_cr2(struct regs *r)
{
	r->dr[0] = read_dr(0);
	r->dr[1] = read_dr(1);
	r->dr[2] = read_dr(2);
	r->dr[3] = read_dr(3);
	r->dr6 = read_dr(6);
	r->cr2 = read_cr(2);
}

/* RDTSCP's ECX: TSC_AUX. false if it faulted. */
static bool rdtscp_aux(uint32_t *aux)
{
	uint32_t lo, hi, c, faulted;

	asm volatile("1: rdtscp\n\t"
		     "xor %[f], %[f]\n\t"
		     "jmp 3f\n"
		     "2: mov $1, %[f]\n"
		     "3:\n\t" ASM_EXTABLE(1b, 2b)
		     : "=a"(lo), "=d"(hi), "=c"(c), [f] "=&r"(faulted));
	*aux = c;
	return !faulted;
}

static void load_msrs(const struct regs *r)
{
	unsigned int v;

	for (unsigned int i = 0; i < NR_MSRS; i++)
		if (!msr_broken[i] &&
		    (v = wrmsr_safe(msrs[i].msr, r->msr[i]))) {
			msr_broken[i] = true;
			fault(MSR, "MSR %s (0x%x): WRMSR of 0x%llx: vector %u",
			      msrs[i].name, msrs[i].msr,
			      (unsigned long long)r->msr[i], v);
		}
}

static void store_msrs(struct regs *r)
{
	unsigned int v;

	for (unsigned int i = 0; i < NR_MSRS; i++)
		if (!msr_broken[i] &&
		    (v = rdmsr_safe(msrs[i].msr, &r->msr[i]))) {
			msr_broken[i] = true;
			fault(MSR, "MSR %s (0x%x): RDMSR: vector %u",
			      msrs[i].name, msrs[i].msr, v);
		}
	if (has_rdtscp && !rdtscp_aux(&r->tsc_aux_rdtscp))
		fault(MSR, "RDTSCP faulted although CPUID offers it");
}

#ifdef __x86_64__
static uint64_t rdgsbase(void)
{
	uint64_t v;

	asm volatile("rdgsbase %0" : "=r"(v));
	return v;
}

/* The GS base by WRGSBASE (use_insn) or WRMSR; false if WRMSR faulted. */
static bool write_gs_base(uint64_t v, bool use_insn)
{
	if (use_insn) {
		asm volatile("wrgsbase %0" : : "r"(v));
		return true;
	}
	return !wrmsr_safe(MSR_GS_BASE, v);
}

static bool read_gs_base(uint64_t *v, bool use_insn)
{
	if (use_insn) {
		*v = rdgsbase();
		return true;
	}
	return !rdmsr_safe(MSR_GS_BASE, v);
}

static void swapgs(void)
{
	asm volatile("swapgs" ::: "memory");
}

/* The instructions on odd rounds if offered, else the MSR. */
static bool gs_by_insn(void)
{
	return has_fsgsbase && ((round & 1) || gs_msr_broken);
}

/* Ends between the two SWAPGS: GS base = B, KERNEL_GS_BASE = A. */
static void load_gs(const struct regs *r)
{
	if (gs_broken)
		return;
	if (!kgs_broken && wrmsr_safe(MSR_KERNEL_GS_BASE, r->kernel_gs_base)) {
		kgs_broken = true;
		fault(GS, "GS: WRMSR KERNEL_GS_BASE faulted");
	}
	if (!write_gs_base(r->gs_base, gs_by_insn())) {
		gs_msr_broken = true;
		fault(GS, "GS: WRMSR GS_BASE faulted");
		if (!has_fsgsbase) {
			gs_broken = true;
			return;
		}
		write_gs_base(r->gs_base, true);
	}
	swapgs();
}

static void read_kgs(uint64_t *v)
{
	if (!kgs_broken && rdmsr_safe(MSR_KERNEL_GS_BASE, v)) {
		kgs_broken = true;
		fault(GS, "GS: RDMSR KERNEL_GS_BASE faulted");
	}
}

/* Without a working KERNEL_GS_BASE MSR only the GS base is read. */
static void store_gs(struct regs *r)
{
	bool insn = gs_by_insn();

	if (gs_broken)
		return;
	read_gs_base(&r->mid_base, insn);
	read_kgs(&r->mid_kgs);
	swapgs();
	read_gs_base(&r->end_base, insn);
	read_kgs(&r->end_kgs);
}

static void check_gs(void)
{
	if (gs_broken)
		return;
	if (!kgs_broken) {
		compare(GS, "base after one SWAPGS", want.kernel_gs_base,
			got.mid_base);
		compare(GS, "KERNEL_GS_BASE after one SWAPGS", want.gs_base,
			got.mid_kgs);
		compare(GS, "KERNEL_GS_BASE after two SWAPGS",
			want.kernel_gs_base, got.end_kgs);
	}
	compare(GS, "base after two SWAPGS", want.gs_base, got.end_base);
}
#else
static void load_gs(const struct regs *r)
{
	(void)r;
}

static void store_gs(struct regs *r)
{
	(void)r;
}

static void check_gs(void)
{
}
#endif

/* A fresh pattern for this round. */
static void make_pattern(struct regs *r)
{
	uint64_t v = next();

	/* Exceptions masked; precision 53 or 64 bits; any rounding. */
	r->fcw = 0x7f | ((v & 1) ? 0x300 : 0x200) | ((v >> 1) & 3) << 10;
	/* Exceptions masked, any flags, rounding and flush-to-zero. */
	r->mxcsr = MXCSR_RESET | ((v >> 8) & 0xe03f);
	r->dr6 = DR6_RESET | ((v >> 24) & DR6_WRITABLE);
	r->x87_empty = v & (1ull << 40);
	r->fsw = 0;
	r->ftw = 0xffff;
	for (unsigned int i = 0; i < 8; i++) {
		r->x87[i] = r->x87_empty ? 0 : next();
		r->x87_se[i] = 0;
	}
	for (unsigned int i = 0; i < NR_XMM; i++) {
		r->xmm[i][0] = next();
		r->xmm[i][1] = next();
		r->ymmh[i][0] = has_avx ? next() : 0;
		r->ymmh[i][1] = has_avx ? next() : 0;
	}
	for (unsigned int i = 0; i < 4; i++)
		r->dr[i] = canonical(next());
	r->cr2 = canonical(next());
	for (unsigned int i = 0; i < NR_MSRS; i++) {
		v = next();
		r->msr[i] = msrs[i].low32 ? (uint32_t)v :
			    msrs[i].addr  ? canonical(v) :
					    v;
	}
	r->gs_base = canonical(next());
	r->kernel_gs_base = canonical(next());
}

static void load_all(const struct regs *r)
{
	load_x87(r);
	load_vector(r);
	load_dr_cr2(r);
	load_msrs(r);
	load_gs(r);
}

static void store_all(struct regs *r)
{
	store_gs(r);
	store_msrs(r);
	store_dr_cr2(r);
	store_vector(r);
	store_x87(r);
}

static void check_all(void)
{
	compare(X87, "control word", want.fcw & FCW_COMPARED,
		got.fcw & FCW_COMPARED);
	for (unsigned int i = 0; i < 8; i++)
		compare_n(X87,
			  want.x87_empty ? "significand of empty ST" : "ST",
			  want.x87_empty ? i : 7 - i, want.x87[i], got.x87[i]);
	if (want.x87_empty) {
		compare(X87, "status word over an empty stack", want.fsw,
			got.fsw);
		compare(X87, "tag word over an empty stack", want.ftw, got.ftw);
		for (unsigned int i = 0; i < 8; i++)
			compare_n(X87, "sign and exponent of empty ST", i,
				  want.x87_se[i], got.x87_se[i]);
	}
	compare(XMM, "MXCSR", want.mxcsr, got.mxcsr);
	for (unsigned int i = 0; i < NR_XMM; i++) {
		compare_n(XMM, "low half of XMM", i, want.xmm[i][0],
			  got.xmm[i][0]);
		compare_n(XMM, "high half of XMM", i, want.xmm[i][1],
			  got.xmm[i][1]);
		compare_n(YMM, "bits 128-191 of YMM", i, want.ymmh[i][0],
			  got.ymmh[i][0]);
		compare_n(YMM, "bits 192-255 of YMM", i, want.ymmh[i][1],
			  got.ymmh[i][1]);
	}
	for (unsigned int i = 0; i < 4; i++)
		compare_n(DR, "DR", i, want.dr[i], got.dr[i]);
	compare(DR, "DR6 (writable bits)", want.dr6 & DR6_WRITABLE,
		got.dr6 & DR6_WRITABLE);
	compare(CR2, "CR2", want.cr2, got.cr2);
	for (unsigned int i = 0; i < NR_MSRS; i++)
		if (!msr_broken[i])
			compare(MSR, msrs[i].name, want.msr[i], got.msr[i]);
	for (unsigned int i = 0; i < NR_MSRS; i++)
		if (msrs[i].msr == MSR_TSC_AUX && has_rdtscp && !msr_broken[i])
			compare(MSR, "TSC_AUX by RDTSCP", want.msr[i],
				got.tsc_aux_rdtscp);
	check_gs();
}

/*
 * Nothing written yet: the architectural reset state, not what another
 * domain or the host left behind. Reported as round 0.
 */
static void check_reset_state(void)
{
	store_vector(&got);
	store_dr_cr2(&got);
	store_msrs(&got);
	compare(XMM, "MXCSR at start", MXCSR_RESET, got.mxcsr);
	for (unsigned int i = 0; i < NR_XMM; i++) {
		compare_n(XMM, "low half at start of XMM", i, 0, got.xmm[i][0]);
		compare_n(XMM, "high half at start of XMM", i, 0,
			  got.xmm[i][1]);
		compare_n(YMM, "upper half at start of YMM", i, 0,
			  got.ymmh[i][0] | got.ymmh[i][1]);
	}
	for (unsigned int i = 0; i < 4; i++)
		compare_n(DR, "at start: DR", i, 0, got.dr[i]);
	compare(DR, "DR6 (writable bits) at start", 0, got.dr6 & DR6_WRITABLE);
	compare(DR, "DR7 at start", DR7_RESET, read_dr(7));
	compare(CR2, "CR2 at start", 0, got.cr2);
	for (unsigned int i = 0; i < NR_MSRS; i++)
		if (!msr_broken[i])
			compare(MSR, msrs[i].name, 0, got.msr[i]);
	if (has_rdtscp)
		compare(MSR, "TSC_AUX by RDTSCP at start", 0,
			got.tsc_aux_rdtscp);
#ifdef __x86_64__
	uint64_t v;

	if (!rdmsr_safe(MSR_GS_BASE, &v))
		compare(GS, "base at start", 0, v);
	if (!rdmsr_safe(MSR_KERNEL_GS_BASE, &v))
		compare(GS, "KERNEL_GS_BASE at start", 0, v);
#endif
}

/* Spin up to max_ticks TSC ticks, a random share of them. */
static void spin(uint64_t max_ticks)
{
	uint64_t start = rdtsc(), len = next() % (max_ticks + 1);

	while (rdtsc() - start < len)
		cpu_relax();
}

void test_main(unsigned int vcpu)
{
	unsigned long seed = cmdline_uint("seed", 1);
	unsigned long seconds = cmdline_uint("seconds", 2);
	unsigned long max_rounds = cmdline_uint("rounds", ~0ul);
	unsigned long min_rounds = cmdline_uint("min_rounds", 100);
	uint64_t khz = xtf_tsc_khz() ?: cmdline_uint("tsc_khz", 0);
	uint64_t end, spin_ticks;

	if (vcpu)
		return;
	if (!khz)
		xtf_skip("TSC frequency unknown: no CPUID 0x40000003, no "
			 "tsc_khz=");
	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	enable_features();
	check_reset_state();
	spin_ticks = khz / 20; /* 50 us */
	printf(NAME ": seed %lu, %lu s or %lu rounds\n", seed, seconds,
	       max_rounds);

	end = rdtsc() + khz * 1000 * seconds;
	for (round = 1; round <= max_rounds && rdtsc() < end; round++) {
		make_pattern(&want);
		load_all(&want);
		spin(spin_ticks);
		if (xtf_has_xen())
			hypercall_yield();
		spin(spin_ticks);
		got.x87_empty = want.x87_empty;
		store_all(&got);
		check_all();
	}
	round--;
	printf(NAME ": %lu rounds, %lu problems (x87 %lu, XMM %lu, YMM %lu, "
		    "DR %lu, CR2 %lu, MSR %lu, GS %lu)\n",
	       round, problems, mismatches[X87], mismatches[XMM],
	       mismatches[YMM], mismatches[DR], mismatches[CR2],
	       mismatches[MSR], mismatches[GS]);
	if (problems)
		xtf_failure("%s (%lu problems in %lu rounds)", first, problems,
			    round);
	if (round < min_rounds)
		xtf_failure("only %lu rounds in %lu s, want %lu", round,
			    seconds, min_rounds);
	printf(NAME ": %lu rounds with every register intact\n", round);
	xtf_success();
}
