/*
 * `selftest [DOMID]`: dom0 checks its own kernel. One line per check,
 * "selftest: NAME: PASS" or "selftest: NAME: FAIL: why", then
 * "selftest: N passed, N failed"; the command fails if a check did. The
 * checks are in selftest_sched.c, selftest_mem.c, selftest_xen.c and
 * selftest_libs.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include <minios/kernel.h>
#include <minios/shell.h>

#include "selftest.h"

char selftest_why[160];

static const struct {
	const char *name;
	const char *(*fn)(void);
} checks[] = {
	{ "threads", check_threads },
	{ "sleep", check_sleep },
	{ "sleepers", check_sleepers },
	{ "timers", check_timers },
	{ "waitq", check_waitq },
	{ "waitq-deadline", check_waitq_deadline },
	{ "malloc", check_malloc },
	{ "evtchn", check_evtchn },
	{ "foreign", check_foreign },
	{ "hypercall", check_hypercall },
	{ "libs", check_libs },
};

static void report(const char *name, const char *bad, unsigned int *passed,
		   unsigned int *failed)
{
	if (bad) {
		printf("selftest: %s: FAIL: %s\n", name, bad);
		(*failed)++;
	} else {
		printf("selftest: %s: PASS\n", name);
		(*passed)++;
	}
}

static int cmd_selftest(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0;
	unsigned long target = 0;
	char *end;

	if (argc > 2 ||
	    (argc == 2 && ((target = strtoul(argv[1], &end, 10)) == 0 || *end ||
			   target >= DOMID_SELF))) {
		printf("usage: selftest [DOMID]\n");
		return 1;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(checks); i++)
		report(checks[i].name, checks[i].fn(), &passed, &failed);
	if (target)
		report("foreign-domain", check_foreign_domain(target), &passed,
		       &failed);
	printf("selftest: %u passed, %u failed\n", passed, failed);
	return failed != 0;
}

static struct command selftest_cmd = {
	.name = "selftest",
	.args = "[DOMID]",
	.help = "check dom0's kernel (and map pages of domain DOMID)",
	.fn = cmd_selftest,
};

void selftest_init(void)
{
	command_register(&selftest_cmd);
}
