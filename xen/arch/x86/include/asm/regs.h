/* The register frame pushed by every exception and interrupt entry. */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <xen/types.h>

struct cpu_user_regs {
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	u64 rax, rcx, rdx, rsi, rdi;
	u64 vector, error_code;
	/* Pushed by the CPU. */
	u64 rip, cs, rflags, rsp, ss;
};

#endif
