/*
 * Guest register files: x87, SSE and (with XSAVE) every user state
 * component the CPU has, in the standard (uncompacted) XSAVE layout.
 *
 * XCR0 is not switched by VMRUN or VM entry, so while a guest vCPU's
 * registers are loaded, XCR0 holds the guest's value. Saving and loading
 * switch to the full mask first, so a component the guest has disabled is
 * still saved and loaded: another guest's value can never survive in it.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/processor.h>
#include <asm/xstate.h>

#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_XSTATE 0xd
#define FXSAVE_SIZE 512
#define FCW_RESET 0x37f
#define MXCSR_RESET 0x1f80

/* The legacy region the FXSAVE and XSAVE layouts share. */
struct fxsave_area {
	u16 fcw, fsw;
	u8 ftw, rsvd0;
	u16 fop;
	u64 fip, fdp;
	u32 mxcsr, mxcsr_mask;
	u8 st[8][16];
	u8 xmm[16][16];
	u8 rsvd1[FXSAVE_SIZE - 416];
} __packed;

u64 xstate_mask = XSTATE_X87 | XSTATE_SSE;
bool xstate_xsave;
static unsigned int area_size = FXSAVE_SIZE;
static unsigned int area_order;

void xstate_init(void)
{
	struct cpuid_regs r;

	BUILD_BUG_ON(sizeof(struct fxsave_area) != FXSAVE_SIZE);
	if (cpuid(1).ecx & CPUID_1_ECX_XSAVE) {
		r = cpuid_count(CPUID_XSTATE, 0);
		xstate_mask = (u64)r.edx << 32 | r.eax;
		/* ECX: the size of a save area for every supported part. */
		area_size = r.ecx;
		xstate_xsave = true;
	}
	while ((PAGE_SIZE << area_order) < area_size)
		area_order++;
	printk("FPU: %s, XCR0 components %#lx, %u-byte save area\n",
	       xstate_xsave ? "XSAVE" : "FXSAVE", (unsigned long)xstate_mask,
	       area_size);
}

void xstate_init_cpu(void)
{
	/* The FPU on, no emulation, no lazy #NM: saving never faults. */
	write_cr0((read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP |
		  X86_CR0_NE);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
		  (xstate_xsave ? X86_CR4_OSXSAVE : 0));
	if (xstate_xsave)
		xsetbv(0, xstate_mask);
}

void *xstate_alloc(void)
{
	struct fxsave_area *area = alloc_xenheap_pages(area_order, 0);

	if (!area)
		return NULL;
	/* XSAVE header zero: every component in its initial state. */
	memset(area, 0, PAGE_SIZE << area_order);
	area->fcw = FCW_RESET;
	area->mxcsr = MXCSR_RESET;
	return area;
}

void xstate_free(void *area)
{
	free_xenheap_pages(area, area_order);
}

void xstate_save(void *area)
{
	if (!xstate_xsave) {
		__asm__ __volatile__("fxsaveq %0"
				     : "=m"(*(u8(*)[FXSAVE_SIZE])area));
		return;
	}
	xsetbv(0, xstate_mask);
	__asm__ __volatile__("xsaveq (%0)" ::"r"(area), "a"((u32)xstate_mask),
			     "d"((u32)(xstate_mask >> 32))
			     : "memory");
}

/*
 * The x87 part of a is what FNINIT and zeroed registers give (XSAVE's
 * initial configuration), whatever the control word.
 */
static bool x87_is_reset(const struct fxsave_area *a)
{
	if (a->fsw || a->ftw || a->fop || a->fip || a->fdp)
		return false;
	/* Bytes 10-15 of each register's slot are reserved. */
	for (unsigned int r = 0; r < 8; r++)
		for (unsigned int i = 0; i < 10; i++)
			if (a->st[r][i])
				return false;
	return true;
}

/*
 * x87 registers zeroed, the stack empty, then a's control word: the state
 * x87_is_reset() saw. No clobbers: the hypervisor uses no x87 register.
 */
static void x87_reset(const struct fxsave_area *a)
{
	__asm__ __volatile__("fninit\n\t"
			     ".rept 8\n\tfldz\n\t.endr\n\t"
			     "fninit\n\t"
			     "fldcw %0" ::"m"(a->fcw));
}

/* MXCSR and XMM0-15 from a; the hypervisor uses no vector register. */
static void sse_load(const struct fxsave_area *a)
{
	__asm__ __volatile__("ldmxcsr %0" ::"m"(a->mxcsr));
#define LOAD_XMM(n) __asm__ __volatile__("movdqa %0, %%xmm" #n ::"m"(a->xmm[n]))
	LOAD_XMM(0);
	LOAD_XMM(1);
	LOAD_XMM(2);
	LOAD_XMM(3);
	LOAD_XMM(4);
	LOAD_XMM(5);
	LOAD_XMM(6);
	LOAD_XMM(7);
	LOAD_XMM(8);
	LOAD_XMM(9);
	LOAD_XMM(10);
	LOAD_XMM(11);
	LOAD_XMM(12);
	LOAD_XMM(13);
	LOAD_XMM(14);
	LOAD_XMM(15);
#undef LOAD_XMM
}

/*
 * An x87 part in its reset state is loaded by FNINIT and FLDCW, not by
 * FXRSTOR or XRSTOR. The result is the same, and it avoids a QEMU TCG bug
 * (7.2 to 10.0 at least): every instruction that loads the x87 status
 * word (FXRSTOR, XRSTOR, FRSTOR, FLDENV) also clears IGNNE in CPU 0's
 * hflags2 with a plain read-modify-write, from whichever CPU thread runs
 * it. On CPU 1 that races with CPU 0's own updates of the same word at
 * VMRUN and #VMEXIT and can leave CPU 0 in host mode with nested paging
 * on, or with GIF set: the host then faults through the guest's nested
 * tables or takes an interrupt with the guest's GS loaded (docs/paging.md).
 * Guests that never use x87 registers (all of ours but regs) never
 * trigger it through the hypervisor.
 */
void xstate_load(const void *area, u64 xcr0)
{
	const struct fxsave_area *a = area;
	bool x87_reset_state = x87_is_reset(a);
	u64 rfbm = x87_reset_state ? xstate_mask & ~XSTATE_X87 : xstate_mask;

	if (!xstate_xsave) {
		if (x87_reset_state) {
			x87_reset(a);
			sse_load(a);
		} else {
			__asm__ __volatile__("fxrstorq %0" ::"m"(
				*(const u8(*)[FXSAVE_SIZE])area));
		}
		return;
	}
	xsetbv(0, xstate_mask);
	__asm__ __volatile__("xrstorq (%0)" ::"r"(area), "a"((u32)rfbm),
			     "d"((u32)(rfbm >> 32))
			     : "memory");
	if (x87_reset_state)
		x87_reset(a);
	xsetbv(0, xcr0);
}
