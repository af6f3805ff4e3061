/*
 * Command-line parsing against the options declared with <xen/param.h>.
 * An option whose value is refused (malformed, out of range, too long)
 * leaves its variable as it was, and says so.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>

extern const struct kernel_param __param_start[], __param_end[];

/* The whole command line, kept by the boot loader's information. */
static const char *cmdline_saved = "";

const char *saved_cmdline(void)
{
	return cmdline_saved;
}

static int parse_bool(const char *s)
{
	if (!s || !strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "yes") ||
	    !strcmp(s, "true") || !strcmp(s, "enable"))
		return 1;
	if (!strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "no") ||
	    !strcmp(s, "false") || !strcmp(s, "disable"))
		return 0;
	return -EINVAL;
}

/* The largest value a variable of len bytes holds. */
static unsigned long long uint_max(size_t len)
{
	return len >= sizeof(unsigned long long) ? ~0ULL :
						   (1ULL << (len * 8)) - 1;
}

static void store_uint(void *var, size_t len, unsigned long long v)
{
	switch (len) {
	case 1:
		*(u8 *)var = (u8)v;
		break;
	case 2:
		*(u16 *)var = (u16)v;
		break;
	case 4:
		*(u32 *)var = (u32)v;
		break;
	default:
		*(u64 *)var = v;
		break;
	}
}

/*
 * Numbers and sizes: store only a value that is well formed and fits.
 * NULL, or why the value was refused (in why[] if it needs formatting).
 */
static const char *apply_uint(const struct kernel_param *p, const char *val,
			      char *why, size_t size)
{
	unsigned long long v = 0, max = uint_max(p->len);
	const char *end = NULL;
	int rc;

	if (!val || !*val)
		return "a value is required";
	if (p->type == PARAM_SIZE) {
		rc = parse_size(val, &v);
	} else {
		rc = parse_dec(val, &end, &v);
		if (*end)
			rc = -EINVAL;
	}
	if (rc == -EINVAL)
		return p->type == PARAM_SIZE ? "not a size (decimal, optional "
					       "K, M, G or B suffix)" :
					       "not a decimal number";
	if (p->max && (rc || v < p->min || v > p->max)) {
		snprintf(why, size, "out of range (%llu to %llu)", p->min,
			 p->max);
		return why;
	}
	if (rc || v > max) {
		snprintf(why, size, "out of range (at most %llu)", max);
		return why;
	}
	store_uint(p->var, p->len, v);
	return NULL;
}

static const char *apply(const struct kernel_param *p, const char *val,
			 bool negated, char *why, size_t size)
{
	int b, rc;

	switch (p->type) {
	case PARAM_BOOL:
		b = parse_bool(val);
		if (b < 0)
			return "not a boolean (1/0, on/off, yes/no, true/false, "
			       "enable/disable)";
		*(bool *)p->var = negated ? !b : b;
		return NULL;
	case PARAM_UINT:
	case PARAM_SIZE:
		return apply_uint(p, val, why, size);
	case PARAM_STR:
		if (!val)
			return "a value is required";
		if (strlen(val) >= p->len) {
			snprintf(why, size, "too long (at most %zu characters)",
				 p->len - 1);
			return why;
		}
		strlcpy(p->var, val, p->len);
		return NULL;
	case PARAM_CUSTOM:
		rc = p->fn(val);
		if (!rc)
			return NULL;
		return rc == -ERANGE ? "out of range" :
		       rc == -E2BIG  ? "too long" :
				       "bad value";
	}
	return "bad option type";
}

static void parse_one(char *opt)
{
	const struct kernel_param *p;
	char *val = strchr(opt, '='), buf[64];
	const char *why;
	bool negated = false;

	if (val)
		*val++ = '\0';
	for (;;) {
		for (p = __param_start; p < __param_end; p++) {
			if (strcmp(p->name, opt))
				continue;
			if (negated && p->type != PARAM_BOOL)
				break;
			why = apply(p, val, negated, buf, sizeof(buf));
			if (why)
				printk(XENLOG_WARNING "option '%s%s%.64s%s' "
						      "refused: %s\n",
				       opt, val ? "=" : "", val ? val : "",
				       val && strlen(val) > 64 ? "..." : "",
				       why);
			return;
		}
		/* "no-foo" negates boolean "foo". */
		if (negated || strncmp(opt, "no-", 3))
			break;
		opt += 3;
		negated = true;
	}
	printk(XENLOG_WARNING "unknown command line option '%s%s'\n",
	       negated ? "no-" : "", opt);
}

void cmdline_parse(const char *cmdline)
{
	const char *p = cmdline;

	if (!cmdline)
		return;
	cmdline_saved = cmdline;
	while (*p) {
		char opt[PARAM_OPTION_MAX];
		size_t len;

		while (*p == ' ')
			p++;
		for (len = 0; p[len] && p[len] != ' '; len++)
			;
		if (!len)
			break;
		if (len < sizeof(opt)) {
			memcpy(opt, p, len);
			opt[len] = '\0';
			parse_one(opt);
		} else {
			printk(XENLOG_WARNING "option '%.32s...' refused: "
					      "longer than %zu characters\n",
			       p, sizeof(opt) - 1);
		}
		p += len;
	}
}
