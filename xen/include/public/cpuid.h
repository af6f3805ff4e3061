/*
 * The hypervisor's CPUID leaves, from XEN_CPUID_FIRST_LEAF: a guest that
 * finds the signature there may make hypercalls. Only numbers: assembly
 * may include this too.
 */
#ifndef PUBLIC_CPUID_H
#define PUBLIC_CPUID_H

#define XEN_CPUID_FIRST_LEAF 0x40000000
#define XEN_CPUID_LEAF(i) (XEN_CPUID_FIRST_LEAF + (i))

/* Leaf 0: EAX the last leaf; EBX, ECX, EDX "XenVMMXenVMM". */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4d
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566e

/* Leaf 1: EAX (major << 16) | minor, as XENVER_version returns. */
#define XEN_CPUID_VERSION XEN_CPUID_LEAF(1)
/* Leaf 2: EAX the hypercall pages (1), EBX the MSR that installs them. */
#define XEN_CPUID_HYPERCALL_PAGE XEN_CPUID_LEAF(2)
/*
 * Leaf 3, the time leaf. Subleaf 0: EAX flags (below), EBX the TSC mode,
 * ECX the guest's TSC frequency in kHz, EDX the incarnation (0). Subleaf
 * 1: EAX, EBX the TSC offset (low, high), ECX and EDX the multiplier and
 * shift of vcpu_time_info. Subleaf 2: EAX the host's TSC kHz.
 */
#define XEN_CPUID_TIME XEN_CPUID_LEAF(3)
#define XEN_CPUID_TSC_EMULATED (1u << 0)
#define XEN_CPUID_HOST_TSC_RELIABLE (1u << 1)
#define XEN_CPUID_RDTSCP_INSTR_AVAIL (1u << 2)
#define XEN_CPUID_TSC_MODE_DEFAULT 0u
#define XEN_CPUID_TSC_MODE_ALWAYS_EMULATE 1u
#define XEN_CPUID_TSC_MODE_NEVER_EMULATE 2u
/* Leaf 4: HVM features in EAX. */
#define XEN_CPUID_HVM XEN_CPUID_LEAF(4)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT (1u << 3) /* EBX: the vCPU id */
#define XEN_HVM_CPUID_DOMID_PRESENT (1u << 4) /* ECX: the domain id */

#endif
