/*
 * Console input: bytes received on the selected console devices, kept
 * for the domain with the input focus. The devices are polled from a
 * timer on CPU0, since their interrupts are not wired up; at 115200 baud
 * a 16-byte FIFO fills in 1.4 ms, so a fast typist or a paste may lose
 * bytes between polls, a test harness feeding a file (flow-controlled by
 * the emulator) does not.
 *
 * The focus is the control domain until Ctrl-A, typed three times in a
 * row, moves it to the domain of the next id (after the last, the first
 * again), as Xen's serial console does; fewer Ctrl-As followed by another
 * byte are input like any other. The poll stops reading at a switch, so
 * the bytes typed after it go to the new focus: the reaper (CPU0's
 * process context, which may walk the domain list) makes the switch and
 * says so, then reading goes on.
 *
 * The ring's producer is the poll timer; its readers are console_io
 * calls (the control domain with the focus), the focused domain's PV
 * console ring (pv_console.c) or its 16550 (hvm_uart_receive()), both
 * fed from the poll. rx_lock protects prod, cons and dropped; readers
 * copy to the guest outside it (the copy may sleep), then consume. New
 * input raises the control domain's VIRQ_CONSOLE when nothing else takes
 * it.
 *
 * `focus` is read without a lock by the poll (a timer function on CPU0)
 * and written by the reaper, which also destroys domains (on CPU0 too):
 * console_input_domain_gone() clears it before the domain goes, so the
 * poll never sees a freed domain. NULL means the control domain.
 */
#include <xen/console.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/pv_console.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <asm/hvm.h>
#include <asm/time.h>

#define RX_SIZE 4096 /* a power of two */
#define CONSOLE_INPUT_POLL_MS 10
#define SWITCH_CODE 0x01 /* Ctrl-A */
#define SWITCH_COUNT 3

static char rx_ring[RX_SIZE];
static unsigned long rx_prod, rx_cons, rx_dropped;
static DEFINE_SPINLOCK(rx_lock, LR_CONSOLE_INPUT);
static struct timer poll_timer;
static struct domain *focus;
/* Ctrl-As held back (the poll's own), and a switch asked for. */
static unsigned int switch_codes;
static bool switch_pending;

/* Into the ring; rx_lock held. */
static void put_byte(char c)
{
	if (rx_prod - rx_cons == RX_SIZE) {
		if (!rx_dropped++)
			printk(XENLOG_WARNING "console input: ring full, "
					      "dropping bytes\n");
		return;
	}
	rx_ring[rx_prod++ % RX_SIZE] = c;
}

/*
 * Read what the devices have, up to a switch: then set switch_pending
 * and stop, leaving the rest in the devices for the new focus.
 */
static void read_devices(void)
{
	unsigned long flags;
	int c;

	spin_lock_irqsave(&rx_lock, flags);
	while (!READ_ONCE(switch_pending) && (c = console_getc()) >= 0) {
		if (c == SWITCH_CODE) {
			if (++switch_codes < SWITCH_COUNT)
				continue;
			switch_codes = 0;
			WRITE_ONCE(switch_pending, true);
			break;
		}
		for (; switch_codes; switch_codes--)
			put_byte(SWITCH_CODE);
		put_byte(c);
	}
	spin_unlock_irqrestore(&rx_lock, flags);
}

static struct domain *focused(void)
{
	struct domain *d = READ_ONCE(focus);

	return d ? d : control_domain();
}

bool console_input_focused(const struct domain *d)
{
	return d && focused() == d;
}

static bool input_waiting(void)
{
	return READ_ONCE(rx_prod) != READ_ONCE(rx_cons);
}

static void poll_input(void *arg)
{
	unsigned long before = READ_ONCE(rx_prod);
	struct domain *d;

	read_devices();
	if (READ_ONCE(switch_pending))
		reaper_kick();
	/*
	 * To the focus: its 16550 while the guest receives there (an open
	 * ttyS0), else its PV console ring once it uses that (also input
	 * left over for want of room), else new input raises the control
	 * domain's VIRQ_CONSOLE, if it bound one, for console_io. A domain
	 * with none of these keeps its input in the ring.
	 */
	d = focused();
	if (d && input_waiting() && !hvm_uart_receive(d) &&
	    !pv_console_input(d) && d == control_domain() &&
	    READ_ONCE(rx_prod) != before)
		send_guest_global_virq(d, VIRQ_CONSOLE);
	set_timer(&poll_timer, NOW() + MILLISECS(CONSOLE_INPUT_POLL_MS));
}

void console_input_switch(void)
{
	struct domain *from = focused(), *to;

	if (!READ_ONCE(switch_pending))
		return;
	to = domain_get_from(from ? from->domain_id + 1 : 0);
	if (!to)
		to = domain_get_from(0);
	if (to) {
		/* The reaper alone destroys domains: no reference kept. */
		domain_put(to);
		WRITE_ONCE(focus, to == control_domain() ? NULL : to);
		printk("console input: d%u (%s) (Ctrl-A three times to "
		       "switch)\n",
		       to->domain_id, to->name);
	}
	WRITE_ONCE(switch_pending, false);
}

void console_input_domain_gone(struct domain *d)
{
	if (READ_ONCE(focus) == d)
		WRITE_ONCE(focus, NULL);
}

void console_input_init(void)
{
	init_timer(&poll_timer, poll_input, NULL, 0);
	set_timer(&poll_timer, NOW() + MILLISECS(CONSOLE_INPUT_POLL_MS));
}

size_t console_input_peek(char *buf, size_t len, unsigned long *cookie)
{
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&rx_lock, flags);
	*cookie = rx_cons;
	while (n < len && rx_cons + n != rx_prod) {
		buf[n] = rx_ring[(rx_cons + n) % RX_SIZE];
		n++;
	}
	spin_unlock_irqrestore(&rx_lock, flags);
	return n;
}

void console_input_consume(size_t n, unsigned long cookie)
{
	unsigned long flags;

	spin_lock_irqsave(&rx_lock, flags);
	if (rx_cons == cookie)
		rx_cons += n;
	spin_unlock_irqrestore(&rx_lock, flags);
}
