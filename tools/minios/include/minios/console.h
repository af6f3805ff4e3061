/*
 * The console: output through console_io write, a line at a time (the
 * hypervisor prints a domain's output as whole "(dN) " lines anyway), and
 * input from COM1 through console_io read, woken by VIRQ_CONSOLE.
 */
#ifndef MINIOS_CONSOLE_H
#define MINIOS_CONSOLE_H

#include <stddef.h>

/* Buffer s; whole lines (and a full buffer) go to the hypervisor. */
void console_write(const char *s, size_t len);
/* Send what is buffered, a partial line included. */
void console_flush(void);

/* Bind VIRQ_CONSOLE (after the event channels are up). */
void console_input_init(void);
/*
 * The next input byte; the calling thread sleeps until there is one. EOF
 * (-1) if dom0 may not read the console (it is not the control domain).
 */
int console_getc(void);

#endif /* MINIOS_CONSOLE_H */
