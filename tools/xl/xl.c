/* xl's command table, usage, output and the helpers commands share. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xl.h"
#include "xl_os.h"

struct xl_command {
	const char *name;
	const char *synopsis;
	int (*fn)(int argc, char **argv);
};

static const struct xl_command commands[] = {
	{ "create",
	  "NAME mem=SIZE vcpus=N image=FILE [ramdisk=FILE] [cmdline=\"...\"] "
	  "[boot=linux|linux32|pvh] [paused]",
	  xl_create },
	{ "list", "[DOMAIN]", xl_list },
	{ "destroy", "DOMAIN", xl_destroy },
	{ "pause", "DOMAIN", xl_pause },
	{ "unpause", "DOMAIN", xl_unpause },
	{ "mem-set", "DOMAIN SIZE", xl_mem_set },
	{ "info", "", xl_info },
	{ "dmesg", "[-c]", xl_dmesg },
	{ "console-log", "DOMAIN", xl_console_log },
	{ "wait", "DOMAIN [SECONDS]", xl_wait },
};

static xc_interface *xch;

xc_interface *xl_xch(void)
{
	return xch;
}

static void vprint(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	xl_os_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void xl_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

int xl_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	xl_printf("xl %s: ", cmd);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	xl_printf("\n");
	return 1;
}

static void usage(void)
{
	unsigned int i;

	xl_printf("usage: xl COMMAND [ARGS]\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		xl_printf("  xl %s%s%s\n", commands[i].name,
			  commands[i].synopsis[0] ? " " : "",
			  commands[i].synopsis);
	xl_printf("DOMAIN is a name or an id; SIZE is decimal with K, M or "
		  "G (MiB without)\n");
}

int xl_main(int argc, char **argv)
{
	const struct xl_command *c = NULL;
	unsigned int i;
	int rc;

	if (argc < 2) {
		usage();
		return 1;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			c = &commands[i];
	if (!c) {
		xl_printf("xl: unknown command '%s'\n", argv[1]);
		usage();
		return 1;
	}
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch)
		return xl_fail(c->name,
			       "cannot open the control interface "
			       "(errno %d)",
			       errno);
	rc = c->fn(argc - 1, argv + 1);
	xc_interface_close(xch);
	xch = NULL;
	if (rc == 2) {
		xl_printf("usage: xl %s%s%s\n", c->name,
			  c->synopsis[0] ? " " : "", c->synopsis);
		rc = 1;
	}
	return rc;
}

bool xl_parse_uint(const char *s, unsigned long limit, unsigned long *v)
{
	unsigned long n = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (limit - (*s - '0')) / 10)
			return false;
		n = n * 10 + (*s - '0');
	}
	if (n >= limit)
		return false;
	*v = n;
	return true;
}

bool xl_parse_size(const char *s, uint64_t *bytes)
{
	char digits[24];
	size_t len = strlen(s);
	unsigned int shift = 20;
	unsigned long n;

	if (!len || len >= sizeof(digits))
		return false;
	memcpy(digits, s, len + 1);
	switch (digits[len - 1]) {
	case 'K':
	case 'k':
		shift = 10;
		digits[--len] = '\0';
		break;
	case 'M':
	case 'm':
		digits[--len] = '\0';
		break;
	case 'G':
	case 'g':
		shift = 30;
		digits[--len] = '\0';
		break;
	}
	if (!xl_parse_uint(digits, (1UL << (63 - shift)), &n))
		return false;
	*bytes = (uint64_t)n << shift;
	return true;
}

void xl_domain_name(uint32_t domid, char *name, size_t size)
{
	if (xc_domain_getname(xch, domid, name, size))
		snprintf(name, size, "(unknown)");
}

int xl_find_domain_by_name(const char *name, uint32_t *domid)
{
	xc_domaininfo_t info[16];
	uint32_t next = 0;
	int n, i;

	do {
		n = xc_domain_getinfolist(xch, next, 16, info);
		for (i = 0; i < n; i++) {
			char found[XEN_DOMAIN_NAME_MAX];

			if (!xc_domain_getname(xch, info[i].domain, found,
					       sizeof(found)) &&
			    !strcmp(found, name)) {
				*domid = info[i].domain;
				return 0;
			}
			next = info[i].domain + 1u;
		}
	} while (n == 16);
	return -1;
}

int xl_find_domain(const char *cmd, const char *word, uint32_t *domid)
{
	xc_domaininfo_t info;
	unsigned long id;

	if (xl_parse_uint(word, DOMID_SELF, &id)) {
		if (xc_domain_getinfo_single(xch, (uint32_t)id, &info))
			return xl_fail(cmd, "no domain %lu", id);
		*domid = (uint32_t)id;
		return 0;
	}
	if (xl_find_domain_by_name(word, domid))
		return xl_fail(cmd, "no domain called '%s'", word);
	return 0;
}
