/*
 * Hypercall entry from a guest's VMCALL/VMMCALL: Xen's register
 * convention. 64-bit guests pass the number in RAX and arguments in RDI,
 * RSI, RDX, R10, R8; 32-bit guests in EAX and EBX, ECX, EDX, ESI, EDI.
 * The result goes to RAX (EAX). Only CPL 0 may call (-EPERM).
 *
 * A continuation (-ERESTART from the handler) writes the updated
 * arguments back, leaves RAX holding the number, and tells the vendor
 * code not to move RIP past the instruction: the guest executes the same
 * hypercall again, with its progress in its arguments.
 */
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/hvm.h>

#define REG(name) __builtin_offsetof(struct hvm_regs, name)

/* Where argument i lives, by caller width. */
static const unsigned int arg_offset[2][HYPERCALL_MAX_ARGS] = {
	{ REG(rdi), REG(rsi), REG(rdx), REG(r10), REG(r8) }, /* 64-bit */
	{ REG(rbx), REG(rcx), REG(rdx), REG(rsi), REG(rdi) }, /* 32-bit */
};

static u64 *arg_reg(struct hvm_regs *r, bool compat, unsigned int i)
{
	return (u64 *)((char *)r + arg_offset[compat][i]);
}

enum hvm_hcall_result hvm_hypercall(struct vcpu *v)
{
	struct hvm_vcpu *h = hvm_of(v);
	struct hvm_regs *r = &h->regs;
	struct hypercall_args args = { .compat = !h->long_mode };
	unsigned long nr = args.compat ? (u32)r->rax : r->rax;
	unsigned int i;
	long ret;

	if (h->cpl) {
		ret = -EPERM;
		goto out;
	}
	for (i = 0; i < HYPERCALL_MAX_ARGS; i++) {
		u64 val = *arg_reg(r, args.compat, i);

		args.a[i] = args.compat ? (u32)val : val;
	}
	ret = hypercall_dispatch(v, nr, &args);
	if (ret == -ERESTART) {
		for (i = 0; i < hypercall_table[nr].nr_args; i++)
			*arg_reg(r, args.compat, i) =
				args.compat ? (u32)args.a[i] : args.a[i];
		return HVM_HCALL_preempted;
	}
out:
	r->rax = args.compat ? (u32)ret : (unsigned long)ret;
	return HVM_HCALL_completed;
}
