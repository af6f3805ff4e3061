/*
 * The MMIO emulator (hvm/mmio_decode.c, hvm/emulate_mmio.c) and the
 * dispatch around it (hvm/mmio.c): each test puts an instruction at RIP
 * in code[] (guest-virtual addresses are offsets into it, fake_guest.h),
 * the fault's gpa in a device that records what it is asked, and checks
 * the registers, RFLAGS, RIP and the device's reads and writes. The
 * arithmetic flags are checked against the host CPU running the same
 * operation. The sources are included here: this runner's other tests do
 * not link hvm/exits.c, and hvm_gpr() is this file's.
 */
#include "../../xen/arch/x86/hvm/emulate_mmio.c"
#include "../../xen/arch/x86/hvm/mmio.c"
#include "../../xen/arch/x86/hvm/mmio_decode.c"

#include <stdio.h>

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define DEV_GPA 0xfee00020UL
#define CODE_AT 0x100UL /* RIP, and where the instruction is in code[] */

enum mode { M64, M32, M16 };

static u8 code[0x1000];
static struct hvm_vcpu h;
static struct domain dom;
static struct vcpu vc;
static struct hvm_fault flt;

/* What the device saw, and what its reads return. */
static struct dev_op {
	bool write;
	paddr_t gpa;
	unsigned int size;
	u64 val;
} ops[4];
static unsigned int nr_ops;
static u64 dev_value;
static bool dev_refuses;

/* The register table of hvm/exits.c, which this runner does not link. */
u64 *hvm_gpr(struct hvm_vcpu *hv, unsigned int n)
{
	struct hvm_regs *r = &hv->regs;
	u64 *const by_number[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &hv->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10,  &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return by_number[n & 15];
}

static int dev_read(struct vcpu *v, paddr_t gpa, unsigned int size, u64 *val)
{
	ops[nr_ops++ & 3] = (struct dev_op){ false, gpa, size, 0 };
	*val = dev_value;
	return dev_refuses ? -1 : 0;
}

static int dev_write(struct vcpu *v, paddr_t gpa, unsigned int size, u64 val)
{
	ops[nr_ops++ & 3] = (struct dev_op){ true, gpa, size, val };
	return dev_refuses ? -1 : 0;
}

/* Everything below 2^52: only the range test uses a small device. */
static struct hvm_mmio_ops dev = {
	.base = 0,
	.size = 1UL << 52,
	.read = dev_read,
	.write = dev_write,
};

/* A vCPU in mode m with RIP at CODE_AT; registers and RFLAGS cleared. */
static void setup(enum mode m)
{
	memset(code, 0x90, sizeof(code));
	fake_guest_mem(code, sizeof(code), 0, 0);
	h = (struct hvm_vcpu){ .rip = CODE_AT, .rflags = 0x2 };
	h.long_mode = m == M64;
	if (m != M16)
		h.cr0 = X86_CR0_PE;
	vc = (struct vcpu){ .domain = &dom, .hvm = &h };
	dom = (struct domain){ .domain_id = 1 };
	flt = (struct hvm_fault){ .gpa = DEV_GPA, .access = P2M_R };
	flt.cs_d = m == M32;
	nr_ops = 0;
	dev_value = 0;
	dev_refuses = false;
}

/* Emulate bytes[0..len) at RIP with the fault at gpa. */
static int emulate(const void *bytes, size_t len, paddr_t gpa)
{
	memcpy(code + CODE_AT, bytes, len);
	flt.gpa = gpa;
	return hvm_emulate_mmio(&vc, &flt, &dev);
}

#define EMU(gpa, ...)                                   \
	({                                              \
		static const u8 b_[] = { __VA_ARGS__ }; \
		emulate(b_, sizeof(b_), gpa);           \
	})

/* One device access was made, as described, and RIP moved by len. */
static void check_one(bool write, unsigned int size, u64 val, unsigned int len)
{
	CHECK_EQ(nr_ops, 1);
	CHECK_EQ(ops[0].write, write);
	CHECK_EQ(ops[0].size, size);
	CHECK_EQ(ops[0].gpa, flt.gpa);
	if (write)
		CHECK_EQ(ops[0].val, val);
	CHECK_EQ(h.rip, CODE_AT + len);
	CHECK(!dom.is_shutting_down);
}

TEST(mmio_mov_loads_extend_as_the_cpu)
{
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x8877665544332211UL;
	/* mov eax, [rbx]: 4 bytes, the upper half cleared. */
	h.regs.rax = ~0UL;
	CHECK_EQ(EMU(DEV_GPA, 0x8b, 0x03), 0);
	check_one(false, 4, 0, 2);
	CHECK_EQ(h.regs.rax, 0x44332211UL);
	/* mov rax, [rbx] (REX.W): all 8. */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x8877665544332211UL;
	CHECK_EQ(EMU(DEV_GPA, 0x48, 0x8b, 0x03), 0);
	check_one(false, 8, 0, 3);
	CHECK_EQ(h.regs.rax, 0x8877665544332211UL);
	/* mov ax, [rbx] (66): the rest of RAX kept. */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.rax = 0xaaaaaaaaaaaaaaaaUL;
	dev_value = 0x1234;
	CHECK_EQ(EMU(DEV_GPA, 0x66, 0x8b, 0x03), 0);
	check_one(false, 2, 0, 3);
	CHECK_EQ(h.regs.rax, 0xaaaaaaaaaaaa1234UL);
	/* mov ah, [rbx] without REX is AH; with REX (40) it is SPL. */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.rax = 0x1111;
	h.rsp = 0x2222;
	dev_value = 0x5a;
	CHECK_EQ(EMU(DEV_GPA, 0x8a, 0x23), 0);
	CHECK_EQ(h.regs.rax, 0x5a11);
	CHECK_EQ(h.rsp, 0x2222);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.rax = 0x1111;
	h.rsp = 0x2222;
	dev_value = 0x5a;
	CHECK_EQ(EMU(DEV_GPA, 0x40, 0x8a, 0x23), 0);
	CHECK_EQ(h.regs.rax, 0x1111);
	CHECK_EQ(h.rsp, 0x225a);
	CHECK_EQ(h.rip, CODE_AT + 3);
	/* mov r8d, [rbx] (REX.R). */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.r8 = ~0UL;
	dev_value = 0xfee1;
	CHECK_EQ(EMU(DEV_GPA, 0x44, 0x8b, 0x03), 0);
	CHECK_EQ(h.regs.r8, 0xfee1);
	/* Outside 64-bit mode a 32-bit write keeps the upper half. */
	setup(M32);
	h.regs.rbx = DEV_GPA;
	h.regs.rcx = 0xdead000000000000UL;
	dev_value = 0x1234;
	CHECK_EQ(EMU(DEV_GPA, 0x8b, 0x0b), 0);
	CHECK_EQ(h.regs.rcx, 0xdead000000001234UL);
}

TEST(mmio_mov_stores_and_immediates)
{
	setup(M64);
	h.regs.rdx = DEV_GPA;
	h.regs.rax = 0x1122334455667788UL;
	/* mov [rdx], eax */
	CHECK_EQ(EMU(DEV_GPA, 0x89, 0x02), 0);
	check_one(true, 4, 0x55667788, 2);
	/* mov [rdx], al ; mov [rdx], ah */
	setup(M64);
	h.regs.rdx = DEV_GPA;
	h.regs.rax = 0x1234;
	CHECK_EQ(EMU(DEV_GPA, 0x88, 0x22), 0);
	check_one(true, 1, 0x12, 2);
	/* mov dword [rdx], 0x80000000 */
	setup(M64);
	h.regs.rdx = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0xc7, 0x02, 0x00, 0x00, 0x00, 0x80), 0);
	check_one(true, 4, 0x80000000UL, 6);
	/* mov qword [rdx], -2: imm32 sign-extended */
	setup(M64);
	h.regs.rdx = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0x48, 0xc7, 0x02, 0xfe, 0xff, 0xff, 0xff), 0);
	check_one(true, 8, 0xfffffffffffffffeUL, 7);
	/* mov word [rdx], 0xbeef (66: imm16) */
	setup(M64);
	h.regs.rdx = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0x66, 0xc7, 0x02, 0xef, 0xbe), 0);
	check_one(true, 2, 0xbeef, 5);
	/* mov byte [rdx+0x10], 0x7f (disp8 then imm8) */
	setup(M64);
	h.regs.rdx = DEV_GPA - 0x10;
	CHECK_EQ(EMU(DEV_GPA, 0xc6, 0x42, 0x10, 0x7f), 0);
	check_one(true, 1, 0x7f, 4);
	/* mov [rdx], r15 (REX.WR) */
	setup(M64);
	h.regs.rdx = DEV_GPA;
	h.regs.r15 = 0x0102030405060708UL;
	CHECK_EQ(EMU(DEV_GPA, 0x4c, 0x89, 0x3a), 0);
	check_one(true, 8, 0x0102030405060708UL, 3);
}

