/*
 * uart: the domain's COM1 (a 16550A at 0x3f8) as a kernel's 8250 driver
 * probes and drives it. Probe: IER keeps its low four bits, the scratch
 * register and the divisor latch read back, loopback with RTS and OUT2
 * makes MSR read CTS and DCD, FCR's FIFO enable shows as IIR bits 7:6
 * (a 16550A). Loopback: a byte written to THR comes back in RBR with
 * LSR.DR, and is not printed. Output: a line written byte by byte to THR
 * appears as the domain's console line ("uart: through THR"), which
 * tests/boot/check-uart.sh looks for. Interrupts, through the I/O APIC's
 * pin HVM_COM1_IRQ to this vCPU's local APIC: enabling IER.THRI with OUT2
 * set raises one (IIR says THR empty, and reading IIR acknowledges it); a
 * THR write raises another, also while THR empty is unacknowledged (the
 * line never fell: the write and the sent byte make an edge); a loopback byte with IER.RDI raises one with
 * IIR saying received data, until RBR is read; with OUT2 clear nothing
 * comes. With input=1 on its command line it then opens the port (DTR,
 * RTS, OUT2, IER.RDI) and reads the bytes typed for it through the
 * receive interrupt, up to a newline or for 20 s, and prints them
 * ("uart: input line '...'", control characters as ^X) for
 * tests/boot/check-uart-input.sh. FAILURE names the check.
 */
#include <xtf.h>
#include <public/hvm_platform.h>

#define COM1 0x3f8
#define VECTOR 0x44
#define MS_TSC ((uint64_t)xtf_tsc_khz())

enum { THR, IER, IIR, LCR, MCR, LSR, MSR, SCR };
#define FCR IIR
#define DLL THR
#define DLM IER

#define LAPIC_SVR 0xf0
#define LAPIC_EOI 0xb0
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_REDIR(pin) (0x10 + 2 * (pin))

static unsigned int interrupts;
static uint8_t iir_seen;
/* Whether the handler reads IIR (acknowledging THR empty). */
static bool handler_reads_iir = true;

static uint8_t in_byte(uint16_t port)
{
	uint8_t val;

	asm volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static uint8_t uart_in(unsigned int reg)
{
	return in_byte(COM1 + reg);
}

static void uart_out(unsigned int reg, uint8_t val)
{
	outb(val, COM1 + reg);
}

static void mmio_write32(uint32_t addr, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)addr = val;
}

static void ioapic_write(unsigned int reg, uint32_t val)
{
	mmio_write32(HVM_IOAPIC_BASE + IOAPIC_REGSEL, reg);
	mmio_write32(HVM_IOAPIC_BASE + IOAPIC_WIN, val);
}

/* The handler: what IIR says (reading it acknowledges THR empty), EOI. */
static void com1_interrupt(void)
{
	if (handler_reads_iir)
		iir_seen = uart_in(IIR);
	atomic_add_return(&interrupts, 1);
	mmio_write32(HVM_LAPIC_BASE + LAPIC_EOI, 0);
}

/* Wait up to ms for the count to pass seen; true if it did. */
static bool wait_interrupt(unsigned int seen, unsigned int ms)
{
	uint64_t start = rdtsc();

	local_irq_enable();
	while (atomic_read(&interrupts) == seen &&
	       rdtsc() - start < ms * MS_TSC)
		cpu_relax();
	local_irq_disable();
	return atomic_read(&interrupts) != seen;
}

static void probe(void)
{
	uart_out(IER, 0);
	check(uart_in(IER) == 0, "IER reads %#x after writing 0", uart_in(IER));
	uart_out(IER, 0xff);
	check(uart_in(IER) == 0x0f, "IER reads %#x after writing 0xff",
	      uart_in(IER));
	uart_out(IER, 0);
	uart_out(SCR, 0x5a);
	check(uart_in(SCR) == 0x5a, "SCR reads %#x after 0x5a", uart_in(SCR));
	uart_out(LCR, 0x80);
	uart_out(DLL, 12);
	uart_out(DLM, 0);
	check(uart_in(DLL) == 12 && uart_in(DLM) == 0,
	      "the divisor latch reads %u:%u after 0:12", uart_in(DLM),
	      uart_in(DLL));
	uart_out(LCR, 0x03); /* 8N1, DLAB off */
	check(uart_in(LCR) == 0x03, "LCR reads %#x", uart_in(LCR));
	uart_out(MCR, 0x10 | 0x0a); /* loop, RTS, OUT2 */
	check((uart_in(MSR) & 0xf0) == 0x90,
	      "MSR reads %#x in loopback with RTS and OUT2 (want CTS|DCD)",
	      uart_in(MSR));
	uart_out(FCR, 0x07);
	check((uart_in(IIR) & 0xc0) == 0xc0,
	      "IIR reads %#x with the FIFO on (want bits 7:6 set)",
	      uart_in(IIR));
}

static void loopback(void)
{
	uint8_t lsr;

	uart_out(MCR, 0x10 | 0x0b);
	uart_out(THR, 'Z');
	lsr = uart_in(LSR);
	check(lsr & 0x01, "LSR %#x: no data after a loopback byte", lsr);
	check(uart_in(THR) == 'Z', "RBR is not the loopback byte");
	lsr = uart_in(LSR);
	check(!(lsr & 0x01) && (lsr & 0x60) == 0x60,
	      "LSR %#x after reading the byte (want THRE|TEMT, no DR)", lsr);
	uart_out(MCR, 0x0b); /* DTR, RTS, OUT2; no loop */
}

