/*
 * Console output: bytes collect in one buffer and go out with console_io
 * write at each newline or when the buffer fills. Interrupts are off while
 * the buffer changes, so any thread (or an event handler) may print.
 */
#include <minios/arch.h>
#include <minios/console.h>
#include <minios/hypercall.h>

#define CONSOLE_BUF 512

static char buf[CONSOLE_BUF];
static size_t buf_len;

static void send(void)
{
	if (buf_len)
		hypercall_console_io(CONSOLEIO_write, buf_len, buf);
	buf_len = 0;
}

void console_write(const char *s, size_t len)
{
	unsigned long flags = irq_save();

	for (size_t i = 0; i < len; i++) {
		buf[buf_len++] = s[i];
		if (s[i] == '\n' || buf_len == CONSOLE_BUF)
			send();
	}
	irq_restore(flags);
}

void console_flush(void)
{
	unsigned long flags = irq_save();

	send();
	irq_restore(flags);
}
