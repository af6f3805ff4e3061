/*
 * An instruction that touched emulated memory, as mmio_decode.c decodes it
 * for emulate_mmio.c: only the forms kernels use on device registers
 * (moves, read-modify-write arithmetic, TEST, XCHG, the BT family).
 */
#ifndef HVM_MMIO_INSN_H
#define HVM_MMIO_INSN_H

#include <xen/types.h>

struct vcpu;
struct hvm_fault;

#define MMIO_MAX_INSN_LEN 15

enum mmio_kind {
	MMIO_STORE, /* MOV to memory: from reg, or imm */
	MMIO_LOAD, /* MOV to reg: op_bytes from memory */
	MMIO_MOVZX, /* reg = size bytes of memory, zero-extended */
	MMIO_MOVSX, /* ... sign-extended (MOVSX, MOVSXD) */
	MMIO_ALU, /* alu: ADD OR ADC SBB AND SUB XOR CMP (opcode bits 5:3) */
	MMIO_TEST,
	MMIO_XCHG,
	MMIO_INC,
	MMIO_DEC,
	MMIO_NOT,
	MMIO_NEG,
	MMIO_BT, /* alu: BT BTS BTR BTC */
};

/* The ALU operations, numbered as in opcodes 00-3F and group 1. */
enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

struct mmio_insn {
	u8 bytes[MMIO_MAX_INSN_LEN];
	unsigned int len; /* bytes decoded: the length once decoded */
	unsigned int fetched; /* bytes read from the guest into bytes[] */
	unsigned long linear; /* where its first byte is */
	bool long_mode; /* 64-bit code */
	bool code32; /* outside 64-bit mode: 32-bit code (CS.D) */
	u8 rex; /* the REX prefix, 0 if none */
	bool lock;
	unsigned int op_bytes, ad_bytes; /* operand and address size */
	unsigned int opcode; /* 0x0fXX for the two-byte map */

	enum mmio_kind kind;
	unsigned int alu;
	unsigned int size; /* bytes of memory accessed */
	unsigned int reg; /* the register operand (ModRM.reg with REX.R) */
	bool to_reg; /* ALU: the result goes to reg, not to memory */
	bool has_imm; /* the source is imm, not reg */
	u64 imm; /* sign-extended to 64 bits */
	unsigned int bit; /* BT: the bit within the operand */

	/* The memory operand. */
	unsigned int seg; /* enum hvm_seg */
	u64 ea; /* its offset in seg */
	unsigned long operand; /* its linear address */
};

/*
 * Fetch and decode the instruction at v's RIP (f: the fault's segment
 * state). 0; -EFAULT: its bytes cannot be read; -EOPNOTSUPP: not a form
 * emulated (insn->bytes[0..len) are the bytes seen); -E2BIG: longer than
 * 15 bytes.
 */
int mmio_decode(struct vcpu *v, const struct hvm_fault *f,
		struct mmio_insn *insn);

/* The low bytes bytes of a value, and those bytes sign-extended. */
static inline u64 mmio_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0UL : (1UL << (bytes * 8)) - 1;
}

static inline u64 mmio_sign_extend(u64 val, unsigned int bytes)
{
	unsigned int shift = 64 - bytes * 8;

	return (u64)((s64)(val << shift) >> shift);
}

/* The value of register n at size bytes (AH..BH without REX). */
u64 mmio_get_reg(struct vcpu *v, const struct mmio_insn *insn, unsigned int n,
		 unsigned int size);

#endif