static void output(void)
{
	const char *s = "uart: through THR\n";

	while (*s)
		uart_out(THR, (uint8_t)*s++);
}

static void interrupts_(void)
{
	unsigned int seen;

	mmio_write32(HVM_LAPIC_BASE + LAPIC_SVR, 0x1ff);
	ioapic_write(IOAPIC_REDIR(HVM_COM1_IRQ) + 1, 0); /* APIC ID 0 */
	ioapic_write(IOAPIC_REDIR(HVM_COM1_IRQ), VECTOR); /* edge, fixed */
	xtf_set_irq_handler(VECTOR, com1_interrupt);

	seen = atomic_read(&interrupts);
	uart_out(IER, 0x02);
	check(wait_interrupt(seen, 1000),
	      "no interrupt 1 s after enabling THRI (I/O APIC pin %u)",
	      HVM_COM1_IRQ);
	check((iir_seen & 0x0f) == 0x02, "IIR %#x in the THR interrupt",
	      iir_seen);
	check((uart_in(IIR) & 0x0f) == 0x01,
	      "IIR %#x after the handler read it (want no interrupt)",
	      uart_in(IIR));

	seen = atomic_read(&interrupts);
	uart_out(THR, '\n');
	check(wait_interrupt(seen, 1000), "no interrupt after a THR write");

	/*
	 * THR empty left unacknowledged, so the line stays up: a THR write
	 * still interrupts again (the write clears THR empty, the sent byte
	 * sets it: the edge a real UART gives), as an 8250 driver needs.
	 */
	handler_reads_iir = false;
	seen = atomic_read(&interrupts);
	uart_out(THR, '\n');
	check(wait_interrupt(seen, 1000), "no interrupt after a THR write");
	seen = atomic_read(&interrupts);
	uart_out(THR, '\n');
	check(wait_interrupt(seen, 1000),
	      "no interrupt after a THR write with THR empty unacknowledged");
	handler_reads_iir = true;
	uart_in(IIR);

	uart_out(IER, 0x01);
	uart_out(MCR, 0x10 | 0x0b);
	seen = atomic_read(&interrupts);
	uart_out(THR, 'R');
	check(wait_interrupt(seen, 1000), "no interrupt for received data");
	check((iir_seen & 0x0f) == 0x04, "IIR %#x in the receive interrupt",
	      iir_seen);
	check(uart_in(THR) == 'R', "RBR is not the loopback byte");

	uart_out(MCR, 0x10 | 0x03); /* OUT2 off: the line is gated */
	seen = atomic_read(&interrupts);
	uart_out(THR, 'S');
	check(!wait_interrupt(seen, 100), "an interrupt with OUT2 clear");
	uart_in(THR);
	uart_out(MCR, 0x03);
	uart_out(IER, 0);
	printf("uart: %u interrupts through the I/O APIC\n",
	       atomic_read(&interrupts));
}

static char line[128];
static unsigned int line_len, rx_interrupts;
static bool line_done;

/* The receive interrupt: every byte waiting, up to the first newline. */
static void rx_interrupt(void)
{
	uart_in(IIR);
	while (uart_in(LSR) & 0x01) {
		uint8_t c = uart_in(THR);

		if (c == '\n')
			line_done = true;
		else if (!line_done && line_len < sizeof(line) - 1)
			line[line_len++] = (char)c;
	}
	rx_interrupts++;
	mmio_write32(HVM_LAPIC_BASE + LAPIC_EOI, 0);
}

static void input(void)
{
	char shown[2 * sizeof(line)];
	unsigned int i, n = 0;
	uint64_t start;

	xtf_set_irq_handler(VECTOR, rx_interrupt);
	uart_out(FCR, 0x07);
	uart_out(MCR, 0x0b); /* DTR, RTS, OUT2: the port is open */
	uart_out(IER, 0x01);
	printf("uart: waiting for input\n");
	start = rdtsc();
	local_irq_enable();
	while (!__atomic_load_n(&line_done, __ATOMIC_RELAXED) &&
	       rdtsc() - start < 20000 * MS_TSC)
		cpu_relax();
	local_irq_disable();
	uart_out(IER, 0);
	uart_out(MCR, 0);
	check(line_done, "no input line in 20 s (%u bytes came)", line_len);
	check(rx_interrupts, "input came with no receive interrupt");
	for (i = 0; i < line_len; i++) {
		uint8_t c = (uint8_t)line[i];

		if (c < 0x20) {
			shown[n++] = '^';
			c += '@';
		}
		shown[n++] = (char)c;
	}
	shown[n] = '\0';
	printf("uart: input line '%s' (%u receive interrupts)\n", shown,
	       rx_interrupts);
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	if (!xtf_has_xen() || !xtf_tsc_khz())
		xtf_skip("needs the hypervisor and its TSC frequency");
	probe();
	loopback();
	output();
	interrupts_();
	if (cmdline_uint("input", 0))
		input();
	xtf_success();
}