TEST(mmio_moffs_by_address_size)
{
	/* 64-bit mode: an 8-byte offset; with 67, a 4-byte one. */
	setup(M64);
	dev_value = 0xcafe;
	CHECK_EQ(EMU(DEV_GPA, 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0, 0, 0, 0), 0);
	check_one(false, 4, 0, 9);
	CHECK_EQ(h.regs.rax, 0xcafe);
	setup(M64);
	h.regs.rax = 0x99;
	CHECK_EQ(EMU(DEV_GPA, 0x67, 0xa2, 0x20, 0x00, 0xe0, 0xfe), 0);
	check_one(true, 1, 0x99, 6);
	/* 32-bit code: 4 bytes; 16-bit operand with 66. */
	setup(M32);
	h.regs.rax = 0xabcd;
	CHECK_EQ(EMU(DEV_GPA, 0x66, 0xa3, 0x20, 0x00, 0xe0, 0xfe), 0);
	check_one(true, 2, 0xabcd, 6);
	/* An offset that is not where the fault was: refused. */
	setup(M32);
	CHECK_EQ(EMU(DEV_GPA, 0xa1, 0x24, 0x00, 0xe0, 0xfe), -1);
	CHECK(strstr(dom.crash_reason, "crosses a page boundary"));
}

TEST(mmio_sib_displacements_and_rip_relative)
{
	/* mov eax, [rbx + rcx*4 + 0x10] */
	setup(M64);
	h.regs.rbx = DEV_GPA - 0x10 - 0x40;
	h.regs.rcx = 0x10;
	CHECK_EQ(EMU(DEV_GPA, 0x8b, 0x44, 0x8b, 0x10), 0);
	check_one(false, 4, 0, 4);
	/* mov eax, [rsp + 0x100] (SIB without index, disp32) */
	setup(M64);
	h.rsp = DEV_GPA - 0x100;
	CHECK_EQ(EMU(DEV_GPA, 0x8b, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00), 0);
	check_one(false, 4, 0, 7);
	/* mov eax, [rbx + r9*8] (REX.X) */
	setup(M64);
	h.regs.rbx = DEV_GPA - 0x18;
	h.regs.r9 = 3;
	CHECK_EQ(EMU(DEV_GPA, 0x42, 0x8b, 0x04, 0xcb), 0);
	check_one(false, 4, 0, 4);
	/* mov eax, [r13 + 0] (REX.B, mod 1: r13 needs a displacement) */
	setup(M64);
	h.regs.r13 = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0x41, 0x8b, 0x45, 0x00), 0);
	check_one(false, 4, 0, 4);
	/* mov eax, [disp32] through SIB (no base, no index) */
	setup(M64);
	CHECK_EQ(EMU(DEV_GPA, 0x8b, 0x04, 0x25, 0x20, 0x00, 0xe0, 0xfe), 0);
	check_one(false, 4, 0, 7);
	/* mov [rip + disp32], imm32: next RIP (0x100 + 10) + disp */
	setup(M64);
	CHECK_EQ(EMU(0x2020, 0xc7, 0x05, 0x16, 0x1f, 0x00, 0x00, 0x01, 0x00,
		     0x00, 0x00),
		 0);
	check_one(true, 4, 1, 10);
	/* The same displacement off by 4: not where the fault was. */
	setup(M64);
	CHECK_EQ(EMU(0x2020, 0xc7, 0x05, 0x1a, 0x1f, 0x00, 0x00, 0x01, 0x00,
		     0x00, 0x00),
		 -1);
	CHECK_EQ(nr_ops, 0);
	CHECK_EQ(h.rip, CODE_AT);
	/* 32-bit code: mod 0 rm 5 is an absolute disp32. */
	setup(M32);
	CHECK_EQ(EMU(DEV_GPA, 0x8b, 0x05, 0x20, 0x00, 0xe0, 0xfe), 0);
	check_one(false, 4, 0, 6);
}

