/*
 * xen/common/lib: vsnprintf and the string functions against libc, number
 * and size parsing.
 */
#include "xen-libc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include "harness.h"

#define OUT_MAX 512

/* Both implementations must produce the same text and return value. */
static void compare_v(const char *file, int line, const char *fmt, va_list ap)
{
	char want[OUT_MAX], got[OUT_MAX];
	int nwant, ngot;
	va_list ap2;

	va_copy(ap2, ap);
	nwant = vsnprintf(want, sizeof(want), fmt, ap);
	ngot = xen_vsnprintf(got, sizeof(got), fmt, ap2);
	va_end(ap2);
	if (nwant >= OUT_MAX)
		harness_fail(file, line, "format \"%s\": output too long", fmt);
	if (ngot != nwant || strcmp(got, want))
		harness_fail(file, line,
			     "format \"%s\": got \"%s\" (%d), libc \"%s\" (%d)",
			     fmt, got, ngot, want, nwant);
}

/* For literal formats: the compiler checks them as it checks printk's. */
__attribute__((format(printf, 3, 4))) static void
compare_lit(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	compare_v(file, line, fmt, ap);
	va_end(ap);
}

#define FMT(...) compare_lit(__FILE__, __LINE__, __VA_ARGS__)

/* For generated formats, valid by construction (the format says which). */
static void compare_gen(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	compare_v(NULL, 0, fmt, ap);
	va_end(ap);
}

/* The values around each boundary of hh, h, int and long: see int_value() */
static const unsigned int int_shifts[] = { 0, 7, 8, 15, 16, 31, 32, 63 };
#define INT_VALUES_PER_SHIFT 5
#define NR_INT_VALUES (ARRAY_SIZE(int_shifts) * INT_VALUES_PER_SHIFT)

/* 2^k - 1, 2^k, -2^k, -2^k - 1, and all hex digits at the same size. */
static long long int_value(unsigned int i)
{
	unsigned int k = int_shifts[i / INT_VALUES_PER_SHIFT];
	unsigned long long p = 1ULL << k;

	switch (i % INT_VALUES_PER_SHIFT) {
	case 0:
		return (long long)(p - 1);
	case 1:
		return (long long)p;
	case 2:
		return (long long)-p;
	case 3:
		return (long long)(-p - 1);
	default:
		return (long long)(0xfedcba9876543210ULL >> (63 - k));
	}
}

/* Pass v as the type the length modifier and conversion call for. */
#define PASS_AS(T)                                   \
	do {                                         \
		T x = (T)v;                          \
		if (star_w && star_p)                \
			compare_gen(fmt, sw, sp, x); \
		else if (star_w)                     \
			compare_gen(fmt, sw, x);     \
		else if (star_p)                     \
			compare_gen(fmt, sp, x);     \
		else                                 \
			compare_gen(fmt, x);         \
	} while (0)

static void compare_int(const char *fmt, bool is_signed, const char *len,
			bool star_w, int sw, bool star_p, int sp, long long v)
{
	if (!strcmp(len, "l")) {
		if (is_signed)
			PASS_AS(long);
		else
			PASS_AS(unsigned long);
	} else if (!strcmp(len, "ll")) {
		if (is_signed)
			PASS_AS(long long);
		else
			PASS_AS(unsigned long long);
	} else if (!strcmp(len, "z")) {
		if (is_signed)
			PASS_AS(ssize_t);
		else
			PASS_AS(size_t);
	} else {
		if (is_signed)
			PASS_AS(int);
		else
			PASS_AS(unsigned int);
	}
}

/* One conversion with one set of flags: all widths, precisions, lengths. */
static void compare_conv(char conv, const char *flags)
{
	static const char *const widths[] = { "", "1", "6", "23", "*" };
	static const char *const precs[] = { "",   ".",	  ".0", ".1",
					     ".5", ".21", ".*" };
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "z" };
	static const int stars[] = { -9, 0, 4 };
	bool is_signed = conv == 'd' || conv == 'i';
	unsigned int w, p, l, v, s;
	char fmt[32];

	for (w = 0; w < ARRAY_SIZE(widths); w++) {
		for (p = 0; p < ARRAY_SIZE(precs); p++) {
			bool star_w = widths[w][0] == '*';
			bool star_p = precs[p][0] && precs[p][1] == '*';
			unsigned int nr_stars =
				star_w || star_p ? ARRAY_SIZE(stars) : 1;

			for (l = 0; l < ARRAY_SIZE(lens); l++) {
				snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>",
					 flags, widths[w], precs[p], lens[l],
					 conv);
				for (v = 0; v < NR_INT_VALUES; v++)
					for (s = 0; s < nr_stars; s++)
						compare_int(fmt, is_signed,
							    lens[l], star_w,
							    stars[s], star_p,
							    stars[2 - s],
							    int_value(v));
			}
		}
	}
}

