/*
 * Emulating a decoded access to emulated memory (asm/hvm_mmio.h): the
 * device's callbacks do the read and the write, the result lands in
 * memory or in a register as the CPU would put it there (32-bit writes
 * clear the upper half in 64-bit mode, 8- and 16-bit writes keep the rest,
 * AH..BH without REX), RFLAGS takes the arithmetic flags the operation
 * defines, and RIP moves past the instruction.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/hvm.h>
#include <asm/hvm_mmio.h>
#include "mmio_insn.h"

#define FLAG_CF 0x001UL
#define FLAG_PF 0x004UL
#define FLAG_AF 0x010UL
#define FLAG_ZF 0x040UL
#define FLAG_SF 0x080UL
#define FLAG_OF 0x800UL
#define FLAGS_ARITH (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

/* The BT family, as mmio_insn.alu numbers it. */
enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

static void set_reg(struct vcpu *v, const struct mmio_insn *in, unsigned int n,
		    unsigned int size, u64 val)
{
	struct hvm_vcpu *h = hvm_of(v);
	u64 *r, keep;

	if (size == 1 && !in->rex && n >= 4 && n < 8) {
		r = hvm_gpr(h, n - 4);
		*r = (*r & ~0xff00UL) | ((val & 0xff) << 8);
		return;
	}
	r = hvm_gpr(h, n);
	keep = size == 8 || (size == 4 && in->long_mode) ? 0 : ~mmio_mask(size);
	*r = (*r & keep) | (val & mmio_mask(size));
}

/* SF, ZF and PF of a result of size bytes. */
static u64 result_flags(u64 r, unsigned int size)
{
	u64 fl = 0;

	r &= mmio_mask(size);
	if (!r)
		fl |= FLAG_ZF;
	if (r >> (size * 8 - 1))
		fl |= FLAG_SF;
	if (!__builtin_parity((u8)r)) /* even parity of the low byte */
		fl |= FLAG_PF;
	return fl;
}

/*
 * a op b at size bytes; RFLAGS' arithmetic flags set as the CPU sets them
 * (the logical ones clear CF and OF; AF, undefined there, is cleared).
 */
static u64 alu(unsigned int op, u64 a, u64 b, unsigned int size, u64 *rflags)
{
	u64 m = mmio_mask(size), sign = 1UL << (size * 8 - 1);
	u64 carry_in = *rflags & FLAG_CF, r, fl = 0;

	a &= m;
	b &= m;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		r = (a + b + (op == ALU_ADC ? carry_in : 0)) & m;
		/* The carry out of the top bit, from its inputs and result. */
		if (((a & b) | ((a | b) & ~r)) & sign)
			fl |= FLAG_CF;
		if ((a ^ r) & (b ^ r) & sign)
			fl |= FLAG_OF;
		fl |= (a ^ b ^ r) & FLAG_AF;
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
		r = (a - b - (op == ALU_SBB ? carry_in : 0)) & m;
		if (((~a & b) | ((~a | b) & r)) & sign)
			fl |= FLAG_CF;
		if ((a ^ b) & (a ^ r) & sign)
			fl |= FLAG_OF;
		fl |= (a ^ b ^ r) & FLAG_AF;
		break;
	case ALU_OR:
		r = a | b;
		break;
	case ALU_AND:
		r = a & b;
		break;
	default:
		r = a ^ b;
		break;
	}
	*rflags = (*rflags & ~FLAGS_ARITH) | fl | result_flags(r, size);
	return r;
}

/* A byte string of the instruction for messages: "8b 04 25 ..." */
static const char *insn_bytes(const struct mmio_insn *in, char *buf,
			      size_t size)
{
	unsigned int i, n = min(max(in->len, 1u), in->fetched);
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && at < size; i++)
		at += snprintf(buf + at, size - at, i ? " %02x" : "%02x",
			       in->bytes[i]);
	return buf;
}

/* The device's read or write at the fault's gpa; -1 with d crashed. */
static int device_access(struct vcpu *v, const struct hvm_fault *f,
			 const struct hvm_mmio_ops *dev, unsigned int size,
			 bool write, u64 *val)
{
	int rc;

	if (write) {
		rc = dev->write(v, f->gpa, size, *val & mmio_mask(size));
	} else {
		*val = 0;
		rc = dev->read(v, f->gpa, size, val);
		*val &= mmio_mask(size);
	}
	if (rc)
		domain_crash(v->domain, "%u-byte %s at gpa %lx refused", size,
			     write ? "write" : "read", (unsigned long)f->gpa);
	return rc ? -1 : 0;
}

