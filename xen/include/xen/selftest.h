/*
 * The in-hypervisor self-test suite. Declare a test next to the code it
 * tests:
 *
 *   SELFTEST(alloc_scrub)
 *   {
 *           CHECK(page != NULL);
 *           return TEST_PASS;
 *   }
 *
 * With `selftest[=PATTERN[,PATTERN...]]` on the command line the tests
 * whose names match (glob: * and ?) run after boot with all CPUs up, one
 * log line each, then one summary line
 * `selftest: N passed, M failed, K skipped` (SKIP: a test that cannot run
 * here, saying why).
 */
#ifndef XEN_SELFTEST_H
#define XEN_SELFTEST_H

#include <xen/compiler.h>
#include <xen/lib.h>

enum test_result { TEST_PASS = 0, TEST_SKIP = 1, TEST_FAIL = -1 };

struct selftest {
	const char *name;
	enum test_result (*fn)(void);
};

#define SELFTEST(n)                                                      \
	static enum test_result selftest_##n(void);                      \
	static const struct selftest __used __section(".selftest")       \
		__aligned(8) __selftest_desc_##n = { #n, selftest_##n }; \
	static enum test_result selftest_##n(void)

/* Log where a check failed and fail the test. */
#define CHECK(cond)                                                     \
	do {                                                            \
		if (unlikely(!(cond))) {                                \
			printk("  %s:%d: check failed: %s\n", __FILE__, \
			       __LINE__, #cond);                        \
			return TEST_FAIL;                               \
		}                                                       \
	} while (0)

#define SKIP(why)                               \
	do {                                    \
		printk("  skipped: %s\n", why); \
		return TEST_SKIP;               \
	} while (0)

/* Run the selected tests; ends the emulator when exit is set. */
void selftest_run(void);
bool selftest_requested(void);

/* A small per-caller pseudo-random generator for tests (xorshift64*). */
static inline u64 test_rand(u64 *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ULL;
}

#endif