TEST(mmio_segments)
{
	/* 32-bit code: FS's base counts; a DS base too (no override). */
	setup(M32);
	flt.seg_base[HVM_SEG_FS] = 0x1000;
	flt.seg_base[HVM_SEG_DS] = 0x8;
	h.regs.rbx = 0x20;
	CHECK_EQ(EMU(0x3020, 0x64, 0x8b, 0x03), 0);
	check_one(false, 4, 0, 3);
	setup(M32);
	flt.seg_base[HVM_SEG_DS] = 0x8;
	h.regs.rbx = 0x20;
	CHECK_EQ(EMU(0x3028, 0x8b, 0x03), 0);
	check_one(false, 4, 0, 2);
	/* [ebp+4] is in SS. */
	setup(M32);
	flt.seg_base[HVM_SEG_SS] = 0x40;
	h.regs.rbp = 0x20;
	CHECK_EQ(EMU(0x3064, 0x8b, 0x45, 0x04), 0);
	check_one(false, 4, 0, 3);
	/* 64-bit mode ignores DS's base (and an ES override), not GS's. */
	setup(M64);
	flt.seg_base[HVM_SEG_DS] = 0x8;
	flt.seg_base[HVM_SEG_ES] = 0x8;
	h.regs.rbx = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0x26, 0x8b, 0x03), 0);
	check_one(false, 4, 0, 3);
	setup(M64);
	flt.seg_base[HVM_SEG_GS] = 0x10;
	h.regs.rbx = DEV_GPA - 0x10;
	CHECK_EQ(EMU(DEV_GPA, 0x65, 0x8b, 0x03), 0);
	check_one(false, 4, 0, 3);
	/* The code is fetched at CS base + RIP outside 64-bit mode. */
	setup(M32);
	flt.seg_base[HVM_SEG_CS] = 0x80;
	h.rip = CODE_AT - 0x80;
	h.regs.rbx = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0x8b, 0x03), 0);
	CHECK_EQ(h.rip, CODE_AT - 0x80 + 2);
}

TEST(mmio_real_mode_16bit_addressing)
{
	/* mov ax, [bx+0x20]: 16-bit operand and address, DS base. */
	setup(M16);
	flt.seg_base[HVM_SEG_DS] = 0xb8000;
	h.regs.rbx = 0x100;
	h.regs.rax = 0xffffffffffff0000UL;
	dev_value = 0x4142;
	CHECK_EQ(EMU(0xb8120, 0x8b, 0x47, 0x20), 0);
	check_one(false, 2, 0, 3);
	CHECK_EQ(h.regs.rax, 0xffffffffffff4142UL);
	/* [bp+si+4] is in SS; [bx+di] wraps at 64 KiB. */
	setup(M16);
	flt.seg_base[HVM_SEG_SS] = 0x20000;
	h.regs.rbp = 0x10;
	h.regs.rsi = 0x20;
	CHECK_EQ(EMU(0x20034, 0x8b, 0x42, 0x04), 0);
	check_one(false, 2, 0, 3);
	setup(M16);
	h.regs.rbx = 0xfff0;
	h.regs.rdi = 0x20;
	CHECK_EQ(EMU(0x10, 0x8b, 0x01), 0);
	check_one(false, 2, 0, 2);
	/* mov [0x1234], al: mod 0 rm 6 is disp16 alone. */
	setup(M16);
	h.regs.rax = 0x77;
	CHECK_EQ(EMU(0x1234, 0x88, 0x06, 0x34, 0x12), 0);
	check_one(true, 1, 0x77, 4);
	/* 66: a 32-bit operand; 67: 32-bit addressing ([ebx]). */
	setup(M16);
	h.regs.rbx = 0x100;
	dev_value = 0x12345678;
	CHECK_EQ(EMU(0x100, 0x66, 0x8b, 0x07), 0);
	check_one(false, 4, 0, 3);
	CHECK_EQ(h.regs.rax, 0x12345678);
	setup(M16);
	h.regs.rbx = 0x10100;
	CHECK_EQ(EMU(0x10100, 0x67, 0x8b, 0x03), 0);
	check_one(false, 2, 0, 3);
	/* IP wraps at 64 KiB in 16-bit code (CS base + IP is CODE_AT). */
	setup(M16);
	flt.seg_base[HVM_SEG_CS] = CODE_AT - 0xfffe;
	h.rip = 0xfffe;
	h.regs.rbx = 0x100;
	CHECK_EQ(EMU(0x100, 0x8b, 0x07), 0);
	CHECK_EQ(h.rip, 0);
}