TEST(vsnprintf_integers)
{
	static const struct {
		char conv;
		const char *flags; /* the ones C defines for it */
	} convs[] = {
		{ 'd', "-+ 0" }, { 'i', "-+ 0" }, { 'u', "-0" },
		{ 'x', "-0#" },	 { 'X', "-0#" },  { 'o', "-0#" },
	};
	unsigned int c, f, i;
	char flags[8];

	for (c = 0; c < ARRAY_SIZE(convs); c++) {
		for (f = 0; f < 1U << strlen(convs[c].flags); f++) {
			char *out = flags;

			/* Every subset of the flags. */
			for (i = 0; convs[c].flags[i]; i++)
				if (f & (1U << i))
					*out++ = convs[c].flags[i];
			*out = '\0';
			compare_conv(convs[c].conv, flags);
		}
	}
}

TEST(vsnprintf_strings_chars_pointers)
{
	static const char long_str[] =
		"The quick brown fox jumps over the lazy dog, again and "
		"again and again, until the line is long enough to matter.";
	int local;

	FMT("%s", "hello");
	FMT("%s", "");
	FMT("[%10s]", "hello");
	FMT("[%-10s]", "hello");
	FMT("[%2s]", "hello");
	FMT("[%.3s]", "hello");
	FMT("[%.0s]", "hello");
	FMT("[%.10s]", "hello");
	FMT("[%10.3s]", "hello");
	FMT("[%-10.3s]", "hello");
	FMT("[%.*s]", 2, "hello");
	FMT("[%.*s]", -1, "hello");
	FMT("[%*s]", 7, "ab");
	FMT("[%*s]", -7, "ab");
	FMT("[%s|%s]", long_str, long_str + 40);
	FMT("%c", 'A');
	FMT("%c%c%c", 'x', 'y', 'z');
	FMT("[%5c]", 'q');
	FMT("[%-5c]", 'q');
	FMT("[%*c]", 3, 'q');
	FMT("%c", 0x1ff); /* converted to unsigned char */
	FMT("%p", (void *)&local);
	FMT("%p", (void *)0x1000);
	FMT("[%20p]", (void *)&local);
	FMT("[%-20p]", (void *)0xabcdef);
	FMT("%%");
	FMT("100%% of %d%%", 42);
	FMT("a%%b%%%c%%", 'c');
	FMT("no conversions at all");
	FMT("%s=%d (%#x) %c%% %-4u|%05ld|%+lld|%zu|%p", "key", -17, 255, 'k',
	    9U, 42L, 123456789012LL, (size_t)77, (void *)&local);
	FMT("%hhd %hhu %hd %hu %hhx %ho", 300, 300, 70000, 70000, 0x1ff,
	    0x1ffff);
}

/*
 * Truncated output: the return value is the full length, the buffer holds
 * as much as fits plus a terminator, and nothing is written past size
 * (the buffers are exact-size heap blocks, so AddressSanitizer sees any
 * overrun).
 */
__attribute__((format(printf, 1, 2))) static void
check_truncation(const char *fmt, ...)
{
	char full[OUT_MAX];
	size_t size;
	va_list ap, ap2;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(full, sizeof(full), fmt, ap);
	va_end(ap);

	for (size = 0; size <= (size_t)len + 2; size++) {
		char *buf = size ? malloc(size) : NULL;
		int n;

		if (size && !buf)
			FAIL("out of memory");
		if (buf)
			memset(buf, 0x5a, size);
		va_start(ap2, fmt);
		n = xen_vsnprintf(buf, size, fmt, ap2);
		va_end(ap2);
		if (n != len)
			FAIL("\"%s\" into %zu bytes returned %d, not %d", fmt,
			     size, n, len);
		if (size) {
			size_t kept = min(size - 1, (size_t)len);

			if (memcmp(buf, full, kept) || buf[kept] != '\0')
				FAIL("\"%s\" into %zu bytes: \"%.*s\"", fmt,
				     size, (int)kept, buf);
		}
		free(buf);
	}
}

TEST(vsnprintf_truncation)
{
	check_truncation("%s", "hello, world");
	check_truncation("%d and %x", -123456, 0xbeefU);
	check_truncation("[%-12s|%8.3d]", "left", 42);
	check_truncation("%c%c%%%c", 'a', 'b', 'c');
	check_truncation("%s", "");
	check_truncation("%20p", (void *)0x1234);
	check_truncation("%llu", ULLONG_MAX);
}

