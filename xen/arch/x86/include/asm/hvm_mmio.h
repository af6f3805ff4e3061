/*
 * Guest-physical ranges the hypervisor emulates (hvm/mmio.c), and the
 * emulation of the instruction that touched one (hvm/emulate_mmio.c).
 *
 * A device registers its range once at boot, before any guest runs; the
 * table is read without a lock afterwards. A guest access there exits as
 * a nested page fault (nothing is mapped at those gfns): the instruction
 * at the guest's RIP is decoded, the device's read and write callbacks do
 * the access, and the registers, RFLAGS and RIP move on as the CPU would
 * have moved them.
 */
#ifndef ASM_HVM_MMIO_H
#define ASM_HVM_MMIO_H

#include <xen/types.h>

struct vcpu;
struct hvm_fault;

struct hvm_mmio_ops {
	paddr_t base, size; /* the guest-physical range claimed */
	/* size 1, 2, 4 or 8 bytes at gpa; 0, or -1 to crash */
	int (*read)(struct vcpu *v, paddr_t gpa, unsigned int size, u64 *val);
	int (*write)(struct vcpu *v, paddr_t gpa, unsigned int size, u64 val);
};

/* At boot: claim ops' range (panics if it overlaps one already claimed). */
void hvm_mmio_register(const struct hvm_mmio_ops *ops);

/* The device whose range holds gpa, or NULL. */
const struct hvm_mmio_ops *hvm_mmio_find(paddr_t gpa);

/*
 * A nested page fault at f->gpa in dev's range, or with dev NULL at a gpa
 * where nothing is (unpopulated, or beyond the domain's memory): there
 * reads give all-ones and writes are dropped, as on Xen; each such access
 * is counted in the domain (nr_unbacked) and the first one logged. An
 * instruction fetch from either, or the guest's own page walk reaching
 * either, crashes the domain.
 */
void hvm_mmio_fault(struct vcpu *v, const struct hvm_fault *f,
		    const struct hvm_mmio_ops *dev);

/*
 * Emulate the data access at v's RIP that faulted at f->gpa against dev
 * (a device, or the hypervisor's "nothing here"). On success (0) the
 * registers, RFLAGS and RIP are updated. Otherwise (-1) the domain was
 * crashed with a message that says why: an instruction not emulated
 * (its bytes named), one that cannot be read, an access that runs past
 * a page or dev's range, or dev refusing it.
 */
int hvm_emulate_mmio(struct vcpu *v, const struct hvm_fault *f,
		     const struct hvm_mmio_ops *dev);

#endif
