/*
 * Console input: the hypervisor keeps COM1's bytes for the control
 * domain and raises VIRQ_CONSOLE when new ones arrive; console_io read
 * takes them without blocking. A reader that finds none sleeps until the
 * virq's handler wakes it. The flag is cleared before each read, so input
 * that arrives between an empty read and the sleep is not missed.
 */
#include <stdbool.h>
#include <stdio.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/evtchn.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/waitq.h>

#define INPUT_BUF 256

static char in_buf[INPUT_BUF];
static unsigned int in_pos, in_len;
static bool input_signalled;
static struct waitq input_wq;

static void console_virq(evtchn_port_t port, void *arg)
{
	input_signalled = true;
	waitq_wake_all(&input_wq);
}

void console_input_init(void)
{
	long port;

	waitq_init(&input_wq);
	port = evtchn_bind_virq(VIRQ_CONSOLE, 0, console_virq, NULL);
	if (port < 0)
		panic("binding VIRQ_CONSOLE failed: %ld", port);
}

int console_getc(void)
{
	unsigned long flags;
	long n;

	while (in_pos == in_len) {
		flags = irq_save();
		input_signalled = false;
		irq_restore(flags);
		n = hypercall_console_io(CONSOLEIO_read, INPUT_BUF, in_buf);
		if (n < 0) {
			/* Not the control domain: there is no input for us. */
			printf("dom0: console_io read failed (%ld): no console "
			       "input\n",
			       n);
			return EOF;
		}
		if (n > 0) {
			in_pos = 0;
			in_len = n;
			break;
		}
		flags = irq_save();
		while (!input_signalled)
			waitq_sleep(&input_wq, 0);
		irq_restore(flags);
	}
	return (unsigned char)in_buf[in_pos++];
}
