#include "runtime.h"
#include "xtf.h"

#define NR_VECTORS 256
#define NR_EXCEPTIONS 32

/*
 * What the stubs in entry.S (lib64/entry.S for 64-bit guests) push,
 * lowest address first. error_code is 0 if the CPU pushes none. Same
 * privilege: a 32-bit frame has no ss:esp.
 */
#ifdef __x86_64__
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t ip, cs, flags, rsp, ss;
};
#define FRAME_AX rax /* a fixup's vector goes here */

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type; /* present, DPL 0, 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};
#else
struct trap_frame {
	uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax; /* pushal */
	uint32_t vector, error_code;
	uint32_t ip, cs, flags;
};
#define FRAME_AX eax

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t zero;
	uint8_t type; /* present, DPL 0, 32-bit interrupt gate */
	uint16_t offset_hi;
};
#endif

extern const uintptr_t trap_stubs[NR_VECTORS];

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
#ifdef __x86_64__
			.offset_mid = trap_stubs[i] >> 16,
			.offset_hi = trap_stubs[i] >> 32,
#else
			.offset_hi = trap_stubs[i] >> 16,
#endif
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
	unsigned int vector = f->vector;
	unsigned long ip = f->ip;
	bool exception = vector < NR_EXCEPTIONS;

	/* The verdict's own shutdown may be what faulted: no hypercall now. */
	if (xtf_verdict_given()) {
		printf("%s %u (#%s) at EIP 0x%08lx after the verdict\n",
		       exception ? "exception" : "interrupt", vector,
		       exception ? names[vector] : "INTR", ip);
		for (;;)
			cli_hlt();
	}
#ifdef __x86_64__
	printf("rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
	       (unsigned long long)f->rax, (unsigned long long)f->rbx,
	       (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	printf("rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n",
	       (unsigned long long)f->rsi, (unsigned long long)f->rdi,
	       (unsigned long long)f->rbp, (unsigned long long)f->rsp);
	printf("rflags %08llx cs %04llx\n", (unsigned long long)f->flags,
	       (unsigned long long)f->cs);
#else
	printf("eax %08x ebx %08x ecx %08x edx %08x esi %08x edi %08x\n",
	       f->eax, f->ebx, f->ecx, f->edx, f->esi, f->edi);
	printf("ebp %08x esp %08x eflags %08x cs %04x\n", f->ebp,
	       (uint32_t)(uintptr_t)(&f->flags + 1), f->flags, f->cs);
#endif
	if (exception)
		xtf_error("exception %u (#%s) at EIP 0x%08lx error code 0x%x",
			  vector, names[vector], ip,
			  (unsigned int)f->error_code);
	xtf_error(
		"interrupt vector %u (0x%02x) without a handler at EIP 0x%08lx",
		vector, vector, ip);
}

/* An exception at a fixed-up instruction: resume at its fixup. */
static bool fixup(struct trap_frame *f)
{
	for (const struct extable_entry *e = __ex_table_start;
	     e < __ex_table_end; e++)
		if (e->from == f->ip) {
			f->ip = e->to;
			f->FRAME_AX = f->vector;
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
