#include "runtime.h"
#include "xtf.h"

#define NR_VECTORS 256
#define NR_EXCEPTIONS 32

/* What the stubs in entry.S push, lowest address first. */
struct trap_frame {
	uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax; /* pushal */
	uint32_t vector, error_code; /* error_code is 0 if the CPU has none */
	uint32_t eip, cs, eflags; /* same privilege: no ss:esp */
};

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t zero;
	uint8_t type; /* present, DPL 0, 32-bit interrupt gate */
	uint16_t offset_hi;
};

extern const uint32_t trap_stubs[NR_VECTORS];

/* ASM_EXTABLE (arch.h) entries, gathered by the linker script. */
struct extable_entry {
	uint32_t from, to;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

/* Every vector has a gate: interrupt gates, so a handler runs with IF=0. */
static struct idt_gate idt[NR_VECTORS];

/* Indexed by vector; only vectors from NR_EXCEPTIONS up are ever set. */
static void (*irq_handlers[NR_VECTORS])(void);

static const char *const names[NR_EXCEPTIONS] = {
	"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO", "TS",
	"NP", "SS", "GP",  "PF", "15", "MF", "AC", "MC", "XM", "VE",  "CP",
	"22", "23", "24",  "25", "26", "27", "HV", "VC", "SX", "31",
};

void do_trap(struct trap_frame *f);

void traps_init(void)
{
	for (unsigned int i = 0; i < NR_VECTORS; i++)
		idt[i] = (struct idt_gate){
			.offset_lo = trap_stubs[i] & 0xffff,
			.selector = XTF_CS,
			.type = 0x8e,
			.offset_hi = trap_stubs[i] >> 16,
		};
}

void traps_load(void)
{
	struct desc_ptr dp = { sizeof(idt) - 1, (uintptr_t)idt };

	lidt(&dp);
}

void xtf_set_irq_handler(uint8_t vector, void (*fn)(void))
{
	if (vector < NR_EXCEPTIONS)
		xtf_error("xtf_set_irq_handler: vector %u is an exception's",
			  vector);
	__atomic_store_n(&irq_handlers[vector], fn, __ATOMIC_RELEASE);
}

static noreturn void unexpected(struct trap_frame *f)
{
	bool exception = f->vector < NR_EXCEPTIONS;

	/* The verdict's own shutdown may be what faulted: no hypercall now. */
	if (xtf_verdict_given()) {
		printf("%s %u (#%s) at EIP 0x%08x after the verdict\n",
		       exception ? "exception" : "interrupt", f->vector,
		       exception ? names[f->vector] : "INTR", f->eip);
		for (;;)
			cli_hlt();
	}
	printf("eax %08x ebx %08x ecx %08x edx %08x esi %08x edi %08x\n",
	       f->eax, f->ebx, f->ecx, f->edx, f->esi, f->edi);
	printf("ebp %08x esp %08x eflags %08x cs %04x\n", f->ebp,
	       (uint32_t)(uintptr_t)(&f->eflags + 1), f->eflags, f->cs);
	if (exception)
		xtf_error("exception %u (#%s) at EIP 0x%08x error code 0x%x",
			  f->vector, names[f->vector], f->eip, f->error_code);
	xtf_error(
		"interrupt vector %u (0x%02x) without a handler at EIP 0x%08x",
		f->vector, f->vector, f->eip);
}

/* An exception at a fixed-up instruction: resume at its fixup. */
static bool fixup(struct trap_frame *f)
{
	for (const struct extable_entry *e = __ex_table_start;
	     e < __ex_table_end; e++)
		if (e->from == f->eip) {
			f->eip = e->to;
			f->eax = f->vector;
			return true;
		}
	return false;
}

/* From trap_common with interrupts off; returning means iret. */
void do_trap(struct trap_frame *f)
{
	void (*fn)(void) = f->vector < NR_EXCEPTIONS ?
				   NULL :
				   __atomic_load_n(&irq_handlers[f->vector],
						   __ATOMIC_ACQUIRE);

	if (f->vector < NR_EXCEPTIONS && fixup(f))
		return;
	if (!fn)
		unexpected(f);
	fn();
}