TEST(snprintf_is_vsnprintf)
{
	char buf[8];

	CHECK_EQ(xen_snprintf(buf, sizeof(buf), "%d-%s", 1234, "abcdef"), 11);
	CHECK_STR_EQ(buf, "1234-ab");
	CHECK_EQ(xen_snprintf(NULL, 0, "%05d", 7), 5);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/*
 * Random bytes from a small alphabet with high bytes, so that equal runs
 * and unsigned comparisons both happen.
 */
static void fill_random(unsigned char *p, size_t n, uint64_t *seed)
{
	static const unsigned char alphabet[] = { 'a', 'b', 0x7f, 0x80, 0xff };

	while (n--)
		*p++ = alphabet[rnd_below(seed, sizeof(alphabet))];
}

TEST(string_memory_functions)
{
	unsigned char a[256], b[256], want[256], got[256];
	uint64_t seed = test_seed();
	unsigned int i;

	for (i = 0; i < 20000; i++) {
		size_t dst = rnd_below(&seed, 128), src = rnd_below(&seed, 128);
		size_t n = rnd_below(&seed, 128);
		int c = (int)rnd_below(&seed, 512) - 128;

		fill_random(a, sizeof(a), &seed);
		fill_random(b, sizeof(b), &seed);

		memcpy(want, a, sizeof(a));
		memcpy(got, a, sizeof(a));
		memset(want + dst, c, n);
		CHECK(xen_memset(got + dst, c, n) == got + dst);
		CHECK(!memcmp(got, want, sizeof(got)));

		memcpy(want, a, sizeof(a));
		memcpy(got, a, sizeof(a));
		memcpy(want + dst, b + src, n);
		CHECK(xen_memcpy(got + dst, b + src, n) == got + dst);
		CHECK(!memcmp(got, want, sizeof(got)));

		/* Overlapping, in both directions. */
		memcpy(want, a, sizeof(a));
		memcpy(got, a, sizeof(a));
		memmove(want + dst, want + src, n);
		CHECK(xen_memmove(got + dst, got + src, n) == got + dst);
		CHECK(!memcmp(got, want, sizeof(got)));

		/* Mostly equal prefixes, then one random difference. */
		memcpy(b, a, sizeof(a));
		b[rnd_below(&seed, sizeof(b))] = (unsigned char)c;
		CHECK_EQ(sign(xen_memcmp(a + src, b + src, n)),
			 sign(memcmp(a + src, b + src, n)));
	}
}

TEST(string_str_functions)
{
	char a[64], b[64], dst[80];
	uint64_t seed = test_seed();
	unsigned int i;

	for (i = 0; i < 20000; i++) {
		size_t la = rnd_below(&seed, sizeof(a));
		size_t lb = rnd_below(&seed, sizeof(b));
		size_t n = rnd_below(&seed, 70), size, len;
		int c = (int)rnd_below(&seed, 256) - 128;
		char *want;

		fill_random((unsigned char *)a, la, &seed);
		fill_random((unsigned char *)b, lb, &seed);
		a[la] = b[lb] = '\0';
		if (rnd_below(&seed, 4) == 0) /* b: a prefix of a */
			strcpy(b, a + la / 2);

		CHECK_EQ(xen_strlen(a), strlen(a));
		CHECK_EQ(xen_strnlen(a, n), strnlen(a, n));
		CHECK_EQ(sign(xen_strcmp(a, b)), sign(strcmp(a, b)));
		CHECK_EQ(sign(xen_strncmp(a, b, n)), sign(strncmp(a, b, n)));
		CHECK_EQ(xen_strcmp(a, a), 0);
		CHECK(xen_strchr(a, c) == strchr(a, c));
		CHECK(xen_strchr(a, 0) == a + la);
		CHECK(xen_strstr(a, b) == strstr(a, b));
		CHECK(xen_strstr(a, a + la / 3) == strstr(a, a + la / 3));
		CHECK(xen_strstr(a, "") == a);

		/* strlcpy: BSD semantics; glibc 2.36 has no strlcpy. */
		size = rnd_below(&seed, la + 3);
		memset(dst, '#', sizeof(dst));
		CHECK_EQ(xen_strlcpy(dst, a, size), la);
		len = size ? (size - 1 < la ? size - 1 : la) : 0;
		CHECK(!memcmp(dst, a, len));
		if (size)
			CHECK_EQ(dst[len], '\0');
		want = dst + len + (size ? 1 : 0);
		while (want < dst + sizeof(dst))
			CHECK_EQ(*want++, '#');
	}
}

struct dec_case {
	const char *s;
	int rc;
	unsigned long long value; /* when rc == 0 */
	size_t consumed;
};

TEST(parse_dec_cases)
{
	static const struct dec_case cases[] = {
		{ "0", 0, 0, 1 },
		{ "123", 0, 123, 3 },
		{ "123abc", 0, 123, 3 },
		{ "017", 0, 17, 3 }, /* not octal */
		{ "0x1F", 0, 0, 1 }, /* not hex: stops at the x */
		{ "", -EINVAL, 0, 0 },
		{ "x12", -EINVAL, 0, 0 },
		{ "-1", -EINVAL, 0, 0 },
		{ "+1", -EINVAL, 0, 0 },
		{ " 1", -EINVAL, 0, 0 },
		{ "18446744073709551615", 0, ULLONG_MAX, 20 },
		{ "018446744073709551615", 0, ULLONG_MAX, 21 },
		{ "18446744073709551616", -ERANGE, 0, 20 },
		{ "18446744073709551620", -ERANGE, 0, 20 },
		{ "99999999999999999999", -ERANGE, 0, 20 },
		{ "4294967297", 0, 4294967297ULL, 10 },
		{ "999999999999999999999999999999,x", -ERANGE, 0, 30 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *end = NULL;
		unsigned long long v = 12345;
		int rc = parse_dec(cases[i].s, &end, &v);

		if (rc != cases[i].rc || v != (rc ? 12345 : cases[i].value) ||
		    (size_t)(end - cases[i].s) != cases[i].consumed)
			FAIL("parse_dec(\"%s\") = %d, %llu, %zu chars; "
			     "expected %d, %llu, %zu chars",
			     cases[i].s, rc, v, (size_t)(end - cases[i].s),
			     cases[i].rc, cases[i].value, cases[i].consumed);
	}
	CHECK_EQ(parse_dec("42", NULL, &(unsigned long long){ 0 }), 0);
}

/* Every value, and every value past the top, against libc's strtoull. */
TEST(parse_dec_random_against_libc)
{
	uint64_t seed = test_seed();
	unsigned int i;

	for (i = 0; i < 30000; i++) {
		unsigned long long v = rnd(&seed) >> rnd_below(&seed, 64), got;
		char s[48];
		const char *end;
		int n, rc;

		n = snprintf(s, sizeof(s), "%llu", v);
		/* Now and then one digit more: past the top, or not. */
		if (rnd_below(&seed, 4) == 0)
			s[n++] = (char)('0' + rnd_below(&seed, 10));
		s[n] = '\0';
		errno = 0;
		v = strtoull(s, NULL, 10);
		rc = parse_dec(s, &end, &got);
		CHECK_EQ(end - s, n);
		if (errno == ERANGE) {
			CHECK_EQ(rc, -ERANGE);
		} else {
			CHECK_EQ(rc, 0);
			CHECK_EQ(got, v);
		}
	}
}

struct size_case {
	const char *s;
	int rc;
	unsigned long long value; /* when rc == 0 */
};

TEST(parse_size_cases)
{
	static const struct size_case cases[] = {
		{ "64M", 0, 64ULL << 20 },
		{ "64m", 0, 64ULL << 20 },
		{ "1G", 0, 1ULL << 30 },
		{ "3g", 0, 3ULL << 30 },
		{ "4096K", 0, 4096ULL << 10 },
		{ "7k", 0, 7ULL << 10 },
		{ "512", 0, 512 },
		{ "512B", 0, 512 },
		{ "010K", 0, 10ULL << 10 },
		{ "1024G", 0, 1ULL << 40 },
		{ "0", 0, 0 },
		{ "17179869183G", 0, 17179869183ULL << 30 },
		{ "17179869184G", -ERANGE, 0 },
		{ "17592186044415M", 0, 17592186044415ULL << 20 },
		{ "17592186044416M", -ERANGE, 0 },
		{ "18014398509481983K", 0, 18014398509481983ULL << 10 },
		{ "18014398509481984K", -ERANGE, 0 },
		{ "18446744073709551615", 0, ULLONG_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "99999999999999999999M", -ERANGE, 0 },
		{ "0x10M", -EINVAL, 0 },
		{ "512b,x", -EINVAL, 0 },
		{ "16M,rest", -EINVAL, 0 },
		{ "5T", -EINVAL, 0 },
		{ "8MB", -EINVAL, 0 },
		{ "M", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "-1M", -EINVAL, 0 },
		{ "99999999999999999999Q", -EINVAL, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long long v = 12345;
		int rc = parse_size(cases[i].s, &v);

		if (rc != cases[i].rc || v != (rc ? 12345 : cases[i].value))
			FAIL("parse_size(\"%s\") = %d, %llu; expected %d, %llu",
			     cases[i].s, rc, v, cases[i].rc, cases[i].value);
	}
}
