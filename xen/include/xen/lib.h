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

unsigned long simple_strtoul(const char *cp, const char **endp,
			     unsigned int base);
unsigned long long parse_size_and_unit(const char *s, const char **ps);

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
