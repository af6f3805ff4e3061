/*
 * Decoding the instruction at a guest's RIP that touched emulated memory
 * (mmio_insn.h). Its bytes are read through the guest's own page tables:
 * it has just been fetched by the CPU, from memory that the guest can
 * read (never from an emulated range: a fetch there crashes the domain
 * before this is reached). Legacy prefixes, REX, ModRM, SIB and
 * displacements are decoded in full, so that the length, the register
 * operand and the operand's address are known; the operand's address is
 * only used to check that the fault's gpa is where the operand starts.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include "mmio_insn.h"

#define REX_B 0x1
#define REX_X 0x2
#define REX_R 0x4
#define REX_W 0x8

#define EFLAGS_VM (1UL << 17)

/* Registers as ModRM numbers them. */
enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI };

/*
 * The next byte. The guest is read a page at a time (at most 15 bytes):
 * an instruction may end right before a page nothing maps.
 */
static int next_byte(struct vcpu *v, struct mmio_insn *in, u8 *b)
{
	if (in->len == in->fetched) {
		unsigned long at = in->linear + in->fetched;
		unsigned int n;

		if (in->fetched == MMIO_MAX_INSN_LEN)
			return -E2BIG;
		if (!in->long_mode)
			at = (u32)at;
		n = min(MMIO_MAX_INSN_LEN - in->fetched,
			(unsigned int)(PAGE_SIZE - (at & ~PAGE_MASK)));
		if (copy_from_guest_virt(v, in->bytes + in->fetched, at, n))
			return -EFAULT;
		in->fetched += n;
	}
	*b = in->bytes[in->len++];
	return 0;
}

/* A little-endian value of bytes bytes, sign-extended. */
static int next_value(struct vcpu *v, struct mmio_insn *in, unsigned int bytes,
		      u64 *val)
{
	unsigned int i;
	u64 x = 0;

	for (i = 0; i < bytes; i++) {
		u8 b;
		int rc = next_byte(v, in, &b);

		if (rc)
			return rc;
		x |= (u64)b << (i * 8);
	}
	*val = mmio_sign_extend(x, bytes);
	return 0;
}

u64 mmio_get_reg(struct vcpu *v, const struct mmio_insn *in, unsigned int n,
		 unsigned int size)
{
	struct hvm_vcpu *h = hvm_of(v);

	/* Without REX, byte registers 4-7 are AH, CH, DH and BH. */
	if (size == 1 && !in->rex && n >= 4 && n < 8)
		return (*hvm_gpr(h, n - 4) >> 8) & 0xff;
	return *hvm_gpr(h, n) & mmio_mask(size);
}

/* The legacy prefixes and REX; returns the first opcode byte in *b. */
static int decode_prefixes(struct vcpu *v, struct mmio_insn *in, int *seg,
			   bool *opsize, bool *adsize, u8 *b)
{
	for (;;) {
		int rc = next_byte(v, in, b);

		if (rc)
			return rc;
		switch (*b) {
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e:
			*seg = (*b >> 3) & 3; /* ES, CS, SS, DS */
			break;
		case 0x64:
		case 0x65:
			*seg = HVM_SEG_FS + (*b & 1);
			break;
		case 0x66:
			*opsize = true;
			break;
		case 0x67:
			*adsize = true;
			break;
		case 0xf0:
			in->lock = true;
			break;
		case 0xf2:
		case 0xf3:
			/* REP on these forms changes nothing (XACQUIRE...) */
			break;
		default:
			if (in->long_mode && (*b & 0xf0) == 0x40) {
				in->rex = *b;
				continue;
			}
			return 0;
		}
		/* A REX prefix counts only right before the opcode. */
		in->rex = 0;
	}
}

/* The register a 32/64-bit ModRM or SIB base names, or a 16-bit form's */
static u64 reg_value(struct vcpu *v, unsigned int n)
{
	return *hvm_gpr(hvm_of(v), n);
}

