/*
 * Decoding the instructions that write CR0 or CR4 (MOV to CR, CLTS,
 * LMSW), for a vendor that reports the exit but not the operands (SVM
 * without decode assists, as under QEMU). The instruction is fetched at
 * the guest's RIP through its own page tables; it has just been executed
 * there, so it is in memory the guest can read.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/hvm.h>

#define MAX_INSN_LEN 15
#define REX_B 0x1
#define REX_R 0x4
#define PREFIX_LOCK 0xf0

/* The instruction's bytes, fetched one at a time: it may end at a hole. */
struct fetch {
	struct vcpu *v;
	unsigned long rip;
	unsigned int len;
	u8 last;
};

static int next_byte(struct fetch *f)
{
	unsigned long at = f->rip + f->len;

	if (!hvm_of(f->v)->long_mode)
		at = (u32)at;
	if (f->len == MAX_INSN_LEN ||
	    copy_from_guest_virt(f->v, &f->last, at, 1))
		return -EFAULT;
	f->len++;
	return 0;
}

/* Prefixes up to the 0F escape: the REX prefix right before it, or 0. */
static int skip_prefixes(struct fetch *f, bool *lock)
{
	unsigned int rex = 0;

	for (;;) {
		if (next_byte(f))
			return -EFAULT;
		if (hvm_is_legacy_prefix(f->last)) {
			*lock |= f->last == PREFIX_LOCK;
			rex = 0; /* a REX prefix counts only right before 0F */
		} else if (hvm_of(f->v)->long_mode &&
			   (f->last & 0xf0) == 0x40) {
			rex = f->last;
		} else {
			return f->last == 0x0f ? (int)rex : -EINVAL;
		}
	}
}

int hvm_decode_cr_insn(struct vcpu *v, unsigned long cs_base,
		       struct hvm_cr_insn *insn)
{
	const struct hvm_vcpu *h = hvm_of(v);
	struct fetch f = {
		.v = v,
		.rip = h->long_mode ? h->rip : (u32)(cs_base + h->rip),
	};
	bool lock = false;
	int rex = skip_prefixes(&f, &lock);
	u8 opcode, modrm;

	if (rex < 0)
		return rex;
	if (next_byte(&f))
		return -EFAULT;
	opcode = f.last;
	/* Every form but CLTS has a ModRM byte; its mod bits mean nothing */
	if (opcode != 0x06 && next_byte(&f))
		return -EFAULT;
	modrm = f.last;
	memset(insn, 0, sizeof(*insn));
	insn->gpr = (modrm & 7) | (rex & REX_B ? 8 : 0);
	switch (opcode) {
	case 0x06:
		insn->op = HVM_CR_CLTS;
		break;
	case 0x20:
	case 0x22:
		insn->op = opcode == 0x22 ? HVM_CR_MOV_TO : HVM_CR_MOV_FROM;
		insn->cr = ((modrm >> 3) & 7) | (rex & REX_R ? 8 : 0);
		/* AMD's alternative encoding of CR8 outside 64-bit mode. */
		if (lock && insn->cr == 0)
			insn->cr = 8;
		break;
	case 0x01:
		if (((modrm >> 3) & 7) != 6)
			return -EINVAL;
		insn->op = HVM_CR_LMSW;
		insn->mem = (modrm >> 6) != 3;
		break;
	default:
		return -EINVAL;
	}
	insn->len = f.len;
	return 0;
}
