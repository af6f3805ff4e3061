/*
 * The legacy 8259 PICs: moved off the exception vectors (firmware leaves
 * the master at vector 8) and masked. We take interrupts from the LAPIC.
 */
#include <asm/io.h>
#include <asm/i8259.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_VECTOR_BASE 0x20 /* only reached by a spurious IRQ 7/15 */

void i8259_disable(void)
{
	outb(0x11, PIC1_CMD); /* ICW1: init, ICW4 follows */
	outb(0x11, PIC2_CMD);
	outb(PIC_VECTOR_BASE, PIC1_DATA); /* ICW2: vector base */
	outb(PIC_VECTOR_BASE + 8, PIC2_DATA);
	outb(0x04, PIC1_DATA); /* ICW3: slave on IRQ2 */
	outb(0x02, PIC2_DATA);
	outb(0x01, PIC1_DATA); /* ICW4: 8086 mode */
	outb(0x01, PIC2_DATA);
	outb(0xff, PIC1_DATA); /* mask everything */
	outb(0xff, PIC2_DATA);
}
