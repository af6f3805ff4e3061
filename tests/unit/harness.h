/*
 * A small unit-test framework for hypervisor code compiled on the host.
 *
 *   TEST(alloc_order0)
 *   {
 *           CHECK(pg != NULL);
 *           CHECK_EQ(total_free_pages(), before);
 *   }
 *
 * Every test runs in a forked child of the runner, with fresh global state
 * (heap, frame table, locks) and a time limit. A failed check, a panic the
 * test did not expect or a sanitizer report fails that test only; the
 * runner prints `PASS name` or `FAIL name: reason` per test and ends with
 * `N passed, M failed`.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct test_case {
	const char *name;
	const char *file;
	int line;
	void (*fn)(void);
	/* Tests registered by harness_register_fn(): fn_arg(arg) instead. */
	void (*fn_arg)(const void *arg);
	const void *arg;
	unsigned int seq; /* registration order */
	struct test_case *next;
};

void harness_register(struct test_case *t);

#define TEST(n)                                                                \
	static void test_##n(void);                                            \
	static struct test_case test_case_##n = {                              \
		.name = #n, .file = __FILE__, .line = __LINE__, .fn = test_##n \
	};                                                                     \
	__attribute__((constructor)) static void test_register_##n(void)       \
	{                                                                      \
		harness_register(&test_case_##n);                              \
	}                                                                      \
	static void test_##n(void)

/*
 * A test made at run time, from a constructor: one per entry of a table,
 * per backend, ... fn(arg) runs as test name (copied). Such tests sort
 * with the TEST()s by file and line, then in the order registered.
 */
void harness_register_fn(const char *name, const char *file, int line,
			 void (*fn)(const void *arg), const void *arg);

/* Fail the running test (from any of its threads); does not return. */
__attribute__((noreturn, format(printf, 3, 4))) void
harness_fail(const char *file, int line, const char *fmt, ...);

#define FAIL(...) harness_fail(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(cond)                                      \
	do {                                             \
		if (!(cond))                             \
			FAIL("check failed: %s", #cond); \
	} while (0)

/* Integers or pointers; the values are shown signed and in hex. */
#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		unsigned long long a_ = (unsigned long long)(a);            \
		unsigned long long b_ = (unsigned long long)(b);            \
		if (a_ != b_)                                               \
			FAIL("check failed: %s == %s: %lld (%#llx) != "     \
			     "%lld (%#llx)",                                \
			     #a, #b, (long long)a_, a_, (long long)b_, b_); \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                   \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (strcmp(a_, b_))                                          \
			FAIL("check failed: %s == %s: \"%s\" != \"%s\"", #a, \
			     #b, a_, b_);                                    \
	} while (0)

/*
 * Run stmt, which must panic (or fail an assertion): the panic unwinds
 * back here and the test goes on; harness_panic_message() has the text.
 * Locks and other state stmt left behind are the test's to clean up.
 */
#define EXPECT_PANIC(stmt)                                \
	do {                                              \
		sigjmp_buf jb_;                           \
		if (!sigsetjmp(jb_, 0)) {                 \
			harness_catch_panic(&jb_);        \
			stmt;                             \
			harness_catch_panic(NULL);        \
			FAIL("no panic from: %s", #stmt); \
		}                                         \
	} while (0)

/* Where the calling thread's next panic unwinds to (NULL: fail the test) */
void harness_catch_panic(sigjmp_buf *jb);
/* The calling thread's last panic message (without trailing newline). */
const char *harness_panic_message(void);
/* Called by panic() with its message; does not return. */
__attribute__((noreturn)) void harness_panic(const char *msg);

/*
 * Whether the running test's output so far (printk's lines with their
 * "(XEN) ", anything on stdout or stderr) contains s.
 */
bool harness_output_contains(const char *s);

/*
 * Seed for a test's random choices: UNIT_SEED from the environment, else a
 * fixed value. A test that used it has the seed shown when it fails.
 */
uint64_t test_seed(void);

/* xorshift64*: a small, good enough, reproducible generator. */
static inline uint64_t rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ULL;
}

/* Uniform enough in [0, n) for tests (n > 0). */
static inline uint64_t rnd_below(uint64_t *state, uint64_t n)
{
	return rnd(state) % n;
}

#endif