TEST(mmio_movzx_movsx_movsxd)
{
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.rax = ~0UL;
	dev_value = 0x80;
	CHECK_EQ(EMU(DEV_GPA, 0x0f, 0xb6, 0x03), 0); /* movzx eax, byte */
	check_one(false, 1, 0, 3);
	CHECK_EQ(h.regs.rax, 0x80);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x80;
	CHECK_EQ(EMU(DEV_GPA, 0x0f, 0xbe, 0x03), 0); /* movsx eax, byte */
	CHECK_EQ(h.regs.rax, 0xffffff80UL);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x8000;
	CHECK_EQ(EMU(DEV_GPA, 0x48, 0x0f, 0xbf, 0x03), 0); /* movsx rax, word */
	check_one(false, 2, 0, 4);
	CHECK_EQ(h.regs.rax, 0xffffffffffff8000UL);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x8000;
	CHECK_EQ(EMU(DEV_GPA, 0x0f, 0xb7, 0x0b), 0); /* movzx ecx, word */
	CHECK_EQ(h.regs.rcx, 0x8000);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.rax = 0x1111222233334444UL;
	dev_value = 0xff;
	CHECK_EQ(EMU(DEV_GPA, 0x66, 0x0f, 0xb6, 0x03), 0); /* movzx ax, byte */
	CHECK_EQ(h.regs.rax, 0x11112222333300ffUL);
	/* movsxd rax, dword; without REX.W a plain 32-bit load. */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x80000000UL;
	CHECK_EQ(EMU(DEV_GPA, 0x48, 0x63, 0x03), 0);
	check_one(false, 4, 0, 3);
	CHECK_EQ(h.regs.rax, 0xffffffff80000000UL);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.rax = ~0UL;
	dev_value = 0x80000000UL;
	CHECK_EQ(EMU(DEV_GPA, 0x63, 0x03), 0);
	CHECK_EQ(h.regs.rax, 0x80000000UL);
	/* 63 is ARPL outside 64-bit mode: refused. */
	setup(M32);
	h.regs.rbx = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0x63, 0x03), -1);
}

/* The host CPU's answer to a op b at size bytes, with CF in. */
static u64 host_alu(unsigned int op, unsigned int size, u64 a, u64 b, bool cf,
		    u64 *flags)
{
	u64 fi = 0x2 | (cf ? FLAG_CF : 0), fo;

#define HOST_OP(insn, T)                                                      \
	do {                                                                  \
		T x_ = (T)a, y_ = (T)b;                                       \
		asm volatile("sub $128, %%rsp\n\tpush %[fi]\n\tpopf\n\t" insn \
			     " %[y], %[x]\n\tpushf\n\tpop %[fo]\n\t"          \
			     "add $128, %%rsp"                                \
			     : [x] "+q"(x_), [fo] "=&r"(fo)                   \
			     : [y] "q"(y_), [fi] "r"(fi)                      \
			     : "cc", "memory");                               \
		a = x_;                                                       \
	} while (0)
#define HOST_SIZES(insn)                    \
	do {                                \
		if (size == 1)              \
			HOST_OP(insn, u8);  \
		else if (size == 2)         \
			HOST_OP(insn, u16); \
		else if (size == 4)         \
			HOST_OP(insn, u32); \
		else                        \
			HOST_OP(insn, u64); \
	} while (0)
	switch (op) {
	case 0:
		HOST_SIZES("add");
		break;
	case 1:
		HOST_SIZES("or");
		break;
	case 2:
		HOST_SIZES("adc");
		break;
	case 3:
		HOST_SIZES("sbb");
		break;
	case 4:
		HOST_SIZES("and");
		break;
	case 5:
		HOST_SIZES("sub");
		break;
	case 6:
		HOST_SIZES("xor");
		break;
	default:
		HOST_SIZES("cmp");
		break;
	}
#undef HOST_SIZES
#undef HOST_OP
	*flags = fo;
	return a;
}

/* Values near the edges, where carries and overflows happen. */
static u64 edge_value(u64 *seed, unsigned int size)
{
	static const u64 edges[] = { 0,
				     1,
				     0x7f,
				     0x80,
				     0xff,
				     0x7fff,
				     0x8000,
				     0xffff,
				     0x7fffffff,
				     0x80000000UL,
				     0xffffffffUL,
				     0x7fffffffffffffffUL,
				     0x8000000000000000UL,
				     ~0UL,
				     0x0f,
				     0x10 };

	return rnd_below(seed, 3) ? edges[rnd_below(seed, 16)] : rnd(seed);
}

