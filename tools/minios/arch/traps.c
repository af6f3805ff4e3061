/*
 * The IDT: the 32 exception vectors and the upcall vector, all interrupt
 * gates (handlers run with interrupts off). Every other vector has no
 * gate: nothing else is ever raised in dom0.
 */
#include <stdio.h>

#include <minios/arch.h>
#include <minios/evtchn.h>
#include <minios/kernel.h>
#include <minios/layout.h>
#include <minios/traps.h>

#define NR_VECTORS 256
#define NR_EXCEPTIONS 32

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type; /* present, DPL 0, 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};

extern const uint64_t exception_stubs[NR_EXCEPTIONS];
extern const uint64_t upcall_stub[1];

static struct idt_gate idt[NR_VECTORS];

static const char *const names[NR_EXCEPTIONS] = {
	"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO", "TS",
	"NP", "SS", "GP",  "PF", "15", "MF", "AC", "MC", "XM", "VE",  "CP",
	"22", "23", "24",  "25", "26", "27", "HV", "VC", "SX", "31",
};

static void set_gate(unsigned int vector, uint64_t addr)
{
	idt[vector] = (struct idt_gate){
		.offset_lo = addr & 0xffff,
		.selector = KERNEL_CS,
		.type = 0x8e,
		.offset_mid = addr >> 16,
		.offset_hi = addr >> 32,
	};
}

void traps_init(void)
{
	struct desc_ptr dp = { sizeof(idt) - 1, (uintptr_t)idt };

	for (unsigned int i = 0; i < NR_EXCEPTIONS; i++)
		set_gate(i, exception_stubs[i]);
	set_gate(UPCALL_VECTOR, upcall_stub[0]);
	lidt(&dp);
}

static void __attribute__((noreturn)) fatal_exception(struct trap_frame *f)
{
	printf("exception %lu (#%s) at rip %016lx, error code 0x%lx\n",
	       (unsigned long)f->vector, names[f->vector], (unsigned long)f->ip,
	       (unsigned long)f->error_code);
	if (f->vector == 14)
		printf("cr2 %016lx\n", (unsigned long)read_cr2());
	printf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
	       (unsigned long)f->rax, (unsigned long)f->rbx,
	       (unsigned long)f->rcx, (unsigned long)f->rdx);
	printf("rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n",
	       (unsigned long)f->rsi, (unsigned long)f->rdi,
	       (unsigned long)f->rbp, (unsigned long)f->rsp);
	panic("unexpected exception");
}

void trap_dispatch(struct trap_frame *f)
{
	if (f->vector < NR_EXCEPTIONS)
		fatal_exception(f);
	evtchn_do_upcall();
}
