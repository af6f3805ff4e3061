/*
 * vCPU register state as the tools give and read it (public/hvm_vcpu.h,
 * XEN_DOMCTL_setvcpucontext and getvcpucontext), to and from the start
 * state the vendors load (struct hvm_vcpu).
 *
 * The vendors start a vCPU in one of the two states the boot builder
 * uses: 32-bit protected mode with paging off and flat segments (PVH), or
 * long mode with paging on the tables at CR3 and flat segments. A context
 * asking for anything else (other control registers, segments that are
 * not flat, reserved RFLAGS bits) is refused: -EINVAL.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <asm/processor.h>
#include <public/hvm_vcpu.h>

/* RFLAGS bits a start state may have: CF..OF, TF, IF, DF, NT, AC, ID. */
#define START_RFLAGS 0x254fd7UL
#define FLAT_LIMIT 0xffffffffu
/* Flat 32-bit code and data, and a busy 32-bit TSS. */
#define AR_CODE32 0xc9bu
#define AR_DATA32 0xc93u
#define AR_TSS 0x8bu
#define CR3_ADDR_MASK 0x000ffffffffff000UL

/* The registers of a context, named e.. (32-bit) or r.. (64-bit). */
#define SET_REGS(s, r, p)                    \
	do {                                 \
		(s)->regs.rax = (r)->p##ax;  \
		(s)->regs.rcx = (r)->p##cx;  \
		(s)->regs.rdx = (r)->p##dx;  \
		(s)->regs.rbx = (r)->p##bx;  \
		(s)->regs.rbp = (r)->p##bp;  \
		(s)->regs.rsi = (r)->p##si;  \
		(s)->regs.rdi = (r)->p##di;  \
		(s)->rsp = (r)->p##sp;       \
		(s)->rip = (r)->p##ip;       \
		(s)->rflags = (r)->p##flags; \
	} while (0)

/* A segment is flat: access rights 0, or exactly the flat ones. */
static bool seg_flat(u32 base, u32 limit, u16 ar, u16 flat_ar)
{
	/* Accessed (bit 0 of the type) may be clear. */
	return !ar || (!base && limit == FLAT_LIMIT && (ar | 1) == flat_ar);
}

static int from_32(const struct vcpu_hvm_x86_32 *r, struct hvm_vcpu *s)
{
	if ((r->cr0 & ~X86_CR0_ET) != X86_CR0_PE || r->cr3 || r->cr4 ||
	    r->efer || (r->eflags & ~START_RFLAGS))
		return -EINVAL;
	if (!seg_flat(r->cs_base, r->cs_limit, r->cs_ar, AR_CODE32) ||
	    !seg_flat(r->ds_base, r->ds_limit, r->ds_ar, AR_DATA32) ||
	    !seg_flat(r->ss_base, r->ss_limit, r->ss_ar, AR_DATA32) ||
	    !seg_flat(r->es_base, r->es_limit, r->es_ar, AR_DATA32) ||
	    (r->tr_ar && r->tr_ar != AR_TSS))
		return -EINVAL;
	SET_REGS(s, r, e);
	s->entry_64bit = false;
	return 0;
}

/* Canonical for 48-bit linear addresses. */
static bool canonical(u64 va)
{
	return (u64)((s64)(va << 16) >> 16) == va;
}

static int from_64(const struct vcpu_hvm_x86_64 *r, struct hvm_vcpu *s)
{
	if ((r->cr0 & ~X86_CR0_ET) != (X86_CR0_PE | X86_CR0_PG) ||
	    r->cr4 != X86_CR4_PAE || (r->efer & ~EFER_LMA) != EFER_LME ||
	    (r->cr3 & ~CR3_ADDR_MASK) || (r->rflags & ~START_RFLAGS) ||
	    !canonical(r->rip) || !canonical(r->rsp))
		return -EINVAL;
	SET_REGS(s, r, r);
	s->cr3 = r->cr3;
	s->entry_64bit = true;
	return 0;
}

int hvm_context_to_start(const struct vcpu_hvm_context *c,
			 struct hvm_vcpu *start)
{
	memset(start, 0, sizeof(*start));
	switch (c->mode) {
	case VCPU_HVM_MODE_32B:
		return from_32(&c->cpu_regs.x86_32, start);
	case VCPU_HVM_MODE_64B:
		return from_64(&c->cpu_regs.x86_64, start);
	}
	return -EINVAL;
}

/*
 * Segments are not read back: a 32-bit context shows them as access
 * rights 0 (flat), which is what the vCPU started with.
 */
void hvm_context_from_vcpu(const struct hvm_vcpu *h, struct vcpu_hvm_context *c)
{
	memset(c, 0, sizeof(*c));
	if (h->efer & EFER_LMA) {
		struct vcpu_hvm_x86_64 *r = &c->cpu_regs.x86_64;

		c->mode = VCPU_HVM_MODE_64B;
		*r = (struct vcpu_hvm_x86_64){
			.rax = h->regs.rax,
			.rcx = h->regs.rcx,
			.rdx = h->regs.rdx,
			.rbx = h->regs.rbx,
			.rsp = h->rsp,
			.rbp = h->regs.rbp,
			.rsi = h->regs.rsi,
			.rdi = h->regs.rdi,
			.rip = h->rip,
			.rflags = h->rflags,
			.cr0 = h->cr0,
			.cr3 = h->cr3,
			.cr4 = h->cr4,
			.efer = h->efer,
		};
		return;
	}
	c->mode = VCPU_HVM_MODE_32B;
	c->cpu_regs.x86_32 = (struct vcpu_hvm_x86_32){
		.eax = (u32)h->regs.rax,
		.ecx = (u32)h->regs.rcx,
		.edx = (u32)h->regs.rdx,
		.ebx = (u32)h->regs.rbx,
		.esp = (u32)h->rsp,
		.ebp = (u32)h->regs.rbp,
		.esi = (u32)h->regs.rsi,
		.edi = (u32)h->regs.rdi,
		.eip = (u32)h->rip,
		.eflags = (u32)h->rflags,
		.cr0 = (u32)h->cr0,
		.cr3 = (u32)h->cr3,
		.cr4 = (u32)h->cr4,
		.efer = h->efer,
	};
}
