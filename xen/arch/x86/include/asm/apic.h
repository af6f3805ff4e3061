/* The local APIC (xAPIC, memory mapped): IPIs, EOI and the timer. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <xen/types.h>

#define APIC_ID 0x20
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ESR 0x280
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0

#define APIC_LVT_MASKED (1U << 16)
#define APIC_ICR_BUSY (1U << 12)
#define APIC_ICR_LEVEL_ASSERT (1U << 14)
#define APIC_DM_FIXED 0x000
#define APIC_DM_NMI 0x400
#define APIC_DM_INIT 0x500
#define APIC_DM_STARTUP 0x600

extern u32 cpu_to_apicid[];

u32 apic_read(unsigned int reg);
void apic_write(unsigned int reg, u32 v);
void lapic_eoi(void);
u32 lapic_id(void);

/* Map the local APIC (boot CPU) and enable it on this CPU. */
void lapic_map(paddr_t base);
void lapic_init(void);
/* Send an IPI with delivery mode dm (APIC_DM_*) and vector to a CPU. */
void send_ipi_apicid(u32 apicid, u32 dm, u8 vector);
void send_ipi(unsigned int cpu, u8 vector);
void send_nmi(unsigned int cpu);

/* One-shot LAPIC timer: fire TIMER_VECTOR after ns (0: stop it). */
void lapic_timer_calibrate(void);
void lapic_timer_program(s64 ns);

#endif
