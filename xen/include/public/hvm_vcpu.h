/*
 * The register state a vCPU starts from, as Xen's HVM guests and tools
 * give it (Xen's public/hvm/hvm_vcpu.h layout): XEN_DOMCTL_setvcpucontext
 * and XEN_DOMCTL_getvcpucontext take one.
 *
 *   VCPU_HVM_MODE_32B  protected mode, paging as cr0/cr3/cr4 say; the
 *                      segments given by base, limit and access rights
 *                      (an access-rights word of 0 means flat: base 0,
 *                      limit 4 GiB, code or data as the register is).
 *   VCPU_HVM_MODE_64B  long mode: cr3 is the PML4, segments flat.
 */
#ifndef PUBLIC_HVM_VCPU_H
#define PUBLIC_HVM_VCPU_H

#include <stdint.h>

#include "xen.h"

struct vcpu_hvm_x86_32 {
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags;
	uint32_t cr0, cr3, cr4;
	uint32_t pad1;
	uint64_aligned_t efer;
	uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
	uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
	uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
	uint16_t pad2[3];
};

struct vcpu_hvm_x86_64 {
	uint64_aligned_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rip, rflags;
	uint64_aligned_t cr0, cr3, cr4;
	uint64_aligned_t efer;
};

#define VCPU_HVM_MODE_32B 0
#define VCPU_HVM_MODE_64B 1

struct vcpu_hvm_context {
	uint32_t mode; /* VCPU_HVM_MODE_* */
	uint32_t pad;
	union {
		struct vcpu_hvm_x86_32 x86_32;
		struct vcpu_hvm_x86_64 x86_64;
	} cpu_regs;
};
typedef struct vcpu_hvm_context vcpu_hvm_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_hvm_context_t);

#endif
