#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "atomic.h"
#include "console.h"

#define DEBUG_PORT 0xe9

struct out {
	char *buf;
	size_t size;
	size_t len; /* what the output would need, even past size */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int width;
	bool left; /* '-' */
	bool zero; /* '0' */
	bool alt; /* '#': 0x before a non-zero hex number */
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int n = 0;

	while (s[n])
		n++;
	if (!sp->left)
		pad(o, sp->width - n, ' ');
	while (*s)
		put(o, *s++);
	if (sp->left)
		pad(o, sp->width - n, ' ');
}

static void put_num(struct out *o, unsigned long long v, bool neg,
		    unsigned int base, bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	bool prefix = sp->alt && base == 16 && v;
	char tmp[24];
	int n = 0, fill;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	fill = sp->width - n - neg - 2 * prefix;
	if (!sp->left && !sp->zero)
		pad(o, fill, ' ');
	if (neg)
		put(o, '-');
	if (prefix) {
		put(o, '0');
		put(o, upper ? 'X' : 'x');
	}
	if (!sp->left && sp->zero)
		pad(o, fill, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, fill, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };

	for (; *fmt; fmt++) {
		struct spec sp = { 0 };
		unsigned long long v;
		long long s;
		int longs = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0' || *fmt == '#'; fmt++)
			*(*fmt == '-' ? &sp.left :
			  *fmt == '0' ? &sp.zero :
					&sp.alt) = true;
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp.width = sp.width * 10 + (*fmt - '0');
		for (; *fmt == 'l' && longs < 2; fmt++)
			longs++;

		switch (*fmt) {
		case 'd':
		case 'i':
			s = longs == 2 ? va_arg(ap, long long) :
			    longs == 1 ? va_arg(ap, long) :
					 va_arg(ap, int);
			v = s < 0 ? -(unsigned long long)s :
				    (unsigned long long)s;
			put_num(&o, v, s < 0, 10, false, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
			v = longs == 2 ? va_arg(ap, unsigned long long) :
			    longs == 1 ? va_arg(ap, unsigned long) :
					 va_arg(ap, unsigned int);
			put_num(&o, v, false, *fmt == 'u' ? 10 : 16,
				*fmt == 'X', &sp);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			sp = (struct spec){ .width = 8, .zero = true };
			put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16,
				false, &sp);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's':
			put_str(&o, va_arg(ap, const char *) ?: "(null)", &sp);
			break;
		case '%':
			put(&o, '%');
			break;
		default: /* unknown: show it as written */
			put(&o, '%');
			if (!*fmt)
				goto out;
			put(&o, *fmt);
		}
	}
out:
	if (size)
		o.buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static struct spinlock console_lock;

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	while (len--)
		outb(*s++, DEBUG_PORT);
	spin_unlock(&console_lock);
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	console_write(buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
