/*
 * Console output: every byte goes to port 0xE9, which the hypervisor prints
 * line by line as "(dN) ...". One printf() is written under a lock, so lines
 * from different vCPUs do not interleave.
 *
 * Formats: %d %i %u %x %X %c %s %p %%, with flags '-', '0' and '#' (0x
 * before a non-zero hex number), a field width, and the sizes l and ll.
 * Output longer than 255 bytes per call is cut.
 */
#ifndef XTF_CONSOLE_H
#define XTF_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define __printf(a, b) __attribute__((format(printf, a, b)))

/* Like C's: returns the length the output would have, without the NUL. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

void console_write(const char *s, size_t len);
int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __printf(1, 2);

#endif /* XTF_CONSOLE_H */
