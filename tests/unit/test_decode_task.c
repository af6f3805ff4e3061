/*
 * xen/arch/x86/hvm/decode_task.c: the length of the instruction that
 * started a task switch (the old task resumes past it), decoded at CS:RIP
 * in 32- and 16-bit code, and the refusal of bytes that are not the
 * instruction the exit names.
 */
#include "../../xen/arch/x86/hvm/decode_task.c"

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define CS_BASE 0x40
#define RIP 0x10

static u8 code[0x100];
static int last_vector; /* the decoded INT's, -1 for none */

/* Decode bytes at CS_BASE + RIP, in 32-bit code (CS.D) or 16-bit code. */
static int decode(const u8 *bytes, size_t len, bool code32,
		  enum hvm_task_source source, unsigned int *insn_len)
{
	static struct hvm_vcpu h;
	static struct vcpu v;
	struct hvm_segment cs = {
		.sel = 8,
		.attr = 0x9b | (code32 ? HVM_SEG_ATTR_D : 0),
		.limit = 0xffffffff,
		.base = CS_BASE,
	};

	struct hvm_task_insn insn = { .len = 0, .vector = -2 };
	int rc;

	h = (struct hvm_vcpu){ .rip = RIP };
	v.hvm = &h;
	memset(code, 0, sizeof(code));
	memcpy(code + CS_BASE + RIP, bytes, len);
	fake_guest_mem(code, CS_BASE + RIP + len, 0, 0);
	rc = hvm_decode_task_insn(&v, &cs, source, &insn);
	*insn_len = insn.len;
	last_vector = insn.vector;
	return rc;
}

#define CHECK_LEN(bytes, code32, source, want)                                \
	do {                                                                  \
		unsigned int len_;                                            \
		CHECK_EQ(decode(bytes, sizeof(bytes), code32, source, &len_), \
			 0);                                                  \
		CHECK_EQ(len_, want);                                         \
	} while (0)

TEST(decode_task_far_jmp_call)
{
	static const u8 jmp_ptr32[] = { 0xea, 1, 2, 3, 4, 0x20, 0 };
	static const u8 jmp_ptr16[] = { 0x66, 0xea, 1, 2, 0x20, 0 };
	static const u8 call_ptr32[] = { 0x9a, 1, 2, 3, 4, 0x28, 0 };
	/* JMP FAR [disp32], CALL FAR [esp], [esp+8], [disp32] by SIB */
	static const u8 jmp_mem_disp32[] = { 0xff, 0x2d, 1, 2, 3, 4 };
	static const u8 call_mem_esp[] = { 0xff, 0x1c, 0x24 };
	static const u8 call_mem_esp8[] = { 0xff, 0x5c, 0x24, 0x08 };
	static const u8 jmp_mem_sib_disp32[] = { 0xff, 0x2c, 0x25, 1, 2, 3, 4 };
	static const u8 jmp_mem_ebx_disp32[] = { 0x3e, 0xff, 0xab, 1, 2, 3, 4 };
	/* 16-bit addressing: [di+8], [disp16], [bx+si+disp16] */
	static const u8 jmp_mem16_di8[] = { 0x67, 0xff, 0x6d, 0x08 };
	static const u8 jmp_mem16_disp16[] = { 0x67, 0xff, 0x2e, 1, 2 };
	static const u8 call_mem16_bxsi[] = { 0x67, 0xff, 0x98, 1, 2 };

	CHECK_LEN(jmp_ptr32, true, HVM_TASK_JMP, 7);
	CHECK_EQ(last_vector, -1);
	CHECK_LEN(jmp_ptr16, true, HVM_TASK_JMP, 6);
	CHECK_LEN(call_ptr32, true, HVM_TASK_CALL, 7);
	CHECK_LEN(jmp_mem_disp32, true, HVM_TASK_JMP, 6);
	CHECK_LEN(call_mem_esp, true, HVM_TASK_CALL, 3);
	CHECK_LEN(call_mem_esp8, true, HVM_TASK_CALL, 4);
	CHECK_LEN(jmp_mem_sib_disp32, true, HVM_TASK_JMP, 7);
	CHECK_LEN(jmp_mem_ebx_disp32, true, HVM_TASK_JMP, 7);
	CHECK_LEN(jmp_mem16_di8, true, HVM_TASK_JMP, 4);
	CHECK_LEN(jmp_mem16_disp16, true, HVM_TASK_JMP, 5);
	CHECK_LEN(call_mem16_bxsi, true, HVM_TASK_CALL, 5);
}