/*
 * op [rbx], reg (00-3F, odd: full size) and op reg, [rbx] for every ALU
 * operation at 1, 2, 4 and 8 bytes: the result written and the flags.
 */
TEST(mmio_alu_results_and_flags_match_the_cpu)
{
	static const u8 size_prefix[9][2] = { [2] = { 0x66 }, [8] = { 0x48 } };
	u64 seed = test_seed();

	for (unsigned int i = 0; i < 4000; i++) {
		unsigned int op = rnd_below(&seed, 8),
			     to_reg = rnd_below(&seed, 2);
		unsigned int size = 1u << rnd_below(&seed, 4);
		u64 a = edge_value(&seed, size), b = edge_value(&seed, size);
		bool cf = rnd_below(&seed, 2);
		u64 mask = size == 8 ? ~0UL : (1UL << (size * 8)) - 1;
		u64 want_flags, want, got_flags;
		u8 insn[3];
		unsigned int n = 0;
		int rc;

		setup(M64);
		h.regs.rbx = DEV_GPA;
		h.regs.rcx = b;
		h.rflags = 0x2 | (cf ? FLAG_CF : 0);
		dev_value = a;
		if (size_prefix[size][0])
			insn[n++] = size_prefix[size][0];
		/* op [rbx], ecx / op ecx, [rbx] (ModRM 0x0b) */
		insn[n++] = op << 3 | (to_reg ? 2 : 0) | (size > 1);
		insn[n++] = 0x0b;
		rc = emulate(insn, n, DEV_GPA);
		if (rc)
			FAIL("op %u size %u: refused: %s", op, size,
			     dom.crash_reason);
		if (to_reg)
			want = host_alu(op, size, b, a, cf, &want_flags);
		else
			want = host_alu(op, size, a, b, cf, &want_flags);
		got_flags = h.rflags & FLAGS_ARITH;
		want_flags &= FLAGS_ARITH;
		/* AF is undefined after OR, AND and XOR. */
		if (op == 1 || op == 4 || op == 6) {
			got_flags &= ~FLAG_AF;
			want_flags &= ~FLAG_AF;
		}
		if (got_flags != want_flags)
			FAIL("op %u size %u to_reg %u a %#lx b %#lx cf %u: "
			     "flags %#lx, the CPU's %#lx",
			     op, size, to_reg, a, b, cf, got_flags, want_flags);
		if (op == 7) { /* CMP writes nothing */
			CHECK_EQ(nr_ops, 1);
			CHECK_EQ(h.regs.rcx, b);
		} else if (to_reg) {
			CHECK_EQ(nr_ops, 1);
			CHECK_EQ(h.regs.rcx & mask, want & mask);
		} else {
			CHECK_EQ(nr_ops, 2);
			CHECK(ops[1].write);
			CHECK_EQ(ops[1].val, want & mask);
		}
		CHECK_EQ(h.rip, CODE_AT + n);
	}
}

TEST(mmio_group1_immediates_test_and_unary)
{
	/* add dword [rbx], -1 (83: imm8 sign-extended) */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 1;
	CHECK_EQ(EMU(DEV_GPA, 0x83, 0x03, 0xff), 0);
	CHECK_EQ(nr_ops, 2);
	CHECK_EQ(ops[1].val, 0);
	CHECK_EQ(h.rflags & (FLAG_CF | FLAG_ZF), FLAG_CF | FLAG_ZF);
	CHECK_EQ(h.rip, CODE_AT + 3);
	/* lock or qword [rbx+8], 0x100 (81, REX.W: imm32) */
	setup(M64);
	h.regs.rbx = DEV_GPA - 8;
	dev_value = 0x8000000000000001UL;
	CHECK_EQ(EMU(DEV_GPA, 0xf0, 0x48, 0x81, 0x4b, 0x08, 0x00, 0x01, 0x00,
		     0x00),
		 0);
	CHECK_EQ(ops[1].size, 8);
	CHECK_EQ(ops[1].val, 0x8000000000000101UL);
	CHECK_EQ(h.rip, CODE_AT + 9);
	/* cmp byte [rbx], 0x10 (80 /7): flags only */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x10;
	CHECK_EQ(EMU(DEV_GPA, 0x80, 0x3b, 0x10), 0);
	CHECK_EQ(nr_ops, 1);
	CHECK(h.rflags & FLAG_ZF);
	/* test dword [rbx], 0x100 (F7 /0), test [rbx], eax (85) */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x100;
	CHECK_EQ(EMU(DEV_GPA, 0xf7, 0x03, 0x00, 0x01, 0x00, 0x00), 0);
	CHECK_EQ(nr_ops, 1);
	CHECK(!(h.rflags & FLAG_ZF));
	CHECK_EQ(h.rip, CODE_AT + 6);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.rax = 0x200;
	h.rflags |= FLAG_CF;
	dev_value = 0x100;
	CHECK_EQ(EMU(DEV_GPA, 0x85, 0x03), 0);
	CHECK_EQ(h.rflags & (FLAG_ZF | FLAG_CF), FLAG_ZF);
	/* test byte [rbx], 1 (F6 /0) */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0xfe;
	CHECK_EQ(EMU(DEV_GPA, 0xf6, 0x03, 0x01), 0);
	CHECK(h.rflags & FLAG_ZF);
	CHECK_EQ(h.rip, CODE_AT + 3);
	/* inc dword [rbx]: CF kept; dec byte [rbx] to 0: ZF */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.rflags |= FLAG_CF;
	dev_value = 0x7fffffff;
	CHECK_EQ(EMU(DEV_GPA, 0xff, 0x03), 0);
	CHECK_EQ(ops[1].val, 0x80000000UL);
	CHECK_EQ(h.rflags & FLAGS_ARITH,
		 FLAG_OF | FLAG_SF | FLAG_AF | FLAG_PF | FLAG_CF);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 1;
	CHECK_EQ(EMU(DEV_GPA, 0xfe, 0x0b), 0);
	CHECK_EQ(ops[1].val, 0);
	CHECK_EQ(h.rflags & (FLAG_ZF | FLAG_CF), FLAG_ZF);
	/* not word [rbx]: no flags; neg dword [rbx]: CF unless 0 */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x00ff;
	CHECK_EQ(EMU(DEV_GPA, 0x66, 0xf7, 0x13), 0);
	CHECK_EQ(ops[1].val, 0xff00);
	CHECK_EQ(h.rflags, 0x2);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 5;
	CHECK_EQ(EMU(DEV_GPA, 0xf7, 0x1b), 0);
	CHECK_EQ(ops[1].val, 0xfffffffbUL);
	CHECK(h.rflags & FLAG_CF);
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.rflags |= FLAG_CF;
	dev_value = 0;
	CHECK_EQ(EMU(DEV_GPA, 0xf7, 0x1b), 0);
	CHECK_EQ(h.rflags & (FLAG_CF | FLAG_ZF), FLAG_ZF);
}

