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
	u8 regs[FXSAVE_SIZE - 32];
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

void xstate_load(const void *area, u64 xcr0)
{
	if (!xstate_xsave) {
		__asm__ __volatile__(
			"fxrstorq %0" ::"m"(*(const u8(*)[FXSAVE_SIZE])area));
		return;
	}
	xsetbv(0, xstate_mask);
	__asm__ __volatile__("xrstorq (%0)" ::"r"(area), "a"((u32)xstate_mask),
			     "d"((u32)(xstate_mask >> 32))
			     : "memory");
	xsetbv(0, xcr0);
}
