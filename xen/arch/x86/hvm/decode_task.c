/*
 * The length of the instruction that started a task switch, for the RIP
 * the old task resumes at. Neither vendor's exit is trusted for it: SVM
 * gives none (the intercept has fault semantics and no next RIP), so both
 * decode the instruction at CS:RIP, which the CPU has just fetched there.
 * Only 16- and 32-bit code: a task switch does not exist in long mode.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/hvm.h>

#define MAX_INSN_LEN 15

struct fetch {
	struct vcpu *v;
	unsigned long at; /* the linear address of the first byte */
	unsigned int len;
};

static int next_byte(struct fetch *f, u8 *b)
{
	if (f->len == MAX_INSN_LEN ||
	    copy_from_guest_virt(f->v, b, (u32)(f->at + f->len), 1))
		return -EFAULT;
	f->len++;
	return 0;
}

/* Skip n bytes (an immediate or a displacement). */
static int skip(struct fetch *f, unsigned int n)
{
	if (f->len + n > MAX_INSN_LEN)
		return -EFAULT;
	f->len += n;
	return 0;
}

/*
 * A ModRM byte's memory operand (a far pointer: mod 3 is not one): the
 * SIB byte and the displacement for the address size.
 */
static int skip_memory_operand(struct fetch *f, u8 modrm, bool addr32)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7, disp;
	u8 sib;
	int rc;

	if (mod == 3)
		return -EINVAL;
	if (!addr32) {
		/* disp8, disp16, or disp16 alone at mod 0 rm 6 */
		disp = mod == 1 ? 1 : mod == 2 || rm == 6 ? 2 : 0;
		return skip(f, disp);
	}
	disp = mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 5) ? 4 : 0;
	if (rm == 4) {
		rc = next_byte(f, &sib);
		if (rc)
			return rc;
		/* Base 5 at mod 0: disp32 and no base. */
		if (mod == 0 && (sib & 7) == 5)
			disp = 4;
	}
	return skip(f, disp);
}

/* Whether an instruction of kind want may have started a switch from source */
static bool from(enum hvm_task_source source, enum hvm_task_source want)
{
	return source == want ||
	       (source == HVM_TASK_CALL_OR_INT &&
		(want == HVM_TASK_CALL || want == HVM_TASK_INT));
}

int hvm_decode_task_insn(struct vcpu *v, const struct hvm_segment *cs,
			 enum hvm_task_source source,
			 struct hvm_task_insn *insn)
{
	struct fetch f = { .v = v, .at = cs->base + (u32)hvm_of(v)->rip };
	bool code32 = cs->attr & HVM_SEG_ATTR_D, op32 = code32, addr32 = code32;
	int vector = -1;
	u8 b, modrm, imm = 0;
	int rc;

	for (;;) {
		rc = next_byte(&f, &b);
		if (rc)
			return rc;
		if (!hvm_is_legacy_prefix(b))
			break;
		if (b == 0x66)
			op32 = !code32;
		else if (b == 0x67)
			addr32 = !code32;
	}
	switch (b) {
	case 0xea: /* JMP ptr16:16/32 */
	case 0x9a: /* CALL ptr16:16/32 */
		if (!from(source, b == 0xea ? HVM_TASK_JMP : HVM_TASK_CALL))
			return -EINVAL;
		rc = skip(&f, op32 ? 6 : 4);
		break;
	case 0xff: /* JMP m16:16/32 is /5, CALL m16:16/32 /3 */
		if (!from(source, HVM_TASK_JMP) && !from(source, HVM_TASK_CALL))
			return -EINVAL;
		rc = next_byte(&f, &modrm);
		if (rc)
			return rc;
		if (((modrm >> 3) & 7) != (from(source, HVM_TASK_JMP) ? 5 : 3))
			return -EINVAL;
		rc = skip_memory_operand(&f, modrm, addr32);
		break;
	case 0xcf: /* IRET */
		rc = source == HVM_TASK_IRET ? 0 : -EINVAL;
		break;
	case 0xcd: /* INT n */
		rc = from(source, HVM_TASK_INT) ? next_byte(&f, &imm) : -EINVAL;
		vector = imm;
		break;
	case 0xcc: /* INT3 */
	case 0xce: /* INTO */
		vector = b == 0xcc ? 3 : 4;
		rc = from(source, HVM_TASK_INT) ? 0 : -EINVAL;
		break;
	case 0xf1: /* INT1 */
		rc = from(source, HVM_TASK_INT) ? 0 : -EINVAL;
		break;
	default:
		rc = -EINVAL;
		break;
	}
	if (!rc)
		*insn = (struct hvm_task_insn){ .len = f.len,
						.vector = vector };
	return rc;
}
