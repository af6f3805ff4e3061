/* The hypervisor console: printk, log levels, output devices. */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/types.h>

/* Character sinks (arch/x86/serial.c and friends). */
struct console_device {
	const char *name;
	void (*init)(void);
	void (*write)(const char *s, size_t len);
};

/* Devices selectable with console=dev[,dev...] (first ones are default) */
extern const struct console_device serial_com1, debugcon_e9;

void console_init(void);
/* Print one line of a guest's console as "(dN) line". */
void console_guest_line(unsigned int domid, const char *line);
/* Panic path: take the console even if another CPU holds it. */
void console_force_unlock(void);

#endif
