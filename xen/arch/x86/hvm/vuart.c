/*
 * A 16550A UART at COM1 (0x3f8-0x3ff) per domain, enough for a kernel to
 * detect and drive it as ttyS0: the divisor latch, IER, IIR with FIFO
 * bits, FCR, LCR, MCR with loopback (what an 8250 driver's probe uses),
 * LSR, MSR and the scratch register. A byte written to THR goes to the
 * domain's console (its "(dN)" lines) at once, so the transmitter is
 * always empty; in loopback it comes back as received data instead.
 * Interrupts (THR empty, received data) go out on HVM_COM1_IRQ while
 * MCR.OUT2 is set, as on a PC. Serial input for the domain with the
 * console focus comes in while the guest holds DTR up out of loopback (a
 * driver with the port open, as Linux's 8250 does): the console-input
 * poll moves what fits in the receive FIFO every 10 ms, so input runs at
 * 16 bytes per poll at most; nothing overflows, the rest waits.
 *
 * uart->lock protects the registers; the console and the IRQ line are
 * driven after it is dropped, from what was decided under it (the IRQ
 * calls take the I/O APIC's and LAPICs' locks and may wake a vCPU).
 * line_lock orders those line changes, so the I/O APIC sees the line
 * in the order the registers changed it.
 */
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <asm/hvm.h>
#include <asm/hvm_irq.h>
#include <public/hvm_platform.h>

#define COM1_BASE 0x3f8
#define UART_PORTS 8
#define RX_FIFO 16

enum { RBR_THR_DLL, IER_DLM, IIR_FCR, LCR, MCR, LSR, MSR, SCR };

#define IER_RDI 0x01 /* received data available */
#define IER_THRI 0x02 /* transmitter holding register empty */
#define IER_MASK 0x0f
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO_ON 0xc0
#define FCR_FIFO_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define LCR_DLAB 0x80
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

struct hvm_uart {
	spinlock_t lock;
	spinlock_t line_lock;
	u8 ier, fcr, lcr, mcr, scr, dll, dlm;
	/* THR emptied since IIR last reported it (or IER.THRI was set). */
	bool thre_pending;
	u8 rx[RX_FIFO];
	unsigned int rx_head, rx_count;
	bool line; /* the IRQ line as last driven */
	/*
	 * A THR write cleared THR empty and the sent byte set it again: the
	 * line fell and rose, so an edge-triggered pin sees a new interrupt
	 * even though the level is the same before and after.
	 */
	bool thre_edge;
};

int hvm_uart_init(struct domain *d)
{
	struct hvm_uart *u = alloc_xenheap_page();

	BUILD_BUG_ON(sizeof(*u) > PAGE_SIZE);
	if (!u)
		return -ENOMEM;
	memset(u, 0, sizeof(*u));
	spin_lock_init(&u->lock, "uart", LR_VUART);
	spin_lock_init(&u->line_lock, "uart_line", LR_VUART_LINE);
	u->dll = 1; /* 115200 baud */
	d->uart = u;
	return 0;
}

void hvm_uart_destroy(struct domain *d)
{
	free_xenheap_page(d->uart);
	d->uart = NULL;
}

/* The interrupt the UART reports now (IIR's low bits); u->lock held. */
static u8 pending_iir(const struct hvm_uart *u)
{
	if ((u->ier & IER_RDI) && u->rx_count)
		return IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre_pending)
		return IIR_THRI;
	return IIR_NONE;
}

static bool line_level(const struct hvm_uart *u)
{
	return (u->mcr & MCR_OUT2) && pending_iir(u) != IIR_NONE;
}

