/*
 * Console input: bytes received on the selected console devices, kept
 * for the control domain (console_io read). The devices are polled from a
 * timer on CPU0, since their interrupts are not wired up; at 115200 baud
 * a 16-byte FIFO fills in 1.4 ms, so a fast typist or a paste may lose
 * bytes between polls, a test harness feeding a file (flow-controlled by
 * the emulator) does not.
 *
 * The ring's producer is the poll timer; its readers are console_io
 * calls, or the control domain's PV console ring (pv_console.c). rx_lock
 * protects prod, cons and dropped; readers copy to the guest outside it
 * (the copy may sleep), then consume. New input raises the control
 * domain's VIRQ_CONSOLE unless its PV console ring takes it.
 */
#include <xen/console.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/pv_console.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <asm/time.h>

#define RX_SIZE 4096 /* a power of two */
#define CONSOLE_INPUT_POLL_MS 10

static char rx_ring[RX_SIZE];
static unsigned long rx_prod, rx_cons, rx_dropped;
static DEFINE_SPINLOCK(rx_lock, LR_CONSOLE_INPUT);
static struct timer poll_timer;

static void poll_input(void *arg)
{
	unsigned long flags, before;
	struct domain *d;
	int c;

	spin_lock_irqsave(&rx_lock, flags);
	before = rx_prod;
	while ((c = console_getc()) >= 0) {
		if (rx_prod - rx_cons == RX_SIZE) {
			if (!rx_dropped++)
				printk(XENLOG_WARNING "console input: ring "
						      "full, dropping bytes\n");
			continue;
		}
		rx_ring[rx_prod++ % RX_SIZE] = c;
	}
	spin_unlock_irqrestore(&rx_lock, flags);
	/*
	 * Input goes to the control domain: into its PV console ring once
	 * it uses that (also input left over for want of room), else new
	 * input raises its VIRQ_CONSOLE, if it bound one, for console_io.
	 */
	d = control_domain();
	if (d && !pv_console_input(d) && rx_prod != before)
		send_guest_global_virq(d, VIRQ_CONSOLE);
	set_timer(&poll_timer, NOW() + MILLISECS(CONSOLE_INPUT_POLL_MS));
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
