/* The hypervisor console: printk, log levels, output devices. */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/types.h>

/* Character sinks (arch/x86/serial.c and friends). */
struct console_device {
	const char *name;
	void (*init)(void);
	void (*write)(const char *s, size_t len);
	/* A received byte, or -1 if none is waiting (NULL: output only). */
	int (*getc)(void);
};

/* Devices selectable with console=dev[,dev...] (first ones are default) */
extern const struct console_device serial_com1, debugcon_e9;

void console_init(void);
/* Print one line of a guest's console as "(dN) line". */
void console_guest_line(unsigned int domid, const char *line);
/* Panic path: take the console even if another CPU holds it. */
void console_force_unlock(void);
/* A byte received by one of the selected devices, or -1 (console.c). */
int console_getc(void);

/*
 * Console input (common/console_input.c): the selected devices are polled
 * every CONSOLE_INPUT_POLL_MS into a ring that the control domain reads
 * with console_io read. Bytes that arrive while the ring is full are
 * dropped (and counted).
 */
void console_input_init(void);
/*
 * Copy up to len bytes of input to buf without consuming them; *cookie
 * marks where they start, for console_input_consume().
 */
size_t console_input_peek(char *buf, size_t len, unsigned long *cookie);
/* Consume n bytes peeked at cookie, unless a reader consumed them. */
void console_input_consume(size_t n, unsigned long cookie);

#endif
