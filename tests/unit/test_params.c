/*
 * xen/common/params.c: hypervisor command-line options. Numbers are
 * decimal and must fit their variable, sizes take K/M/G/B, strings must
 * fit their array; a refused value is reported with the option's name and
 * leaves the variable as it was (never truncated and applied). A command
 * line of any length is parsed whole.
 *
 * The options under test are declared here in a section of their own,
 * whose bounds the linker provides (__start_/__stop_unit_params); printk
 * is captured.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xen-libc.h"
#include <xen/errno.h>
#include <xen/param.h>

void params_printk(const char *fmt, ...);

#define strlcpy xen_strlcpy
#define printk params_printk
#define __param_start __start_unit_params
#define __param_end __stop_unit_params
#include "../../xen/common/params.c"
#undef printk
#undef strlcpy

#include "harness.h"

static char log_buf[8192];

void params_printk(const char *fmt, ...)
{
	size_t len = strlen(log_buf);
	va_list ap;

	if (fmt[0] == '\001')
		fmt += 2;
	va_start(ap, fmt);
	vsnprintf(log_buf + len, sizeof(log_buf) - len, fmt, ap);
	va_end(ap);
}

static u8 opt_u8 = 7;
static u16 opt_u16 = 7;
static u32 opt_u32 = 7;
static u64 opt_u64 = 7;
static unsigned long opt_size = 7;
static unsigned int opt_size32 = 7;
static u32 opt_ranged = 10;
static bool opt_flag;
static char opt_str[8] = "dflt";
static int custom_rc;
static char custom_seen[64];

static int parse_custom(const char *s)
{
	snprintf(custom_seen, sizeof(custom_seen), "%s", s ? s : "(null)");
	return custom_rc;
}

#define UNIT_PARAM(n, t, v, f)                                                \
	static const struct kernel_param __attribute__((                      \
		used, section("unit_params"), aligned(8))) unit_param_##n = { \
		.name = #n, .type = t, .var = v, .len = sizeof(*v), .fn = f   \
	}

UNIT_PARAM(u8, PARAM_UINT, &opt_u8, NULL);
UNIT_PARAM(u16, PARAM_UINT, &opt_u16, NULL);
UNIT_PARAM(u32, PARAM_UINT, &opt_u32, NULL);
UNIT_PARAM(u64, PARAM_UINT, &opt_u64, NULL);
UNIT_PARAM(size, PARAM_SIZE, &opt_size, NULL);
UNIT_PARAM(size32, PARAM_SIZE, &opt_size32, NULL);
UNIT_PARAM(flag, PARAM_BOOL, &opt_flag, NULL);
UNIT_PARAM(str, PARAM_STR, &opt_str, NULL);
static const struct kernel_param
	__attribute__((used, section("unit_params"), aligned(8)))
	unit_param_ranged = { .name = "ranged",
			      .type = PARAM_UINT,
			      .var = &opt_ranged,
			      .len = sizeof(opt_ranged),
			      .min = 1,
			      .max = 1000 };
static const struct kernel_param
	__attribute__((used, section("unit_params"), aligned(8)))
	unit_param_custom = { .name = "custom",
			      .type = PARAM_CUSTOM,
			      .fn = parse_custom };

static void parse(const char *cmdline)
{
	log_buf[0] = '\0';
	cmdline_parse(cmdline);
}

/* The log is exactly these lines. */
#define CHECK_LOG(want) CHECK_STR_EQ(log_buf, want)

TEST(params_numbers_in_range)
{
	parse("u8=255 u16=65535 u32=4294967295 u64=18446744073709551615 "
	      "size=32M size32=4095M");
	CHECK_LOG("");
	CHECK_EQ(opt_u8, 255);
	CHECK_EQ(opt_u16, 65535);
	CHECK_EQ(opt_u32, 4294967295U);
	CHECK_EQ(opt_u64, 18446744073709551615ULL);
	CHECK_EQ(opt_size, 32UL << 20);
	CHECK_EQ(opt_size32, 4095U << 20);
	parse("u32=010 size=4096");
	CHECK_EQ(opt_u32, 10);
	CHECK_EQ(opt_size, 4096);
}

/* Out of range: refused, reported, the old value kept (not truncated). */
TEST(params_numbers_out_of_range_refused)
{
	parse("u8=256 u16=65536 u32=4294967297 u64=18446744073709551616 "
	      "u32=99999999999999999999 size=99999999999999999999M "
	      "size32=4G size=17179869184G");
	CHECK_LOG("option 'u8=256' refused: out of range (at most 255)\n"
		  "option 'u16=65536' refused: out of range (at most 65535)\n"
		  "option 'u32=4294967297' refused: out of range (at most "
		  "4294967295)\n"
		  "option 'u64=18446744073709551616' refused: out of range (at "
		  "most 18446744073709551615)\n"
		  "option 'u32=99999999999999999999' refused: out of range (at "
		  "most 4294967295)\n"
		  "option 'size=99999999999999999999M' refused: out of range "
		  "(at most 18446744073709551615)\n"
		  "option 'size32=4G' refused: out of range (at most "
		  "4294967295)\n"
		  "option 'size=17179869184G' refused: out of range (at most "
		  "18446744073709551615)\n");
	CHECK_EQ(opt_u8, 7);
	CHECK_EQ(opt_u16, 7);
	CHECK_EQ(opt_u32, 7);
	CHECK_EQ(opt_u64, 7);
	CHECK_EQ(opt_size, 7);
	CHECK_EQ(opt_size32, 7);
}