TEST(mmio_xchg_and_bit_tests)
{
	/* xchg [rbx], eax: the register's value out, the device's in. */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	h.regs.rax = 0xffffffff00000001UL;
	dev_value = 0x42;
	CHECK_EQ(EMU(DEV_GPA, 0x87, 0x03), 0);
	CHECK_EQ(nr_ops, 2);
	CHECK(ops[1].write);
	CHECK_EQ(ops[1].val, 1);
	CHECK_EQ(h.regs.rax, 0x42);
	/* bt dword [rbx], 3 (0F BA /4): CF is the bit, nothing written. */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_value = 0x8;
	CHECK_EQ(EMU(DEV_GPA, 0x0f, 0xba, 0x23, 0x03), 0);
	CHECK_EQ(nr_ops, 1);
	CHECK(h.rflags & FLAG_CF);
	CHECK_EQ(h.rip, CODE_AT + 4);
	/* bts dword [rbx], 35: the immediate is taken modulo 32. */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0x0f, 0xba, 0x2b, 35), 0);
	CHECK_EQ(ops[1].val, 0x8);
	CHECK(!(h.rflags & FLAG_CF));
	/* btr [rbx], eax with eax 33: the next dword, bit 1. */
	setup(M64);
	h.regs.rbx = DEV_GPA - 4;
	h.regs.rax = 33;
	dev_value = 0x3;
	CHECK_EQ(EMU(DEV_GPA, 0x0f, 0xb3, 0x03), 0);
	CHECK_EQ(ops[1].val, 0x1);
	CHECK(h.rflags & FLAG_CF);
	/* btc [rbx], rax with rax -1: the qword before, bit 63. */
	setup(M64);
	h.regs.rbx = DEV_GPA + 8;
	h.regs.rax = ~0UL;
	dev_value = 0;
	CHECK_EQ(EMU(DEV_GPA, 0x48, 0x0f, 0xbb, 0x03), 0);
	CHECK_EQ(ops[1].val, 0x8000000000000000UL);
	CHECK(!(h.rflags & FLAG_CF));
}

/* Each is refused and named in the crash reason; nothing is accessed. */
static void check_refused(const char *bytes_text)
{
	CHECK(dom.is_shutting_down);
	CHECK_EQ(nr_ops, 0);
	CHECK_EQ(h.rip, CODE_AT);
	if (!strstr(dom.crash_reason, bytes_text))
		FAIL("crash reason \"%s\" does not name \"%s\"",
		     dom.crash_reason, bytes_text);
}

TEST(mmio_unknown_instructions_refused)
{
	setup(M64);
	h.regs.rbx = DEV_GPA;
	CHECK_EQ(EMU(DEV_GPA, 0xf7, 0x33), -1); /* div dword [rbx] */
	check_refused("not emulated (bytes f7 33)");
	setup(M64);
	CHECK_EQ(EMU(DEV_GPA, 0xff, 0x13), -1); /* call [rbx] */
	check_refused("(bytes ff 13)");
	setup(M64);
	CHECK_EQ(EMU(DEV_GPA, 0x0f, 0x10, 0x03), -1); /* movups */
	check_refused("(bytes 0f 10)");
	setup(M64);
	CHECK_EQ(EMU(DEV_GPA, 0xf3, 0xa5), -1); /* rep movsd */
	check_refused("(bytes f3 a5)");
	setup(M64);
	CHECK_EQ(EMU(DEV_GPA, 0x89, 0xd8), -1); /* mov eax, ebx: no memory */
	check_refused("(bytes 89 d8)");
	setup(M64);
	CHECK_EQ(EMU(DEV_GPA, 0xf0, 0x89, 0x03), -1); /* lock mov */
	check_refused("f0 89 03");
	setup(M64);
	CHECK_EQ(EMU(DEV_GPA, 0xc7, 0x0b, 0, 0, 0, 0), -1); /* C7 /1 */
	check_refused("c7 0b");
	/* Fifteen prefixes and an opcode: over 15 bytes. */
	setup(M64);
	CHECK_EQ(EMU(DEV_GPA, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		     0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x8b, 0x03),
		 -1);
	check_refused("over 15 bytes");
	/* An instruction that ends where the guest's memory does. */
	setup(M64);
	h.rip = sizeof(code) - 1;
	code[sizeof(code) - 1] = 0x8b;
	flt.gpa = DEV_GPA;
	CHECK_EQ(hvm_emulate_mmio(&vc, &flt, &dev), -1);
	CHECK(strstr(dom.crash_reason, "unreadable (bytes 8b)"));
}

