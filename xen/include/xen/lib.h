/* Core library: logging, assertions, arithmetic helpers. */
#ifndef XEN_LIB_H
#define XEN_LIB_H

#include <stdarg.h>
#include <xen/bitops.h>
#include <xen/compiler.h>
#include <xen/string.h>
#include <xen/types.h>

/*
 * printk levels, as a prefix string: printk(XENLOG_WARNING "..."). Each is
 * the byte 001 then the level digit ("\0010" is \001 followed by '0').
 */
#define XENLOG_ERR "\0010"
#define XENLOG_WARNING "\0011"
#define XENLOG_INFO "\0012"
#define XENLOG_DEBUG "\0013"

enum { LOGLVL_ERR, LOGLVL_WARNING, LOGLVL_INFO, LOGLVL_DEBUG };

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list args);
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/*
 * For a function that says why it refused its input: the formatted reason
 * goes to why[size] (cut to fit), and the result is err.
 */
int refuse(int err, char *why, size_t size, const char *fmt, ...)
	__printf(4, 5);

/*
 * Decimal numbers (no 0x, a leading 0 is not octal): 0, -EINVAL when s does
 * not start with a digit, -ERANGE when the number does not fit. *v is set
 * only on success; *end (if given) is left past the digits.
 */
int parse_dec(const char *s, const char **end, unsigned long long *v);
/*
 * A whole string that is a size: decimal bytes, or with a K, M or G suffix
 * (KiB, MiB, GiB; either case) or B (bytes). 0, -EINVAL or -ERANGE.
 */
int parse_size(const char *s, unsigned long long *v);

/*
 * Whether the whole NUL-terminated s matches the pattern [p, pend): '*'
 * matches any run of characters, '?' any one, anything else itself. Time
 * at most linear in each: (pend - p) * strlen(s) steps.
 */
bool glob_match(const char *p, const char *pend, const char *s);

__noreturn void assert_failed(const char *expr, const char *file, int line);

#ifndef NDEBUG
#define ASSERT(p)                                              \
	do {                                                   \
		if (unlikely(!(p)))                            \
			assert_failed(#p, __FILE__, __LINE__); \
	} while (0)
#else
#define ASSERT(p) ((void)sizeof(!!(p)))
#endif

#define BUG() assert_failed("BUG", __FILE__, __LINE__)
#define BUG_ON(p)                                                       \
	do {                                                            \
		if (unlikely(p))                                        \
			assert_failed("!(" #p ")", __FILE__, __LINE__); \
	} while (0)

#define min(a, b)                       \
	({                              \
		__typeof__(a) _a = (a); \
		__typeof__(b) _b = (b); \
		_a < _b ? _a : _b;      \
	})
#define max(a, b)                       \
	({                              \
		__typeof__(a) _a = (a); \
		__typeof__(b) _b = (b); \
		_a > _b ? _a : _b;      \
	})

#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define ROUNDUP(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ROUNDDOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#endif
