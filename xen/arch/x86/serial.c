/* Console devices: the 16550 UART at COM1 and the 0xE9 debug port. */
#include <xen/console.h>
#include <asm/io.h>

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0
#define UART_DLM 1
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define UART_RBR 0
#define BAUD_DIVISOR 1 /* 115200 */

/*
 * Bytes that arrived before the FIFOs were set up: turning them on clears
 * the receive FIFO, so they are read out first and returned before the
 * rest (com1_getc).
 */
#define EARLY_RX 16
static u8 early_rx[EARLY_RX];
static unsigned int early_len, early_pos;

static void com1_init(void)
{
	u8 lsr;

	while ((lsr = inb(COM1 + UART_LSR)) != 0xff && (lsr & LSR_DR) &&
	       early_len < EARLY_RX)
		early_rx[early_len++] = inb(COM1 + UART_RBR);
	outb(0x00, COM1 + UART_IER);
	outb(0x80, COM1 + UART_LCR); /* divisor latch */
	outb(BAUD_DIVISOR & 0xff, COM1 + UART_DLL);
	outb(BAUD_DIVISOR >> 8, COM1 + UART_DLM);
	outb(0x03, COM1 + UART_LCR); /* 8n1 */
	/* FIFOs on, the transmit one cleared: what was received stays. */
	outb(0x05, COM1 + UART_FCR);
	outb(0x03, COM1 + UART_MCR); /* DTR, RTS */
}

static void com1_putc(char c)
{
	unsigned int spins = 100000;

	/* Bounded wait: a missing UART must not hang the hypervisor. */
	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && --spins)
		;
	outb((u8)c, COM1 + UART_THR);
}

static void com1_write(const char *s, size_t len)
{
	while (len--) {
		if (*s == '\n')
			com1_putc('\r');
		com1_putc(*s++);
	}
}

/* Polled: the UART's interrupt is not used. */
static int com1_getc(void)
{
	u8 lsr;

	if (early_pos < early_len)
		return early_rx[early_pos++];
	lsr = inb(COM1 + UART_LSR);
	/* No UART at all reads as 0xff. */
	if (lsr == 0xff || !(lsr & LSR_DR))
		return -1;
	return inb(COM1 + UART_RBR);
}

static void e9_write(const char *s, size_t len)
{
	while (len--)
		outb((u8)*s++, 0xe9);
}

const struct console_device serial_com1 = {
	.name = "com1",
	.init = com1_init,
	.write = com1_write,
	.getc = com1_getc,
};

const struct console_device debugcon_e9 = {
	.name = "e9",
	.write = e9_write,
};
