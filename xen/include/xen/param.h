/*
 * Command-line options, declared next to the code that uses them:
 *
 *   static bool opt_foo;
 *   boolean_param("foo", opt_foo);      foo, foo=1, no-foo, foo=off
 *   integer_param("n", opt_n);          n=12 (decimal only)
 *   integer_param_range("n", opt_n, 1, 100);    and between 1 and 100
 *   size_param("sz", opt_sz);           sz=64M (decimal, K/M/G/B suffix)
 *   string_param("s", opt_s);           s=text (char array)
 *   custom_param("c", parse_fn);        parse_fn(value or NULL) -> 0/-errno
 *
 * Unknown options are reported on the console. A refused value (malformed,
 * too big for the variable, too long for the array, or a parse_fn error)
 * is reported and leaves the variable as it was: a custom parse_fn must
 * change nothing when it fails.
 */
#ifndef XEN_PARAM_H
#define XEN_PARAM_H

#include <xen/compiler.h>
#include <xen/types.h>

enum param_type { PARAM_BOOL, PARAM_UINT, PARAM_SIZE, PARAM_STR, PARAM_CUSTOM };

struct kernel_param {
	const char *name;
	enum param_type type;
	void *var;
	size_t len;
	int (*fn)(const char *val);
	/* Numbers: the range allowed, when max is not 0. */
	unsigned long long min, max;
};

#define __param(n, t, v, l, f)                                             \
	static const struct kernel_param __used __section(".param")        \
		__aligned(8) __param_##v = {                               \
			.name = n, .type = t, .var = &v, .len = l, .fn = f \
		}

#define boolean_param(n, v) __param(n, PARAM_BOOL, v, sizeof(v), NULL)
#define integer_param(n, v) __param(n, PARAM_UINT, v, sizeof(v), NULL)
#define integer_param_range(n, v, lo, hi)                           \
	static const struct kernel_param __used __section(".param") \
		__aligned(8) __param_##v = { .name = n,             \
					     .type = PARAM_UINT,    \
					     .var = &v,             \
					     .len = sizeof(v),      \
					     .min = lo,             \
					     .max = hi }
#define size_param(n, v) __param(n, PARAM_SIZE, v, sizeof(v), NULL)
#define string_param(n, v) __param(n, PARAM_STR, v, sizeof(v), NULL)
#define custom_param(n, f)                                                     \
	static const struct kernel_param __used __section(".param") __aligned( \
		8) __param_##f = { .name = n, .type = PARAM_CUSTOM, .fn = f }

/* An option NAME=VALUE is at most PARAM_OPTION_MAX - 1 characters. */
#define PARAM_OPTION_MAX 1024

/*
 * Apply every option in cmdline, which must stay as it is: saved_cmdline()
 * returns it, whole, from then on ("" before).
 */
void cmdline_parse(const char *cmdline);
const char *saved_cmdline(void);

#endif
