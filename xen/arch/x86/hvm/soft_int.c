/*
 * Software interrupts an intercept reports (INT3, INTO, INT n), told apart
 * by the bytes at CS:RIP, and the recheck for an emulated CPU that runs a
 * stale translation of code another CPU has changed.
 *
 * QEMU's multi-threaded TCG translates guest code into blocks that it
 * drops when the code is written. A block translated while another CPU
 * writes its bytes can be kept with the old bytes: nothing drops it until
 * the next write to the same bytes. Linux patches its text (jump labels,
 * static calls) by writing INT3 to a site, then the rest of the new
 * instruction, then its first byte, with a serializing IPI to every CPU
 * after each step; a CPU that keeps a block with that INT3 traps on it
 * after the last step, when Linux finds no patch in progress and dies
 * with "Oops: int3". The bytes in memory are right: only the CPU's copy
 * is old. So when the CPU reports a software interrupt that memory does
 * not hold, the guest has run stale code: writing the first byte back as
 * it is (a compare-and-exchange with itself, invisible to the guest)
 * makes the emulator drop its blocks there, and the guest runs the
 * instruction again, now as memory holds it.
 */
#include <xen/errno.h>
#include <xen/guest-copy.h>
#include <xen/lib.h>
#include <asm/hvm.h>

#define MAX_INSN_LEN 15

#define OPCODE_INT3 0xcc
#define OPCODE_INT_N 0xcd
#define OPCODE_INTO 0xce

/* The linear address of byte n of the instruction at v's CS:RIP. */
static unsigned long insn_addr(struct vcpu *v, unsigned long cs_base,
			       unsigned int n)
{
	unsigned long addr = cs_base + hvm_of(v)->rip + n;

	return hvm_of(v)->long_mode ? addr : (u32)addr;
}

/* Byte n of the instruction: 0, or -EFAULT (unreadable, or too long). */
static int insn_byte(struct vcpu *v, unsigned long cs_base, unsigned int n,
		     u8 *b)
{
	if (n == MAX_INSN_LEN ||
	    copy_from_guest_virt(v, b, insn_addr(v, cs_base, n), 1))
		return -EFAULT;
	return 0;
}

int hvm_decode_soft_int(struct vcpu *v, unsigned long cs_base,
			struct hvm_soft_int *si)
{
	bool long_mode = hvm_of(v)->long_mode;
	unsigned int len = 0;
	u8 b, first = 0;

	for (;;) {
		if (insn_byte(v, cs_base, len, &b))
			return -EFAULT;
		if (!len)
			first = b;
		len++;
		if (!hvm_is_legacy_prefix(b) &&
		    !(long_mode && (b & 0xf0) == 0x40))
			break;
	}
	*si = (struct hvm_soft_int){ .kind = HVM_SOFT_INT_STALE,
				     .len = len,
				     .first = first };
	switch (b) {
	case OPCODE_INT3:
		si->kind = HVM_SOFT_INT_INT3;
		si->vector = 3;
		break;
	case OPCODE_INTO:
		/* Not an instruction in 64-bit mode (#UD, no interrupt). */
		if (!long_mode) {
			si->kind = HVM_SOFT_INT_INTO;
			si->vector = 4;
		}
		break;
	case OPCODE_INT_N:
		if (insn_byte(v, cs_base, len, &b))
			return -EFAULT;
		si->kind = HVM_SOFT_INT_N;
		si->vector = b;
		si->len = len + 1;
		break;
	}
	return 0;
}

int hvm_refresh_stale_code(struct vcpu *v, unsigned long cs_base,
			   const struct hvm_soft_int *si)
{
	return hvm_rewrite_guest_virt_byte(v, insn_addr(v, cs_base, 0),
					   si->first);
}
