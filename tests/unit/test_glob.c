/*
 * xen/common/lib/glob.c: glob_match() gives the textbook answer ('*' any
 * run, '?' any one character) on fixed and random cases, and takes
 * linear time where a backtracking matcher takes exponential time (the
 * `selftest=` pattern with 26 stars that hung the boot).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <xen/lib.h>

#include "harness.h"

static bool match(const char *pattern, const char *s)
{
	return glob_match(pattern, pattern + strlen(pattern), s);
}

/* The definition, by recursion: exponential, for short inputs only. */
static bool reference(const char *p, const char *s)
{
	if (!*p)
		return !*s;
	if (*p == '*')
		return reference(p + 1, s) || (*s && reference(p, s + 1));
	return *s && (*p == '?' || *p == *s) && reference(p + 1, s + 1);
}

struct glob_case {
	const char *pattern, *s;
	bool want;
};

TEST(glob_cases)
{
	static const struct glob_case cases[] = {
		{ "", "", true },
		{ "", "a", false },
		{ "*", "", true },
		{ "*", "alloc_scrub", true },
		{ "alloc_scrub", "alloc_scrub", true },
		{ "alloc_scrub", "alloc_scru", false },
		{ "alloc_scru", "alloc_scrub", false },
		{ "alloc_*", "alloc_scrub", true },
		{ "alloc_*", "lock_trylock", false },
		{ "*_trylock", "lock_trylock", true },
		{ "*lock*", "lock_rank_inversion_caught", true },
		{ "*lock*", "alloc_scrub", false },
		{ "lock_?rylock", "lock_trylock", true },
		{ "lock_?rylock", "lock_rylock", false },
		{ "?", "", false },
		{ "??", "ab", true },
		{ "a*b*c", "aXbYc", true },
		{ "a*b*c", "aXbYcZ", false },
		{ "a*b", "abab", true },
		{ "*ab", "aab", true },
		{ "**", "x", true },
		{ "*?", "", false },
		{ "*?*", "x", true },
		{ "a**b", "ab", true },
		{ "ab*", "a", false },
		/* '*' in the string is an ordinary character. */
		{ "a?c", "a*c", true },
		{ "a*c", "a*c", true },
		{ "abc", "a*c", false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (match(cases[i].pattern, cases[i].s) != cases[i].want)
			FAIL("glob '%s' on '%s': %d, expected %d",
			     cases[i].pattern, cases[i].s, !cases[i].want,
			     cases[i].want);
}

/* The pattern is [p, pend): what follows pend is not part of it. */
TEST(glob_pattern_ends_at_pend)
{
	static const char list[] = "alloc_*,lock_*";

	CHECK(glob_match(list, list + 7, "alloc_scrub"));
	CHECK(!glob_match(list, list + 7, "lock_trylock"));
	CHECK(glob_match(list + 8, list + 14, "lock_trylock"));
	CHECK(!glob_match(list, list + 5, "alloc_"));
}

TEST(glob_random_against_reference)
{
	static const char pchars[] = "ab*?", schars[] = "ab";
	uint64_t seed = test_seed();
	unsigned int i, j;

	for (i = 0; i < 200000; i++) {
		char p[10], s[12];
		unsigned int np = rnd_below(&seed, sizeof(p));
		unsigned int ns = rnd_below(&seed, sizeof(s));

		for (j = 0; j < np; j++)
			p[j] = pchars[rnd_below(&seed, 4)];
		p[np] = '\0';
		for (j = 0; j < ns; j++)
			s[j] = schars[rnd_below(&seed, 2)];
		s[ns] = '\0';
		if (match(p, s) != reference(p, s))
			FAIL("glob '%s' on '%s': %d, expected %d", p, s,
			     match(p, s), reference(p, s));
	}
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Stars and a tail that does not match: a backtracking matcher tries
 * every way of sharing the string among the stars (C(86, 26) for the
 * first case); this one is done in (pattern * string) steps.
 */
TEST(glob_many_stars_linear)
{
	static char s[4001], p[2002];
	double start = seconds();

	memset(s, 'a', 60);
	s[60] = '\0';
	memset(p, '*', 26);
	strcpy(p + 26, "b");
	CHECK(!match(p, s));
	strcpy(p + 26, "symbol_lookup");
	CHECK(match(p, "symbol_lookup"));
	CHECK(!match(p, "waitqueue_sleep_in_atomic_crashes_domain"));

	memset(s, 'a', 4000);
	memset(p, '*', 2000);
	strcpy(p + 2000, "b");
	CHECK(!match(p, s));
	p[2000] = 'a';
	CHECK(match(p, s));
	if (seconds() - start > 2)
		FAIL("took %.1f s", seconds() - start);
}
