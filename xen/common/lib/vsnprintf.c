/*
 * vsnprintf: the formats the hypervisor uses. Flags '-', '0', '#', ' ',
 * '+'; width and precision (also '*'); length modifiers hh, h, l, ll, z;
 * conversions d i u x X o p s c %.
 */
#include <xen/lib.h>

struct out {
	char *buf;
	size_t size, len;
};

struct spec {
	bool left, zero, alt, space, plus;
	int width, prec;
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

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int len, i;

	if (!s)
		s = "(null)";
	len = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
	if (!sp->left)
		pad(o, sp->width - len, ' ');
	for (i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - len, ' ');
}

static void put_num(struct out *o, unsigned long long v, bool neg,
		    unsigned int base, bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], sign = 0;
	const char *prefix = "";
	int n = 0, ndig, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	/* The value 0 with precision 0 has no digits. */
	if (!sp->prec && n == 1 && tmp[0] == '0')
		n = 0;

	if (neg)
		sign = '-';
	else if (sp->plus)
		sign = '+';
	else if (sp->space)
		sign = ' ';
	/* '#': 0x only for non-zero values, 0 only if no leading 0 yet. */
	if (sp->alt && base == 16 && n && tmp[n - 1] != '0')
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && sp->prec <= n &&
		 (!n || tmp[n - 1] != '0'))
		prefix = "0";

	ndig = sp->prec > n ? sp->prec : n;
	total = ndig + (sign ? 1 : 0) + (int)strlen(prefix);
	if (!sp->left && !(sp->zero && sp->prec < 0))
		pad(o, sp->width - total, ' ');
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero && sp->prec < 0)
		pad(o, sp->width - total, '0');
	pad(o, ndig - n, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, sp->width - total, ' ');
}

static const char *parse_flags(const char *f, struct spec *sp)
{
	for (;; f++) {
		switch (*f) {
		case '-':
			sp->left = true;
			break;
		case '0':
			sp->zero = true;
			break;
		case '#':
			sp->alt = true;
			break;
		case ' ':
			sp->space = true;
			break;
		case '+':
			sp->plus = true;
			break;
		default:
			return f;
		}
	}
}

static const char *parse_int(const char *f, int *val, va_list *ap)
{
	if (*f == '*') {
		*val = va_arg(*ap, int);
		return f + 1;
	}
	*val = 0;
	while (*f >= '0' && *f <= '9')
		*val = *val * 10 + (*f++ - '0');
	return f;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, args);
	while (*fmt) {
		struct spec sp = { .prec = -1 };
		int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long */
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_flags(fmt + 1, &sp);
		fmt = parse_int(fmt, &sp.width, &ap);
		if (sp.width < 0) {
			sp.left = true;
			sp.width = -sp.width;
		}
		if (*fmt == '.')
			fmt = parse_int(fmt + 1, &sp.prec, &ap);
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'h')
				lng--;
			else if (*fmt == 'z')
				lng = 1;
			else
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 2 ? va_arg(ap, long long) :
			    lng == 1 ? va_arg(ap, long) :
				       va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng <= -2)
				s = (signed char)s;
			u = s < 0 ? -(unsigned long long)s :
				    (unsigned long long)s;
			put_num(&o, u, s < 0, 10, false, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) :
				       va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			put_num(&o, u, false,
				*fmt == 'u' ? 10 :
				*fmt == 'o' ? 8 :
					      16,
				*fmt == 'X', &sp);
			break;
		case 'p':
			sp.alt = true;
			put_num(&o, (unsigned long)va_arg(ap, void *), false,
				16, false, &sp);
			break;
		case 's':
			put_str(&o, va_arg(ap, const char *), &sp);
			break;
		case 'c':
			if (!sp.left)
				pad(&o, sp.width - 1, ' ');
			put(&o, (char)va_arg(ap, int));
			if (sp.left)
				pad(&o, sp.width - 1, ' ');
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown conversion: print it as is, visibly. */
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			break;
		}
		if (*fmt)
			fmt++;
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
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

int refuse(int err, char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return err;
}