/* 16-bit addressing: BX/BP plus SI/DI, or one of them, or disp16. */
static int decode_ea16(struct vcpu *v, struct mmio_insn *in, u8 modrm)
{
	static const s8 base[8] = { R_BX, R_BX, R_BP, R_BP, -1, -1, R_BP, R_BX };
	static const s8 index[8] = {
		R_SI, R_DI, R_SI, R_DI, R_SI, R_DI, -1, -1
	};
	unsigned int mod = modrm >> 6, rm = modrm & 7;
	u64 disp = 0;
	int rc = 0;

	in->ea = 0;
	if (mod == 0 && rm == 6) {
		rc = next_value(v, in, 2, &disp);
	} else {
		if (base[rm] >= 0)
			in->ea += reg_value(v, base[rm]);
		if (index[rm] >= 0)
			in->ea += reg_value(v, index[rm]);
		if (base[rm] == R_BP)
			in->seg = HVM_SEG_SS;
		if (mod == 1)
			rc = next_value(v, in, 1, &disp);
		else if (mod == 2)
			rc = next_value(v, in, 2, &disp);
	}
	in->ea = (u16)(in->ea + disp);
	return rc;
}

/*
 * 32- and 64-bit addressing: base + index * scale + displacement (SIB),
 * disp32 alone, or RIP-relative in 64-bit mode (*rip_rel: the next RIP
 * is added once the length is known).
 */
static int decode_ea32(struct vcpu *v, struct mmio_insn *in, u8 modrm,
		       bool *rip_rel)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7, base = rm;
	u64 disp = 0;
	int rc = 0;

	in->ea = 0;
	if (rm == 4) {
		u8 sib;
		unsigned int index;

		rc = next_byte(v, in, &sib);
		if (rc)
			return rc;
		index = ((sib >> 3) & 7) | (in->rex & REX_X ? 8 : 0);
		if (index != R_SP)
			in->ea += reg_value(v, index) << (sib >> 6);
		base = sib & 7;
		if (base == R_BP && mod == 0) {
			rc = next_value(v, in, 4, &disp);
			base = ~0u;
		}
	} else if (rm == R_BP && mod == 0) {
		rc = next_value(v, in, 4, &disp);
		*rip_rel = in->long_mode;
		base = ~0u;
	}
	if (base != ~0u) {
		in->ea += reg_value(v, base | (in->rex & REX_B ? 8 : 0));
		if (base == R_SP || base == R_BP)
			in->seg = HVM_SEG_SS;
	}
	if (!rc && mod == 1)
		rc = next_value(v, in, 1, &disp);
	else if (!rc && mod == 2)
		rc = next_value(v, in, 4, &disp);
	in->ea += disp;
	return rc;
}

/*
 * Which form the opcode is: kind, sizes, whether imm follows. -ENOENT for
 * an opcode not emulated, -EOPNOTSUPP for a form of one not emulated.
 */
