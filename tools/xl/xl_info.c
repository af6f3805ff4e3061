/* xl's commands that report: list, info, dmesg, console-log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "xl_os.h"

#define LIST_CHUNK 32
#define RING_READ_MAX (256u << 10)

/* Xen's state letters: running, blocked, paused, shutdown, crashed, dying. */
static void state_letters(const xc_domaininfo_t *d, char s[7])
{
	unsigned int reason = (d->flags >> XEN_DOMINF_shutdownshift) &
			      XEN_DOMINF_shutdownmask;
	bool shutdown = d->flags & XEN_DOMINF_shutdown;

	s[0] = d->flags & XEN_DOMINF_running ? 'r' : '-';
	s[1] = d->flags & XEN_DOMINF_blocked ? 'b' : '-';
	s[2] = d->flags & XEN_DOMINF_paused ? 'p' : '-';
	s[3] = shutdown && reason != SHUTDOWN_crash ? 's' : '-';
	s[4] = shutdown && reason == SHUTDOWN_crash ? 'c' : '-';
	s[5] = d->flags & XEN_DOMINF_dying ? 'd' : '-';
	s[6] = '\0';
}

static void list_row(const xc_domaininfo_t *d)
{
	unsigned long long tenths = d->cpu_time / 100000000ULL;
	char name[XEN_DOMAIN_NAME_MAX], state[7];

	xl_domain_name(d->domain, name, sizeof(name));
	state_letters(d, state);
	xl_printf("%-40s %5u %5llu %5u     %s  %6llu.%llu %8llu\n", name,
		  d->domain, (unsigned long long)(d->tot_pages >> 8),
		  d->nr_online_vcpus, state, tenths / 10, tenths % 10,
		  (unsigned long long)d->paged_pages);
}

/*
 * Xen's columns in Xen's order (Mem in MiB, Time in seconds of CPU), then
 * ours: Paged, the domain's pages paged out.
 */
int xl_list(int argc, char **argv)
{
	xc_domaininfo_t info[LIST_CHUNK];
	uint32_t next = 0, domid;
	int n, i, rc;

	if (argc > 2)
		return 2;
	if (argc == 2) {
		rc = xl_find_domain("list", argv[1], &domid);
		if (rc)
			return rc;
		if (xc_domain_getinfo_single(xl_xch(), domid, info))
			return xl_fail("list", "domain %u is gone", domid);
	}
	xl_printf("%-40s %5s %5s %5s %10s %9s %8s\n", "Name", "ID", "Mem",
		  "VCPUs", "State", "Time(s)", "Paged");
	if (argc == 2) {
		list_row(info);
		return 0;
	}
	do {
		n = xc_domain_getinfolist(xl_xch(), next, LIST_CHUNK, info);
		if (n < 0)
			return xl_fail("list", "errno %d", errno);
		for (i = 0; i < n; i++) {
			list_row(&info[i]);
			next = info[i].domain + 1u;
		}
	} while (n == LIST_CHUNK);
	return 0;
}

int xl_info(int argc, char **argv)
{
	xc_physinfo_t p;

	(void)argv;
	if (argc != 1)
		return 2;
	if (xc_physinfo(xl_xch(), &p))
		return xl_fail("info", "errno %d", errno);
	xl_printf("%-23s: %u\n", "nr_cpus", p.nr_cpus);
	xl_printf("%-23s: %u\n", "max_cpu_id", p.max_cpu_id);
	xl_printf("%-23s: %u.%03u\n", "cpu_mhz", p.cpu_khz / 1000,
		  p.cpu_khz % 1000);
	xl_printf("%-23s: %s%s\n", "virt_caps",
		  p.capabilities & XEN_SYSCTL_PHYSCAP_hvm ? "hvm" : "",
		  p.capabilities & XEN_SYSCTL_PHYSCAP_hap ? " hap" : "");
	xl_printf("%-23s: %llu\n", "total_memory",
		  (unsigned long long)(p.total_pages >> 8));
	xl_printf("%-23s: %llu\n", "free_memory",
		  (unsigned long long)(p.free_pages >> 8));
	return 0;
}

/* The whole log ring into a new buffer: its length in *len, or NULL. */
static char *read_ring(const char *cmd, unsigned int *len, bool clear)
{
	char *buf = malloc(RING_READ_MAX);

	if (!buf) {
		xl_fail(cmd, "out of memory");
		return NULL;
	}
	*len = RING_READ_MAX;
	if (xc_readconsolering(xl_xch(), buf, len, clear, 0, NULL)) {
		xl_fail(cmd, "cannot read the console ring (errno %d)", errno);
		free(buf);
		return NULL;
	}
	return buf;
}

int xl_dmesg(int argc, char **argv)
{
	bool clear = argc == 2 && !strcmp(argv[1], "-c");
	unsigned int len;
	char *buf;

	if (argc > 2 || (argc == 2 && !clear))
		return 2;
	buf = read_ring("dmesg", &len, clear);
	if (!buf)
		return 1;
	xl_os_write(buf, len);
	if (len && buf[len - 1] != '\n')
		xl_printf("\n");
	free(buf);
	return 0;
}

/* Whether s[n] holds the string what. */
static bool contains(const char *s, size_t n, const char *what)
{
	size_t w = strlen(what), i;

	for (i = 0; i + w <= n; i++)
		if (!memcmp(s + i, what, w))
			return true;
	return false;
}

/*
 * Where the lines of the domain now called domid start in buf[len]: after
 * the hypervisor's last "(XEN) dN (NAME): created by" line, as ids are
 * used again once a domain is gone (buf itself if there is none: a domain
 * built at boot).
 */
static const char *incarnation_start(const char *buf, unsigned int len,
				     uint32_t domid)
{
	const char *start = buf, *line, *end;
	char prefix[24];
	size_t plen =
		(size_t)snprintf(prefix, sizeof(prefix), "(XEN) d%u (", domid);

	for (line = buf; line < buf + len; line = end + 1) {
		end = memchr(line, '\n', buf + len - line);
		if (!end)
			end = buf + len;
		if ((size_t)(end - line) > plen &&
		    !memcmp(line, prefix, plen) &&
		    contains(line, end - line, "): created by d"))
			start = end + 1;
	}
	return start;
}

/* The domain's own console lines, "(dN) TEXT", from the log ring. */
int xl_console_log(int argc, char **argv)
{
	char prefix[16], *buf, *end;
	const char *line;
	unsigned int len;
	uint32_t domid;
	size_t plen;
	int rc;

	if (argc != 2)
		return 2;
	rc = xl_find_domain("console-log", argv[1], &domid);
	if (rc)
		return rc;
	buf = read_ring("console-log", &len, false);
	if (!buf)
		return 1;
	plen = (size_t)snprintf(prefix, sizeof(prefix), "(d%u) ", domid);
	for (line = incarnation_start(buf, len, domid); line < buf + len;
	     line = end + 1) {
		end = memchr(line, '\n', buf + len - line);
		if (!end)
			end = buf + len;
		if ((size_t)(end - line) < plen || memcmp(line, prefix, plen))
			continue;
		xl_os_write(line + plen, end - line - plen);
		xl_os_write("\n", 1);
	}
	free(buf);
	return 0;
}
