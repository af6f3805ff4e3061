/*
 * u64 svm_vmrun(paddr_t vmcb, paddr_t host_vmcb, struct hvm_regs *regs)
 *
 * Called with interrupts off. Loads the guest's registers, VMLOADs its
 * extra state (FS, GS, TR, LDTR, syscall MSRs), runs it, saves it back,
 * and VMLOADs the host's again before interrupts can be taken (the host's
 * GS base holds the per-CPU pointer). GIF is clear from CLGI to STGI, so a
 * physical interrupt arriving meanwhile is taken at the STGI.
 */
#define R_RAX 0
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_R8 56
#define R_R9 64
#define R_R10 72
#define R_R11 80
#define R_R12 88
#define R_R13 96
#define R_R14 104
#define R_R15 112

	.text
	.globl svm_vmrun
svm_vmrun:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdx		/* 16(%rsp): regs */
	push %rsi		/*  8(%rsp): host VMCB */
	push %rdi		/*  0(%rsp): guest VMCB */
	clgi
	sti			/* held off by GIF=0 until the STGI */
	mov %rdx, %rax
	mov R_RBX(%rax), %rbx
	mov R_RCX(%rax), %rcx
	mov R_RDX(%rax), %rdx
	mov R_RSI(%rax), %rsi
	mov R_RDI(%rax), %rdi
	mov R_RBP(%rax), %rbp
	mov R_R8(%rax), %r8
	mov R_R9(%rax), %r9
	mov R_R10(%rax), %r10
	mov R_R11(%rax), %r11
	mov R_R12(%rax), %r12
	mov R_R13(%rax), %r13
	mov R_R14(%rax), %r14
	mov R_R15(%rax), %r15
	mov (%rsp), %rax
	vmload
	vmrun
	vmsave
	/* RAX is the guest VMCB again (host RAX restored by #VMEXIT). */
	mov 16(%rsp), %rax
	mov %rbx, R_RBX(%rax)
	mov %rcx, R_RCX(%rax)
	mov %rdx, R_RDX(%rax)
	mov %rsi, R_RSI(%rax)
	mov %rdi, R_RDI(%rax)
	mov %rbp, R_RBP(%rax)
	mov %r8, R_R8(%rax)
	mov %r9, R_R9(%rax)
	mov %r10, R_R10(%rax)
	mov %r11, R_R11(%rax)
	mov %r12, R_R12(%rax)
	mov %r13, R_R13(%rax)
	mov %r14, R_R14(%rax)
	mov %r15, R_R15(%rax)
	mov 8(%rsp), %rax
	vmload
	stgi
	cli
	add $24, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