TEST(decode_task_16bit_code)
{
	static const u8 jmp_ptr16[] = { 0xea, 1, 2, 0x20, 0 };
	static const u8 jmp_ptr32[] = { 0x66, 0xea, 1, 2, 3, 4, 0x20, 0 };
	/* In 16-bit code ModRM 0x2e is [disp16]; with 0x67 it is [esi]. */
	static const u8 jmp_mem_disp16[] = { 0xff, 0x2e, 1, 2 };
	static const u8 jmp_mem_esi[] = { 0x67, 0xff, 0x2e };

	CHECK_LEN(jmp_ptr16, false, HVM_TASK_JMP, 5);
	CHECK_LEN(jmp_ptr32, false, HVM_TASK_JMP, 8);
	CHECK_LEN(jmp_mem_disp16, false, HVM_TASK_JMP, 4);
	CHECK_LEN(jmp_mem_esi, false, HVM_TASK_JMP, 3);
}

TEST(decode_task_iret_and_int)
{
	static const u8 iret[] = { 0xcf };
	static const u8 int_n[] = { 0xcd, 0x40 };
	static const u8 int3[] = { 0xcc };
	static const u8 into[] = { 0xce };
	static const u8 int1[] = { 0xf1 };

	CHECK_LEN(iret, true, HVM_TASK_IRET, 1);
	CHECK_EQ(last_vector, -1);
	CHECK_LEN(int_n, true, HVM_TASK_INT, 2);
	CHECK_EQ(last_vector, 0x40);
	CHECK_LEN(int3, true, HVM_TASK_INT, 1);
	CHECK_EQ(last_vector, 3);
	CHECK_LEN(into, true, HVM_TASK_INT, 1);
	CHECK_EQ(last_vector, 4);
	CHECK_LEN(int1, true, HVM_TASK_INT, 1);
	CHECK_EQ(last_vector, -1);
}

TEST(decode_task_refuses)
{
	static const u8 jmp_ptr32[] = { 0xea, 1, 2, 3, 4, 0x20, 0 };
	static const u8 jmp_near_mem[] = { 0xff, 0x25, 1, 2, 3, 4 }; /* /4 */
	static const u8 jmp_far_reg[] = { 0xff, 0xe8 }; /* /5, mod 3 */
	static const u8 inc_mem[] = { 0xff, 0x05, 1, 2, 3, 4 }; /* /0 */
	static const u8 iret[] = { 0xcf };
	static const u8 nop[] = { 0x90 };
	/* Ends where memory does: no ModRM (operands are only counted). */
	static const u8 cut[] = { 0xff };
	static const u8 prefixes[16] = { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
					 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
					 0x66, 0x66, 0x66, 0xcf };
	unsigned int len;

	CHECK_EQ(decode(jmp_ptr32, sizeof(jmp_ptr32), true, HVM_TASK_CALL,
			&len),
		 -EINVAL);
	CHECK_EQ(decode(jmp_near_mem, sizeof(jmp_near_mem), true, HVM_TASK_JMP,
			&len),
		 -EINVAL);
	CHECK_EQ(decode(jmp_far_reg, sizeof(jmp_far_reg), true, HVM_TASK_JMP,
			&len),
		 -EINVAL);
	CHECK_EQ(decode(inc_mem, sizeof(inc_mem), true, HVM_TASK_IRET, &len),
		 -EINVAL);
	CHECK_EQ(decode(iret, sizeof(iret), true, HVM_TASK_INT, &len), -EINVAL);
	CHECK_EQ(decode(nop, sizeof(nop), true, HVM_TASK_JMP, &len), -EINVAL);
	CHECK_EQ(decode(cut, sizeof(cut), true, HVM_TASK_JMP, &len), -EFAULT);
	CHECK_EQ(decode(prefixes, sizeof(prefixes), true, HVM_TASK_IRET, &len),
		 -EFAULT);
	CHECK_EQ(len, 0);
}
