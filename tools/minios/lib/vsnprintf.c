/*
 * vsnprintf, the formatter of every printf (include/stdio.h lists what it
 * understands). It writes at most size bytes, the last one a NUL, and
 * returns the length the whole output would have had.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width, prec; /* prec < 0: none */
};

/* A string of len bytes, padded to the width. */
static void emit_str(struct out *o, const struct spec *sp, const char *s,
		     int len)
{
	if (!sp->left)
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

static void emit_num(struct out *o, const struct spec *sp, uint64_t v, bool neg,
		     unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros, len;
	const char *prefix = neg       ? "-" :
			     sp->plus  ? "+" :
			     sp->space ? " " :
			     sp->alt && base == 16 && v ?
					 (upper ? "0X" : "0x") :
			     sp->alt && base == 8 ? "0" :
						    "";
	int plen = strlen(prefix);

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	zeros = sp->prec > n ? sp->prec - n : 0;
	len = plen + zeros + n;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > len) {
		zeros += sp->width - len;
		len = sp->width;
	}
	if (!sp->left)
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

/* The flags, width and precision at *fmt; *fmt is moved past them. */
static void parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	const char *f = *fmt;

	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	*fmt = f;
}

/* The integer argument for length modifier lenmod (0 int, 1 long, 2 char, 3 short). */
static uint64_t arg_unsigned(va_list *ap, int lenmod)
{
	switch (lenmod) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return (unsigned char)va_arg(*ap, unsigned int);
	case 3:
		return (unsigned short)va_arg(*ap, unsigned int);
	}
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lenmod)
{
	switch (lenmod) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return (signed char)va_arg(*ap, int);
	case 3:
		return (short)va_arg(*ap, int);
	}
	return va_arg(*ap, int);
}

static int parse_length(const char **fmt)
{
	const char *f = *fmt;
	int lenmod = 0;

	if (f[0] == 'h' && f[1] == 'h') {
		lenmod = 2;
		f += 2;
	} else if (f[0] == 'h') {
		lenmod = 3;
		f++;
	} else if (f[0] == 'l' && f[1] == 'l') {
		lenmod = 1;
		f += 2;
	} else if (*f == 'l' || *f == 'z' || *f == 't' || *f == 'j') {
		lenmod = 1;
		f++;
	}
	*fmt = f;
	return lenmod;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		struct spec sp;
		int lenmod;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &sp, &args);
		lenmod = parse_length(&fmt);
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&args, lenmod);

			emit_num(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v,
				 v < 0, 10, false);
			break;
		}
		case 'u':
			emit_num(&o, &sp, arg_unsigned(&args, lenmod), false,
				 10, false);
			break;
		case 'x':
		case 'X':
			emit_num(&o, &sp, arg_unsigned(&args, lenmod), false,
				 16, *fmt == 'X');
			break;
		case 'o':
			emit_num(&o, &sp, arg_unsigned(&args, lenmod), false, 8,
				 false);
			break;
		case 'p':
			sp.alt = true;
			emit_num(&o, &sp, (uintptr_t)va_arg(args, void *),
				 false, 16, false);
			break;
		case 'c': {
			char c = va_arg(args, int);

			emit_str(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);

			if (!s)
				s = "(null)";
			emit_str(&o, &sp, s,
				 sp.prec < 0 ? (int)strlen(s) :
					       (int)strnlen(s, sp.prec));
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* An unknown conversion is printed as it stands. */
			put(&o, '%');
			if (!*fmt)
				fmt--;
			else
				put(&o, *fmt);
			break;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
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

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return n;
}
