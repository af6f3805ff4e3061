/*
 * dom0's stdio: formatted output to the console (kernel/console.c, a line
 * at a time). stdout and stderr are both the console. The formats are the
 * hypervisor's vsnprintf's (xen/common/lib/vsnprintf.c): flags - 0 + space
 * #, width and precision (or *), length hh h l ll z, and conversions d i u
 * x X o c s p %.
 */
#ifndef MINIOS_STDIO_H
#define MINIOS_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

typedef struct minios_stream FILE;
extern FILE *const stdout;
extern FILE *const stderr;

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int vprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
int vfprintf(FILE *f, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	PRINTF_LIKE(3, 0);
int sprintf(char *buf, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* s and a newline. */
int puts(const char *s);
int fputs(const char *s, FILE *f);
int putchar(int c);
int fputc(int c, FILE *f);
/* Send the console's partial line now. */
int fflush(FILE *f);

#endif /* MINIOS_STDIO_H */
