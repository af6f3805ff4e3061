/* Command-line parsing against the options declared with <xen/param.h>. */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>

extern const struct kernel_param __param_start[], __param_end[];

#define CMDLINE_MAX 1024
static char cmdline_copy[CMDLINE_MAX];

const char *saved_cmdline(void)
{
	return cmdline_copy;
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

static int store_uint(void *var, size_t len, unsigned long long v)
{
	switch (len) {
	case 1:
		*(u8 *)var = (u8)v;
		return v <= 0xff ? 0 : -ERANGE;
	case 2:
		*(u16 *)var = (u16)v;
		return v <= 0xffff ? 0 : -ERANGE;
	case 4:
		*(u32 *)var = (u32)v;
		return v <= 0xffffffffULL ? 0 : -ERANGE;
	case 8:
		*(u64 *)var = v;
		return 0;
	}
	return -EINVAL;
}

static int apply(const struct kernel_param *p, const char *val, bool negated)
{
	const char *end;
	unsigned long long v;
	int b;

	switch (p->type) {
	case PARAM_BOOL:
		b = parse_bool(val);
		if (b < 0)
			return b;
		*(bool *)p->var = negated ? !b : b;
		return 0;
	case PARAM_UINT:
	case PARAM_SIZE:
		if (!val || !*val)
			return -EINVAL;
		v = p->type == PARAM_SIZE ? parse_size_and_unit(val, &end) :
					    simple_strtoul(val, &end, 0);
		return *end ? -EINVAL : store_uint(p->var, p->len, v);
	case PARAM_STR:
		if (!val)
			return -EINVAL;
		return strlcpy(p->var, val, p->len) < p->len ? 0 : -E2BIG;
	case PARAM_CUSTOM:
		return p->fn(val);
	}
	return -EINVAL;
}

static void parse_one(char *opt)
{
	const struct kernel_param *p;
	char *val = strchr(opt, '=');
	bool negated = false;

	if (val)
		*val++ = '\0';
	for (;;) {
		for (p = __param_start; p < __param_end; p++) {
			int rc;

			if (strcmp(p->name, opt))
				continue;
			if (negated && p->type != PARAM_BOOL)
				break;
			rc = apply(p, val, negated);
			if (rc)
				printk(XENLOG_WARNING "bad value for option "
						      "'%s': '%s' (%d)\n",
				       opt, val ? val : "", rc);
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
	char buf[CMDLINE_MAX];
	char *p = buf;

	if (!cmdline)
		return;
	if (strlcpy(cmdline_copy, cmdline, sizeof(cmdline_copy)) >=
	    sizeof(cmdline_copy))
		printk(XENLOG_WARNING "command line truncated to %zu bytes\n",
		       sizeof(cmdline_copy) - 1);
	strlcpy(buf, cmdline_copy, sizeof(buf));

	while (*p) {
		char *opt;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		opt = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		parse_one(opt);
	}
}
