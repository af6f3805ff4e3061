/* Number and size parsing for the command line. */
#include <xen/lib.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

unsigned long simple_strtoul(const char *cp, const char **endp,
			     unsigned int base)
{
	unsigned long v = 0;

	if (!base) {
		base = 10;
		if (cp[0] == '0' && (cp[1] == 'x' || cp[1] == 'X') &&
		    digit_value(cp[2]) < 16) {
			base = 16;
			cp += 2;
		} else if (cp[0] == '0') {
			base = 8;
		}
	}
	while (digit_value(*cp) < (int)base)
		v = v * base + (unsigned long)digit_value(*cp++);
	if (endp)
		*endp = cp;
	return v;
}

/* "64M", "1G", "4096K", "512" (bytes); sets *ps past what it parsed. */
unsigned long long parse_size_and_unit(const char *s, const char **ps)
{
	unsigned long long v = simple_strtoul(s, ps, 0);

	switch (**ps) {
	case 'G':
	case 'g':
		v <<= 10;
		/* fall through */
	case 'M':
	case 'm':
		v <<= 10;
		/* fall through */
	case 'K':
	case 'k':
		v <<= 10;
		(*ps)++;
		break;
	case 'B':
	case 'b':
		(*ps)++;
		break;
	}
	return v;
}
