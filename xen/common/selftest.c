/* The self-test runner. */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/selftest.h>
#include <xen/shutdown.h>
#include <xen/spinlock.h>
#include <asm/time.h>

extern const struct selftest __selftest_start[], __selftest_end[];

static bool opt_selftest;
/* Holds any value the command line passes on (see PARAM_OPTION_MAX). */
static char selftest_pattern[PARAM_OPTION_MAX] = "*";

static int parse_selftest(const char *s)
{
	if (s && strlen(s) >= sizeof(selftest_pattern))
		return -E2BIG;
	if (s)
		strlcpy(selftest_pattern, s, sizeof(selftest_pattern));
	opt_selftest = true;
	exit_emulator_when_done = true;
	return 0;
}
custom_param("selftest", parse_selftest);

bool selftest_requested(void)
{
	return opt_selftest;
}

static bool selected(const char *name)
{
	const char *p = selftest_pattern;

	while (*p) {
		const char *end = strchr(p, ',');

		if (!end)
			end = p + strlen(p);
		if (glob_match(p, end, name))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

void selftest_run(void)
{
	const struct selftest *t;
	unsigned int passed = 0, failed = 0, skipped = 0;

	printk("selftest: running tests matching '%s'\n", selftest_pattern);
	for (t = __selftest_start; t < __selftest_end; t++) {
		enum test_result r;
		s_time_t start;
		const char *verdict;

		if (!selected(t->name))
			continue;
		start = NOW();
		r = t->fn();
		if (atomic_depth()) {
			printk("  %s returned holding locks (depth %u)\n",
			       t->name, atomic_depth());
			r = TEST_FAIL;
		}
		switch (r) {
		case TEST_PASS:
			passed++;
			verdict = "PASS";
			break;
		case TEST_SKIP:
			skipped++;
			verdict = "SKIP";
			break;
		default:
			failed++;
			verdict = "FAIL";
			break;
		}
		printk("selftest [%s] %s (%lu ms)\n", verdict, t->name,
		       (unsigned long)((NOW() - start) / MILLISECS(1)));
	}
	printk("selftest: %u passed, %u failed, %u skipped\n", passed, failed,
	       skipped);
	if (exit_emulator_when_done)
		emulator_exit(failed == 0 && passed > 0);
}