/* Inc, dec and neg: subtraction's or addition's flags, CF kept or own */
static u64 unary(const struct mmio_insn *in, u64 val, u64 *rflags)
{
	u64 cf = *rflags & FLAG_CF, r;

	switch (in->kind) {
	case MMIO_INC:
		r = alu(ALU_ADD, val, 1, in->size, rflags);
		break;
	case MMIO_DEC:
		r = alu(ALU_SUB, val, 1, in->size, rflags);
		break;
	default: /* NEG: 0 - val, CF set unless val is 0 */
		return alu(ALU_SUB, 0, val, in->size, rflags);
	}
	*rflags = (*rflags & ~FLAG_CF) | cf;
	return r;
}

static int execute(struct vcpu *v, const struct hvm_fault *f,
		   const struct hvm_mmio_ops *dev, const struct mmio_insn *in)
{
	struct hvm_vcpu *h = hvm_of(v);
	unsigned int size = in->size;
	u64 src = in->has_imm ? in->imm : mmio_get_reg(v, in, in->reg, size);
	u64 mem, r;

	if (in->kind == MMIO_STORE)
		return device_access(v, f, dev, size, true, &src);
	if (device_access(v, f, dev, size, false, &mem))
		return -1;
	switch (in->kind) {
	case MMIO_LOAD:
		set_reg(v, in, in->reg, size, mem);
		return 0;
	case MMIO_MOVZX:
		set_reg(v, in, in->reg, in->op_bytes, mem);
		return 0;
	case MMIO_MOVSX:
		set_reg(v, in, in->reg, in->op_bytes,
			mmio_sign_extend(mem, size));
		return 0;
	case MMIO_ALU:
		if (in->to_reg) {
			r = alu(in->alu, src, mem, size, &h->rflags);
			if (in->alu != ALU_CMP)
				set_reg(v, in, in->reg, size, r);
			return 0;
		}
		r = alu(in->alu, mem, src, size, &h->rflags);
		return in->alu == ALU_CMP ?
			       0 :
			       device_access(v, f, dev, size, true, &r);
	case MMIO_TEST:
		alu(ALU_AND, mem, src, size, &h->rflags);
		return 0;
	case MMIO_XCHG:
		if (device_access(v, f, dev, size, true, &src))
			return -1;
		set_reg(v, in, in->reg, size, mem);
		return 0;
	case MMIO_NOT:
		r = ~mem;
		return device_access(v, f, dev, size, true, &r);
	case MMIO_BT:
		/* CF is the bit; the other flags are left as they were. */
		h->rflags = (h->rflags & ~FLAG_CF) | ((mem >> in->bit) & 1);
		r = mem & ~(1UL << in->bit);
		if (in->alu == BT_TEST)
			return 0;
		if (in->alu == BT_SET ||
		    (in->alu == BT_COMPLEMENT && !(mem >> in->bit & 1)))
			r |= 1UL << in->bit;
		return device_access(v, f, dev, size, true, &r);
	default: /* INC, DEC, NEG */
		r = unary(in, mem, &h->rflags);
		return device_access(v, f, dev, size, true, &r);
	}
}

/*
 * The fault's gpa must be where the operand starts (the CPU reports the
 * page it faulted on: an operand that began on the page before crossed
 * into it), and the operand must end within its page and dev's range.
 */
static const char *bad_place(const struct mmio_insn *in,
			     const struct hvm_fault *f,
			     const struct hvm_mmio_ops *dev)
{
	paddr_t offset = f->gpa & ~PAGE_MASK;

	if ((in->operand & ~PAGE_MASK) != offset ||
	    offset + in->size > PAGE_SIZE)
		return "crosses a page boundary";
	if (f->gpa + in->size > dev->base + dev->size)
		return "runs past the end of the emulated range";
	return NULL;
}

int hvm_emulate_mmio(struct vcpu *v, const struct hvm_fault *f,
		     const struct hvm_mmio_ops *dev)
{
	struct hvm_vcpu *h = hvm_of(v);
	struct mmio_insn in;
	char bytes[3 * MMIO_MAX_INSN_LEN + 1];
	const char *why;
	int rc = mmio_decode(v, f, &in);

	if (rc) {
		domain_crash(v->domain,
			     "access to gpa %lx: the instruction at %lx is "
			     "%s (bytes %s)",
			     (unsigned long)f->gpa, (unsigned long)h->rip,
			     rc == -EFAULT ? "unreadable" :
			     rc == -E2BIG  ? "over 15 bytes" :
					     "not emulated",
			     insn_bytes(&in, bytes, sizeof(bytes)));
		return -1;
	}
	why = bad_place(&in, f, dev);
	if (why) {
		domain_crash(v->domain,
			     "%u-byte access to gpa %lx (linear %lx) %s (%s)",
			     in.size, (unsigned long)f->gpa, in.operand, why,
			     insn_bytes(&in, bytes, sizeof(bytes)));
		return -1;
	}
	if (execute(v, f, dev, &in))
		return -1;
	if (in.long_mode)
		h->rip += in.len;
	else if (in.code32)
		h->rip = (u32)(h->rip + in.len);
	else
		h->rip = (u16)(h->rip + in.len);
	return 0;
}
