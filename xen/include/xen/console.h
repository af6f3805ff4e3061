/* The hypervisor console: printk, log levels, output devices. */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/types.h>

struct domain;

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
 * The console ring (common/console_ring.c): what the console printed,
 * the last 64 KiB, bytes numbered from the first ever written (u32,
 * wrapping). Any context.
 */
void console_ring_write(const char *s, size_t len);
/* The number of the first of the newest n bytes kept. */
u32 console_ring_newest(size_t n);
/*
 * Copy up to len bytes from byte *idx on (from the oldest kept if *idx is
 * no longer, or not yet, in the ring) and move *idx past them.
 */
size_t console_ring_read(u32 *idx, char *buf, size_t len);
/* Forget every byte written so far. */
void console_ring_clear(void);
/* Panic path: a CPU stopped while writing to the ring held its lock. */
void console_ring_force_unlock(void);

/*
 * Console input (common/console_input.c): the selected devices are polled
 * every CONSOLE_INPUT_POLL_MS into a ring, whose bytes go to the domain
 * that has the input focus (the control domain until Ctrl-A, typed three
 * times in a row, moves it on to the next domain): into its COM1 16550
 * while the guest receives there, else its PV console ring, else (the
 * control domain only) console_io read. Bytes that arrive while the ring
 * is full are dropped (and counted).
 */
void console_input_init(void);
/* Whether d has the input focus now. */
bool console_input_focused(const struct domain *d);
/* d is being destroyed: the focus goes back to the control domain. */
void console_input_domain_gone(struct domain *d);
/* Move the focus as Ctrl-A x3 asked, if it did (the reaper's vCPU). */
void console_input_switch(void);
/*
 * Copy up to len bytes of input to buf without consuming them; *cookie
 * marks where they start, for console_input_consume().
 */
size_t console_input_peek(char *buf, size_t len, unsigned long *cookie);
/* Consume n bytes peeked at cookie, unless a reader consumed them. */
void console_input_consume(size_t n, unsigned long cookie);

#endif
