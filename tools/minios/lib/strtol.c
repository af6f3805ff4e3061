/* Number parsing of <stdlib.h>: C's strtoull family. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

static int digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return 99;
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The magnitude of s's number, its sign in *neg; *end past the last digit
 * taken, or s if there was none. Overflow gives ULLONG_MAX and ERANGE.
 */
static unsigned long long parse(const char *s, char **end, int base, bool *neg)
{
	const char *p = s;
	unsigned long long v = 0;
	bool any = false, over = false;
	int d;

	while (is_space(*p))
		p++;
	*neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x' &&
	    digit(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (; (d = digit(*p)) < base; p++) {
		any = true;
		if (v > (ULLONG_MAX - d) / base)
			over = true;
		v = v * base + d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	if (over) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	bool neg;
	unsigned long long v = parse(s, end, base, &neg);

	return neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

long long strtoll(const char *s, char **end, int base)
{
	bool neg;
	unsigned long long v = parse(s, end, base, &neg);

	if (!neg && v > LLONG_MAX) {
		errno = ERANGE;
		return LLONG_MAX;
	}
	if (neg && v > (unsigned long long)LLONG_MAX + 1) {
		errno = ERANGE;
		return LLONG_MIN;
	}
	return neg ? -(long long)(v - 1) - 1 : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

int atoi(const char *s)
{
	return strtol(s, NULL, 10);
}

int abs(int v)
{
	return v < 0 ? -v : v;
}