static int classify(struct mmio_insn *in, u8 modrm_reg, bool *byte,
		    unsigned int *imm_bytes)
{
	unsigned int op = in->opcode;
	/* Group opcodes' immediates: 8 bits, or 16/32 (sign-extended). */
	unsigned int immz = in->op_bytes == 2 ? 2 : 4;

	*byte = false;
	*imm_bytes = 0;
	in->reg = modrm_reg | (in->rex & REX_R ? 8 : 0);
	switch (op) {
	case 0x00 ... 0x3f:
		if ((op & 7) > 3)
			return -EOPNOTSUPP;
		in->kind = MMIO_ALU;
		in->alu = op >> 3;
		in->to_reg = op & 2;
		*byte = !(op & 1);
		return 0;
	case 0x63: /* MOVSXD (ARPL outside 64-bit mode) */
		if (!in->long_mode)
			return -EOPNOTSUPP;
		in->kind = MMIO_MOVSX;
		in->size = min(in->op_bytes, 4u);
		return 0;
	case 0x80:
	case 0x81:
	case 0x83:
		in->kind = MMIO_ALU;
		in->alu = modrm_reg;
		*byte = op == 0x80;
		*imm_bytes = op == 0x81 ? immz : 1;
		return 0;
	case 0x84:
	case 0x85:
		in->kind = MMIO_TEST;
		*byte = op == 0x84;
		return 0;
	case 0x86:
	case 0x87:
		in->kind = MMIO_XCHG;
		*byte = op == 0x86;
		return 0;
	case 0x88 ... 0x8b:
		in->kind = op & 2 ? MMIO_LOAD : MMIO_STORE;
		*byte = !(op & 1);
		return 0;
	case 0xc6:
	case 0xc7:
		if (modrm_reg)
			return -EOPNOTSUPP;
		in->kind = MMIO_STORE;
		*byte = op == 0xc6;
		*imm_bytes = *byte ? 1 : immz;
		return 0;
	case 0xf6:
	case 0xf7: {
		static const s8 kinds[8] = { MMIO_TEST, MMIO_TEST, MMIO_NOT,
					     MMIO_NEG,	-1,	   -1,
					     -1,	-1 };

		if (kinds[modrm_reg] < 0)
			return -EOPNOTSUPP; /* MUL, IMUL, DIV, IDIV */
		in->kind = kinds[modrm_reg];
		*byte = op == 0xf6;
		if (in->kind == MMIO_TEST)
			*imm_bytes = *byte ? 1 : immz;
		return 0;
	}
	case 0xfe:
	case 0xff:
		if (modrm_reg > 1)
			return -EOPNOTSUPP; /* CALL, JMP, PUSH */
		in->kind = modrm_reg ? MMIO_DEC : MMIO_INC;
		*byte = op == 0xfe;
		return 0;
	case 0x0fb6:
	case 0x0fb7:
	case 0x0fbe:
	case 0x0fbf:
		in->kind = op & 8 ? MMIO_MOVSX : MMIO_MOVZX;
		in->size = op & 1 ? 2 : 1;
		return 0;
	case 0x0fa3:
	case 0x0fab:
	case 0x0fb3:
	case 0x0fbb:
		in->kind = MMIO_BT;
		in->alu = (op >> 3) & 3;
		return 0;
	case 0x0fba:
		if (modrm_reg < 4)
			return -EOPNOTSUPP;
		in->kind = MMIO_BT;
		in->alu = modrm_reg - 4;
		*imm_bytes = 1;
		return 0;
	}
	return -ENOENT; /* an opcode none of the forms has */
}

/* What LOCK may prefix: a read-modify-write of memory. */
static bool lock_allowed(const struct mmio_insn *in)
{
	switch (in->kind) {
	case MMIO_ALU:
		return !in->to_reg && in->alu != ALU_CMP;
	case MMIO_BT:
		return in->alu != 0;
	case MMIO_XCHG:
	case MMIO_INC:
	case MMIO_DEC:
	case MMIO_NOT:
	case MMIO_NEG:
		return true;
	default:
		return false;
	}
}

/* MOV AL/eAX to or from moffs (A0-A3): an address-size offset, no ModRM */
static int decode_moffs(struct vcpu *v, struct mmio_insn *in)
{
	u64 ea;
	int rc = next_value(v, in, in->ad_bytes, &ea);

	in->kind = in->opcode & 2 ? MMIO_STORE : MMIO_LOAD;
	in->size = in->opcode & 1 ? in->op_bytes : 1;
	in->reg = R_AX;
	in->ea = ea & mmio_mask(in->ad_bytes);
	return rc;
}

/*
 * BT's bit offset from a register is signed and may reach outside the
 * operand: the byte accessed is the operand's, moved by whole operands.
 */