TEST(params_numbers_outside_their_range_refused)
{
	parse("ranged=0 ranged=1001 ranged=99999999999999999999");
	CHECK_LOG("option 'ranged=0' refused: out of range (1 to 1000)\n"
		  "option 'ranged=1001' refused: out of range (1 to 1000)\n"
		  "option 'ranged=99999999999999999999' refused: out of range "
		  "(1 to 1000)\n");
	CHECK_EQ(opt_ranged, 10);
	parse("ranged=1 ranged=1000");
	CHECK_LOG("");
	CHECK_EQ(opt_ranged, 1000);
}

TEST(params_numbers_malformed_refused)
{
	parse("u32=0x10 u32=-1 u32=12abc u32= u32 size=16Q size=0x10M size=");
	CHECK_LOG("option 'u32=0x10' refused: not a decimal number\n"
		  "option 'u32=-1' refused: not a decimal number\n"
		  "option 'u32=12abc' refused: not a decimal number\n"
		  "option 'u32=' refused: a value is required\n"
		  "option 'u32' refused: a value is required\n"
		  "option 'size=16Q' refused: not a size (decimal, optional K, "
		  "M, G or B suffix)\n"
		  "option 'size=0x10M' refused: not a size (decimal, optional "
		  "K, M, G or B suffix)\n"
		  "option 'size=' refused: a value is required\n");
	CHECK_EQ(opt_u32, 7);
	CHECK_EQ(opt_size, 7);
}

TEST(params_strings_fit_or_refused)
{
	parse("str=1234567");
	CHECK_LOG("");
	CHECK_STR_EQ(opt_str, "1234567");
	parse("str=12345678 str");
	CHECK_LOG("option 'str=12345678' refused: too long (at most 7 "
		  "characters)\n"
		  "option 'str' refused: a value is required\n");
	CHECK_STR_EQ(opt_str, "1234567");
}

TEST(params_booleans)
{
	parse("flag");
	CHECK(opt_flag);
	parse("no-flag");
	CHECK(!opt_flag);
	parse("flag=on flag=maybe");
	CHECK(opt_flag);
	CHECK_LOG("option 'flag=maybe' refused: not a boolean (1/0, on/off, "
		  "yes/no, true/false, enable/disable)\n");
	parse("no-u32 nosuch");
	CHECK_LOG("unknown command line option 'no-u32'\n"
		  "unknown command line option 'nosuch'\n");
}

TEST(params_custom_errors_named)
{
	custom_rc = 0;
	parse("custom=a=b");
	CHECK_LOG("");
	CHECK_STR_EQ(custom_seen, "a=b");
	custom_rc = -ERANGE;
	parse("custom=1");
	CHECK_LOG("option 'custom=1' refused: out of range\n");
	custom_rc = -E2BIG;
	parse("custom");
	CHECK_STR_EQ(custom_seen, "(null)");
	CHECK_LOG("option 'custom' refused: too long\n");
	custom_rc = -EINVAL;
	parse("custom=");
	CHECK_LOG("option 'custom=' refused: bad value\n");
}

/*
 * 8 KiB of command line, far past the 1024 bytes once kept: the options
 * at its end still apply, and saved_cmdline() is all of it. One option
 * longer than PARAM_OPTION_MAX - 1 is refused; its neighbours apply.
 */
TEST(params_long_cmdline_whole)
{
	size_t n = 8192, i;
	char *s = malloc(n + 64);

	for (i = 0; i + 8 <= n; i += 8)
		memcpy(s + i, "flag=1  ", 8);
	strcpy(s + n, "u32=42 size=1G");
	parse(s);
	CHECK_LOG("");
	CHECK_EQ(opt_u32, 42);
	CHECK_EQ(opt_size, 1UL << 30);
	CHECK(saved_cmdline() == s);
	CHECK_EQ(strlen(saved_cmdline()), n + 14);

	memcpy(s, "u8=1 custom=", 12);
	memset(s + 12, 'c', PARAM_OPTION_MAX - 7);
	strcpy(s + 12 + PARAM_OPTION_MAX - 7, " u16=2");
	parse(s);
	CHECK_LOG("option 'custom=ccccccccccccccccccccccccc...' refused: "
		  "longer than 1023 characters\n");
	CHECK_EQ(opt_u8, 1);
	CHECK_EQ(opt_u16, 2);
	free(s);
}
