/*
 * soft_int: software interrupts in 64-bit mode, as the CPU delivers them.
 * Under QEMU's SVM the hypervisor intercepts them to check that memory
 * holds one (its INT3 recheck, hvm/soft_int.c) and delivers them itself;
 * under Bochs the CPU does. Either way each must arrive once, with the
 * return address just past the instruction and the registers as they
 * were:
 *
 *   - INT3 (CC), INT $3 (CD 03) and INT3 behind a REX and an operand-size
 *     prefix (48 CC, 66 CC) trap with vector 3 at the next instruction
 *     (an exception fixup that matches only that address);
 *   - INT $0x80 and INT $0xF0 run their handlers once each and return
 *     past themselves with RBX and R12 kept;
 *   - `rounds=N` (default 2000) INT3s in a loop: N traps, no more.
 *
 * FAILURE names the instruction.
 */
#include <stdint.h>

#include "arch.h"
#include "runtime.h"
#include "xtf.h"

static volatile unsigned int int80_runs, intf0_runs;

static void int80_handler(void)
{
	int80_runs++;
}

static void intf0_handler(void)
{
	intf0_runs++;
}

/*
 * The instruction `insn` (bytes, as an .byte list) must trap with vector
 * 3 at the address right after it: the fixup matches only that address.
 * Returns the vector (EAX) the fixup saw.
 */
#define TRAP_AFTER(insn)                                  \
	({                                                \
		unsigned int vector_;                     \
		asm volatile("mov $0xffff, %%eax\n\t"     \
			     ".byte " insn "\n"           \
			     "1:\n\t"                     \
			     "mov $0xeeee, %%eax\n"       \
			     "2:\n\t" ASM_EXTABLE(1b, 2b) \
			     : "=a"(vector_)              \
			     :                            \
			     : "memory");                 \
		vector_;                                  \
	})

static void check_traps(void)
{
	check(TRAP_AFTER("0xcc") == 3, "INT3 (cc) did not trap at the next "
				       "instruction");
	check(TRAP_AFTER("0xcd, 0x03") == 3, "INT $3 (cd 03) did not trap "
					     "at the next instruction");
	check(TRAP_AFTER("0x48, 0xcc") == 3, "REX INT3 (48 cc) did not trap "
					     "at the next instruction");
	check(TRAP_AFTER("0x66, 0xcc") == 3, "66 INT3 (66 cc) did not trap "
					     "at the next instruction");
}

static void check_int_n(void)
{
	uint64_t rbx = 0x1122334455667788UL, r12 = 0x8877665544332211UL;
	register uint64_t r12_reg asm("r12") = r12;
	uint64_t rbx_out;

	xtf_set_irq_handler(0x80, int80_handler);
	xtf_set_irq_handler(0xf0, intf0_handler);
	asm volatile("int $0x80\n\t"
		     "int $0xf0"
		     : "=b"(rbx_out), "+r"(r12_reg)
		     : "0"(rbx)
		     : "memory");
	check(int80_runs == 1, "INT $0x80 ran its handler %u times",
	      int80_runs);
	check(intf0_runs == 1, "INT $0xf0 ran its handler %u times",
	      intf0_runs);
	check(rbx_out == rbx && r12_reg == r12,
	      "INT n changed RBX (%lx) or R12 (%lx)", (unsigned long)rbx_out,
	      (unsigned long)r12_reg);
}

static void check_many(unsigned long rounds)
{
	unsigned long traps = 0, i;

	for (i = 0; i < rounds; i++)
		traps += TRAP_AFTER("0xcc") == 3;
	check(traps == rounds,
	      "%lu INT3s gave %lu traps at the next "
	      "instruction",
	      rounds, traps);
}

void test_main(unsigned int vcpu)
{
	unsigned long rounds = cmdline_uint("rounds", 2000);

	if (vcpu)
		return;
	check_traps();
	check_int_n();
	check_many(rounds);
	printf("soft_int: INT3, INT n and prefixed INT3 delivered once each, "
	       "%lu INT3s in a loop\n",
	       rounds);
	xtf_success();
}
