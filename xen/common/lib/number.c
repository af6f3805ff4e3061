/*
 * Numbers and sizes as the command line and module strings take them:
 * decimal only (a leading 0 is not octal, 0x is no prefix), checked for
 * overflow.
 */
#include <xen/errno.h>
#include <xen/lib.h>

int parse_dec(const char *s, const char **end, unsigned long long *v)
{
	unsigned long long n = 0;
	const char *p = s;
	int rc = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		/* Keep consuming digits so that *end is past the number. */
		if (n > (~0ULL - d) / 10)
			rc = -ERANGE;
		else
			n = n * 10 + d;
	}
	if (end)
		*end = p;
	if (p == s)
		return -EINVAL;
	if (!rc)
		*v = n;
	return rc;
}

int parse_size(const char *s, unsigned long long *v)
{
	const char *end;
	unsigned long long n = 0;
	unsigned int shift = 0;
	int rc = parse_dec(s, &end, &n);

	switch (*end) {
	case 'G':
	case 'g':
		shift += 10;
		/* fall through */
	case 'M':
	case 'm':
		shift += 10;
		/* fall through */
	case 'K':
	case 'k':
		shift += 10;
		/* fall through */
	case 'B':
	case 'b':
		end++;
		break;
	}
	if (*end)
		return -EINVAL;
	if (rc)
		return rc;
	if (n > ~0ULL >> shift)
		return -ERANGE;
	*v = n << shift;
	return 0;
}