TEST(mmio_instruction_at_the_end_of_a_page)
{
	/* Fetched up to the page end only: the next page is not needed. */
	static u8 page[0x1000];

	setup(M64);
	fake_guest_mem(page, sizeof(page), 0, 0);
	h.rip = sizeof(page) - 2;
	page[sizeof(page) - 2] = 0x8b;
	page[sizeof(page) - 1] = 0x03;
	h.regs.rbx = DEV_GPA;
	flt.gpa = DEV_GPA;
	CHECK_EQ(hvm_emulate_mmio(&vc, &flt, &dev), 0);
	CHECK_EQ(h.rip, sizeof(page));
}

TEST(mmio_accesses_across_a_page_or_the_range_refused)
{
	struct hvm_mmio_ops small = dev;

	/* An 8-byte read at 0xffc of a page. */
	setup(M64);
	h.regs.rbx = 0xfee00ffc;
	CHECK_EQ(EMU(0xfee00ffc, 0x48, 0x8b, 0x03), -1);
	CHECK(strstr(dom.crash_reason, "crosses a page boundary"));
	CHECK_EQ(nr_ops, 0);
	/* It began on the page before: the CPU faulted on the second. */
	setup(M64);
	h.regs.rbx = 0xfee00ffc;
	CHECK_EQ(EMU(0xfee01000, 0x48, 0x8b, 0x03), -1);
	CHECK(strstr(dom.crash_reason, "crosses a page boundary"));
	/* The last 2 bytes of a 16-byte device, read as 4. */
	setup(M64);
	small.base = 0xfec00000;
	small.size = 0x10;
	h.regs.rbx = 0xfec0000e;
	memcpy(code + CODE_AT, "\x8b\x03", 2);
	flt.gpa = 0xfec0000e;
	CHECK_EQ(hvm_emulate_mmio(&vc, &flt, &small), -1);
	CHECK(strstr(dom.crash_reason, "runs past the end"));
	CHECK_EQ(nr_ops, 0);
	/* A device refusing the access crashes the domain. */
	setup(M64);
	h.regs.rbx = DEV_GPA;
	dev_refuses = true;
	CHECK_EQ(EMU(DEV_GPA, 0x8b, 0x03), -1);
	CHECK(strstr(dom.crash_reason, "4-byte read at gpa fee00020 refused"));
	CHECK_EQ(h.rip, CODE_AT);
}

/* hvm/mmio.c: the table, and faults where nothing is. */
TEST(mmio_register_find_and_overlaps)
{
	static struct hvm_mmio_ops a = { 0xfee00000, 0x1000, dev_read,
					 dev_write };
	static struct hvm_mmio_ops b = { 0xfec00000, 0x20, dev_read,
					 dev_write };
	static struct hvm_mmio_ops c = { 0xfee00ff0, 0x100, dev_read,
					 dev_write };
	static struct hvm_mmio_ops empty = { 0x1000, 0, dev_read, dev_write };

	hvm_mmio_register(&a);
	hvm_mmio_register(&b);
	CHECK(hvm_mmio_find(0xfee00000) == &a);
	CHECK(hvm_mmio_find(0xfee00fff) == &a);
	CHECK(hvm_mmio_find(0xfee01000) == NULL);
	CHECK(hvm_mmio_find(0xfec0001f) == &b);
	CHECK(hvm_mmio_find(0xfec00020) == NULL);
	CHECK(hvm_mmio_find(0xfebfffff) == NULL);
	EXPECT_PANIC(hvm_mmio_register(&c));
	CHECK(strstr(harness_panic_message(), "overlaps fee00000+1000"));
	EXPECT_PANIC(hvm_mmio_register(&empty));
}

TEST(mmio_nothing_here_reads_ones_drops_writes_logs_once)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	static const u8 loads[4][4] = { { 0x8a, 0x03 },
					{ 0x66, 0x8b, 0x03 },
					{ 0x8b, 0x03 },
					{ 0x48, 0x8b, 0x03 } };
	static const unsigned int lens[] = { 2, 3, 2, 3 };

	setup(M64);
	for (unsigned int i = 0; i < 4; i++) {
		h.rip = CODE_AT;
		h.regs.rbx = 0x5000;
		h.regs.rax = 0;
		memcpy(code + CODE_AT, loads[i], lens[i]);
		flt.gpa = 0x5000;
		hvm_mmio_fault(&vc, &flt, NULL);
		CHECK_EQ(h.regs.rax,
			 sizes[i] == 8 ? ~0UL : (1UL << (sizes[i] * 8)) - 1);
		CHECK_EQ(h.rip, CODE_AT + lens[i]);
	}
	CHECK(harness_output_contains("d1: read to gpa 5000 where nothing "
				      "is, at RIP 100 (reads ~0, writes "
				      "dropped; logged once)"));
	/* A write: dropped (it reads back as all-ones), not logged again. */
	h.rip = CODE_AT;
	h.regs.rax = 0x1234;
	memcpy(code + CODE_AT, "\x89\x03", 2);
	flt.access = P2M_R | P2M_W;
	hvm_mmio_fault(&vc, &flt, NULL);
	CHECK_EQ(h.rip, CODE_AT + 2);
	CHECK(!harness_output_contains("d1: write"));
	CHECK_EQ(dom.nr_unbacked, 5);
	CHECK(!dom.is_shutting_down);
}

