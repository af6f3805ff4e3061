/* Self-test: backtraces can name the functions they pass through. */
#include <xen/selftest.h>
#include <xen/symbols.h>

SELFTEST(symbol_lookup)
{
	unsigned long off = 0;
	const char *name;

	name = symbol_lookup((unsigned long)selftest_symbol_lookup + 5, &off);
	CHECK(name && !strcmp(name, "selftest_symbol_lookup"));
	CHECK(off == 5);
	name = symbol_lookup((unsigned long)symbol_lookup, &off);
	CHECK(name && !strcmp(name, "symbol_lookup") && off == 0);
	CHECK(!symbol_lookup(0x1000, &off));
	return TEST_PASS;
}
