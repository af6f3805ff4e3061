/*
 * <stdio.h>'s output functions, all to the console (kernel/console.c).
 * vsnprintf and snprintf are the hypervisor's (xen/common/lib/vsnprintf.c,
 * linked into dom0 too).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minios/console.h>

struct minios_stream {
	int unused;
};

static struct minios_stream console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;

/* Short output is formatted on the stack, longer output in the heap. */
#define SHORT_OUTPUT 256

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	char small[SHORT_OUTPUT], *big;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < (int)sizeof(small)) {
		console_write(small, n);
	} else if ((big = malloc(n + 1))) {
		vsnprintf(big, n + 1, fmt, again);
		console_write(big, n);
		free(big);
	} else {
		console_write(small, sizeof(small) - 1);
	}
	va_end(again);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int fputs(const char *s, FILE *f)
{
	console_write(s, strlen(s));
	return 0;
}

int puts(const char *s)
{
	fputs(s, stdout);
	console_write("\n", 1);
	return 0;
}

int fputc(int c, FILE *f)
{
	char ch = c;

	console_write(&ch, 1);
	return (unsigned char)ch;
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fflush(FILE *f)
{
	console_flush();
	return 0;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return n;
}