TEST(mmio_fetch_walk_and_event_delivery_crash)
{
	setup(M64);
	flt.access = P2M_R | P2M_X;
	flt.gpa = 0x5000;
	hvm_mmio_fault(&vc, &flt, NULL);
	CHECK(strstr(dom.crash_reason,
		     "instruction fetch from gpa 5000 where nothing is"));
	setup(M64);
	flt.in_guest_walk = true;
	hvm_mmio_fault(&vc, &flt, &dev);
	CHECK(strstr(dom.crash_reason, "its page tables reach gpa fee00020 "
				       "where an emulated device is"));
	setup(M64);
	flt.in_event_delivery = true;
	hvm_mmio_fault(&vc, &flt, NULL);
	CHECK(strstr(dom.crash_reason, "delivering an event"));
	CHECK_EQ(dom.nr_unbacked, 0);
	CHECK_EQ(nr_ops, 0);
}

/*
 * Random bytes, biased towards prefixes and the opcodes emulated, in
 * every mode with random registers and segment bases: each instruction is
 * emulated or refused with the domain crashed, never anything else (the
 * sanitizers watch every access). An emulated one moved RIP by 1 to 15
 * bytes and made at most two device accesses of 1, 2, 4 or 8 bytes at the
 * fault's gpa; a refused one changed no register.
 */
TEST(mmio_random_bytes_emulated_or_refused)
{
	static const u8 likely[] = { 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x64,
				     0x65, 0x48, 0x41, 0x4c, 0x0f, 0x8b, 0x89,
				     0x88, 0x8a, 0xc7, 0xc6, 0xa1, 0xa3, 0x81,
				     0x83, 0x80, 0xf7, 0xf6, 0xff, 0xfe, 0x87,
				     0x86, 0x85, 0x63, 0xb6, 0xbf, 0xba, 0xab,
				     0x01, 0x2b, 0x39, 0x04, 0x44, 0x84, 0x05 };
	u64 seed = test_seed();
	unsigned int emulated = 0;

	for (unsigned int i = 0; i < 200000; i++) {
		enum mode m = rnd_below(&seed, 3);
		u8 bytes[20];
		struct hvm_vcpu before;
		int rc;

		setup(m);
		for (unsigned int j = 0; j < sizeof(bytes); j++)
			bytes[j] =
				rnd_below(&seed, 2) ?
					likely[rnd_below(&seed, sizeof(likely))] :
					(u8)rnd(&seed);
		for (unsigned int r = 0; r < 16; r++)
			*hvm_gpr(&h, r) = rnd_below(&seed, 2) ?
						  rnd(&seed) :
						  rnd_below(&seed, 64);
		for (unsigned int s = 0; s < HVM_NR_SEGS; s++)
			flt.seg_base[s] = rnd_below(&seed, 2) ? 0 : rnd(&seed);
		h.rflags = rnd(&seed) & 0x8d5;
		dev_value = rnd(&seed);
		before = h;
		rc = emulate(bytes, sizeof(bytes), DEV_GPA);
		/* Again at the operand's own page offset, as a CPU would. */
		if (rc && strstr(dom.crash_reason, "crosses a page")) {
			unsigned long linear;
			const char *at = strstr(dom.crash_reason, "(linear ");

			CHECK(at && sscanf(at, "(linear %lx)", &linear) == 1);
			u64 value = dev_value;
			struct hvm_fault fault = flt;

			setup(m);
			h = before;
			flt = fault;
			dev_value = value;
			rc = emulate(bytes, sizeof(bytes),
				     (DEV_GPA & ~0xfffUL) | (linear & 0xfff));
		}
		if (rc) {
			CHECK_EQ(rc, -1);
			CHECK(dom.is_shutting_down);
			CHECK(!memcmp(&h, &before, sizeof(h)) ||
			      nr_ops); /* a refusing device after a read */
			continue;
		}
		emulated++;
		CHECK(!dom.is_shutting_down);
		CHECK(nr_ops >= 1 && nr_ops <= 2);
		for (unsigned int k = 0; k < nr_ops; k++) {
			CHECK(ops[k].size == 1 || ops[k].size == 2 ||
			      ops[k].size == 4 || ops[k].size == 8);
			CHECK_EQ(ops[k].gpa, flt.gpa);
			CHECK((flt.gpa & 0xfff) + ops[k].size <= 0x1000);
		}
		CHECK((u16)(h.rip - before.rip) >= 1 &&
		      (u16)(h.rip - before.rip) <= 15);
	}
	/* Some must get through: the check is not only of refusals. */
	printf("%u of 200000 emulated\n", emulated);
	CHECK(emulated > 20000);
}