static void bt_register_offset(struct vcpu *v, struct mmio_insn *in)
{
	unsigned int bits = in->size * 8;
	s64 off = (s64)mmio_sign_extend(mmio_get_reg(v, in, in->reg, in->size),
					in->size);

	in->ea += (u64)((off >> __builtin_ctz(bits)) * (s64)in->size);
	in->bit = (unsigned int)(off & (bits - 1));
}

static int decode_operands(struct vcpu *v, struct mmio_insn *in)
{
	unsigned int imm_bytes;
	bool byte, rip_rel = false;
	u8 modrm;
	int rc = next_byte(v, in, &modrm);

	if (rc)
		return rc;
	rc = classify(in, (modrm >> 3) & 7, &byte, &imm_bytes);
	if (rc == -ENOENT)
		in->len--; /* the byte read as ModRM may not be one */
	if (rc)
		return -EOPNOTSUPP;
	if (in->kind != MMIO_MOVZX && in->kind != MMIO_MOVSX)
		in->size = byte ? 1 : in->op_bytes;
	/* A register operand: nothing in memory to emulate. */
	if ((modrm >> 6) == 3 || (in->lock && !lock_allowed(in)))
		return -EOPNOTSUPP;
	rc = in->ad_bytes == 2 ? decode_ea16(v, in, modrm) :
				 decode_ea32(v, in, modrm, &rip_rel);
	if (!rc && imm_bytes) {
		rc = next_value(v, in, imm_bytes, &in->imm);
		in->has_imm = true;
	}
	if (rc)
		return rc;
	if (rip_rel)
		in->ea += hvm_of(v)->rip + in->len;
	if (in->kind == MMIO_BT) {
		if (in->has_imm)
			in->bit = in->imm & (in->size * 8 - 1);
		else
			bt_register_offset(v, in);
	}
	in->ea &= mmio_mask(in->ad_bytes);
	return 0;
}

/* The operand's linear address: 64-bit mode ignores all bases but FS/GS */
static unsigned long operand_linear(const struct mmio_insn *in,
				    const struct hvm_fault *f)
{
	if (in->long_mode)
		return in->ea +
		       (in->seg >= HVM_SEG_FS ? f->seg_base[in->seg] : 0);
	return (u32)(f->seg_base[in->seg] + in->ea);
}

int mmio_decode(struct vcpu *v, const struct hvm_fault *f, struct mmio_insn *in)
{
	const struct hvm_vcpu *h = hvm_of(v);
	bool opsize = false, adsize = false, def32;
	int seg = -1, rc;
	u8 b;

	memset(in, 0, sizeof(*in));
	in->long_mode = h->long_mode;
	/* Real mode and virtual-8086 mode run 16-bit code. */
	in->code32 = !h->long_mode && f->cs_d && (h->cr0 & X86_CR0_PE) &&
		     !(h->rflags & EFLAGS_VM);
	in->linear = h->long_mode ? h->rip :
				    (u32)(f->seg_base[HVM_SEG_CS] + h->rip);
	in->seg = HVM_SEG_DS;
	rc = decode_prefixes(v, in, &seg, &opsize, &adsize, &b);
	if (rc)
		return rc;
	def32 = in->long_mode || in->code32;
	in->op_bytes = in->rex & REX_W ? 8 : def32 != opsize ? 4 : 2;
	in->ad_bytes = in->long_mode ? (adsize ? 4 : 8) :
				       (def32 != adsize ? 4 : 2);
	in->opcode = b;
	if (b == 0x0f) {
		rc = next_byte(v, in, &b);
		if (rc)
			return rc;
		in->opcode = 0x0f00 | b;
	}
	if (in->opcode >= 0xa0 && in->opcode <= 0xa3)
		rc = in->lock ? -EOPNOTSUPP : decode_moffs(v, in);
	else
		rc = decode_operands(v, in);
	if (rc)
		return rc;
	if (seg >= 0)
		in->seg = seg;
	in->operand = operand_linear(in, f);
	return 0;
}