/* In loopback the modem inputs are the modem outputs (8250 probes). */
static u8 modem_status(const struct hvm_uart *u)
{
	if (!(u->mcr & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	return (u->mcr & MCR_RTS ? MSR_CTS : 0) |
	       (u->mcr & MCR_DTR ? MSR_DSR : 0) |
	       (u->mcr & MCR_OUT1 ? MSR_RI : 0) |
	       (u->mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static u8 read_reg(struct hvm_uart *u, unsigned int reg)
{
	u8 val;

	switch (reg) {
	case RBR_THR_DLL:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (!u->rx_count)
			return 0;
		val = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % RX_FIFO;
		u->rx_count--;
		return val;
	case IER_DLM:
		return u->lcr & LCR_DLAB ? u->dlm : u->ier;
	case IIR_FCR:
		val = pending_iir(u);
		/* Reading IIR while it reports THR empty acknowledges it. */
		if (val == IIR_THRI)
			u->thre_pending = false;
		return val | (u->fcr & FCR_FIFO_ENABLE ? IIR_FIFO_ON : 0);
	case LCR:
		return u->lcr;
	case MCR:
		return u->mcr;
	case LSR:
		return LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
	case MSR:
		return modem_status(u);
	default: /* SCR */
		return u->scr;
	}
}

/* A byte written to THR: 1 if it goes to the console as *out. */
static bool transmit(struct hvm_uart *u, u8 val, char *out)
{
	u->thre_pending = true; /* sent at once: empty again */
	u->thre_edge = true;
	if (!(u->mcr & MCR_LOOP)) {
		*out = (char)val;
		return true;
	}
	if (u->rx_count < RX_FIFO) {
		u->rx[(u->rx_head + u->rx_count) % RX_FIFO] = val;
		u->rx_count++;
	}
	return false;
}

static bool write_reg(struct hvm_uart *u, unsigned int reg, u8 val, char *out)
{
	switch (reg) {
	case RBR_THR_DLL:
		if (u->lcr & LCR_DLAB) {
			u->dll = val;
			return false;
		}
		return transmit(u, val, out);
	case IER_DLM:
		if (u->lcr & LCR_DLAB) {
			u->dlm = val;
		} else {
			/* Enabling THRI with THR empty raises it (16550A). */
			if ((val & IER_THRI) && !(u->ier & IER_THRI))
				u->thre_pending = true;
			u->ier = val & IER_MASK;
		}
		return false;
	case IIR_FCR:
		u->fcr = val & FCR_FIFO_ENABLE;
		if (val & FCR_CLEAR_RX)
			u->rx_count = 0;
		return false;
	case LCR:
		u->lcr = val;
		return false;
	case MCR:
		u->mcr = val & MCR_MASK;
		return false;
	case SCR:
		u->scr = val;
		return false;
	}
	return false; /* LSR and MSR are read-only */
}

/* Whether outside input may come in: DTR up, not in loopback. */
static bool receiving(const struct hvm_uart *u)
{
	return (u->mcr & MCR_DTR) && !(u->mcr & MCR_LOOP);
}

/* Drive the IRQ line to what the registers say (after a change). */
static void update_line(struct domain *d, struct hvm_uart *u)
{
	unsigned long flags;
	bool level, edge;

	spin_lock_irqsave(&u->line_lock, flags);
	spin_lock(&u->lock);
	level = line_level(u);
	edge = u->thre_edge && level && u->line;
	u->thre_edge = false;
	spin_unlock(&u->lock);
	if (edge) {
		hvm_gsi_deassert(d, HVM_COM1_IRQ);
		hvm_gsi_assert(d, HVM_COM1_IRQ);
	} else if (level != u->line) {
		u->line = level;
		if (level)
			hvm_gsi_assert(d, HVM_COM1_IRQ);
		else
			hvm_gsi_deassert(d, HVM_COM1_IRQ);
	}
	spin_unlock_irqrestore(&u->line_lock, flags);
}

bool hvm_uart_io(struct vcpu *v, u16 port, unsigned int size, bool in, u32 *val)
{
	struct domain *d = v->domain;
	struct hvm_uart *u = d->uart;
	unsigned long flags;
	bool console;
	char c = 0;

	if (port < COM1_BASE || port >= COM1_BASE + UART_PORTS || !u)
		return false;
	/* A wider access touches the one register at its port, as on ISA. */
	spin_lock_irqsave(&u->lock, flags);
	if (in) {
		*val = read_reg(u, port - COM1_BASE) |
		       (size > 1 ? 0xffffff00u : 0);
		console = false;
	} else {
		console = write_reg(u, port - COM1_BASE, (u8)*val, &c);
	}
	spin_unlock_irqrestore(&u->lock, flags);
	if (console)
		domain_console_write(d, &c, 1);
	update_line(d, u);
	return true;
}

bool hvm_uart_receive(struct domain *d)
{
	struct hvm_uart *u = d->uart;
	char buf[RX_FIFO];
	unsigned long cookie, flags;
	size_t n = 0, taken = 0;
	bool open;

	if (!u)
		return false;
	spin_lock_irqsave(&u->lock, flags);
	open = receiving(u);
	if (open)
		n = RX_FIFO - u->rx_count;
	spin_unlock_irqrestore(&u->lock, flags);
	if (!open)
		return false;
	n = console_input_peek(buf, n, &cookie);
	/* The guest may have changed the registers meanwhile: looked again. */
	spin_lock_irqsave(&u->lock, flags);
	for (; taken < n && u->rx_count < RX_FIFO && receiving(u); taken++) {
		u->rx[(u->rx_head + u->rx_count) % RX_FIFO] = buf[taken];
		u->rx_count++;
	}
	spin_unlock_irqrestore(&u->lock, flags);
	console_input_consume(taken, cookie);
	if (taken)
		update_line(d, u);
	return true;
}
