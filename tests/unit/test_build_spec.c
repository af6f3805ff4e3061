/*
 * xen/common/build_spec.c: module strings of boot domains. Good strings
 * give the fields they say (quotes dropped, long command lines whole);
 * bad ones are refused with the reason that names the option and value:
 * overflowing or non-decimal numbers, out-of-range values, repeated keys,
 * unknown options, open quotes, over-long values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/build_spec.h>
#include <xen/errno.h>

#include "harness.h"

static struct build_spec spec;
static char why[160];

static int parse(const char *s)
{
	memset(why, 0, sizeof(why));
	return build_spec_parse(s, &spec, why, sizeof(why));
}

TEST(spec_minimal)
{
	CHECK_EQ(parse("domain name=d1 mem=8M"), 0);
	CHECK_STR_EQ(spec.name, "d1");
	CHECK_EQ(spec.mem, 8UL << 20);
	CHECK_EQ(spec.vcpus, 1);
	CHECK_STR_EQ(spec.cmdline, "");
	CHECK(!spec.have_cpus);
	CHECK_EQ(spec.expect, EXPECT_SUCCESS);
}

TEST(spec_every_option)
{
	CHECK_EQ(
		parse("  domain  name=A-b_9 mem=4G vcpus=8 cmdline=\"x=1 y=2\" "
		      "cpus=0,2-3,63 expect=crash  "),
		0);
	CHECK_STR_EQ(spec.name, "A-b_9");
	CHECK_EQ(spec.mem, 4UL << 30);
	CHECK_EQ(spec.vcpus, 8);
	CHECK_STR_EQ(spec.cmdline, "x=1 y=2");
	CHECK(spec.have_cpus);
	CHECK(cpumask_test_cpu(0, &spec.cpus));
	CHECK(!cpumask_test_cpu(1, &spec.cpus));
	CHECK(cpumask_test_cpu(2, &spec.cpus));
	CHECK(cpumask_test_cpu(3, &spec.cpus));
	CHECK(cpumask_test_cpu(63, &spec.cpus));
	CHECK_EQ(spec.expect, EXPECT_CRASH);
	CHECK_STR_EQ(spec.expect_reason, "");
	CHECK_EQ(parse("domain name=c mem=8M \"expect=crash:triple fault\""),
		 0);
	CHECK_EQ(spec.expect, EXPECT_CRASH);
	CHECK_STR_EQ(spec.expect_reason, "triple fault");
	CHECK_EQ(parse("domain name=h mem=8M expect=hang"), 0);
	CHECK_EQ(spec.expect, EXPECT_HANG);
	CHECK_EQ(spec.boot, SPEC_BOOT_DEFAULT);
	CHECK_EQ(parse("domain name=h mem=8M boot=pvh"), 0);
	CHECK_EQ(spec.boot, SPEC_BOOT_PVH);
	CHECK_EQ(parse("domain name=h mem=8M boot=linux"), 0);
	CHECK_EQ(spec.boot, SPEC_BOOT_LINUX);
	CHECK_EQ(parse("domain name=h mem=8M boot=linux32"), 0);
	CHECK_EQ(spec.boot, SPEC_BOOT_LINUX32);
	CHECK_EQ(parse("domain name=p mem=8M expect=poweroff"), 0);
	CHECK_EQ(spec.expect, EXPECT_POWEROFF);
	CHECK(!spec.hide_xen_cpuid);
	CHECK_EQ(parse("domain name=q mem=8M xen_cpuid=off"), 0);
	CHECK(spec.hide_xen_cpuid);
	CHECK_EQ(parse("domain name=q mem=8M xen_cpuid=on"), 0);
	CHECK(!spec.hide_xen_cpuid);
}

/* GRUB quotes a whole argument that holds a space: "cmdline=a b". */
TEST(spec_quotes_anywhere)
{
	CHECK_EQ(parse("domain \"cmdline=vcpus=2 pong=1\" name=x mem=1M"), 0);
	CHECK_STR_EQ(spec.cmdline, "vcpus=2 pong=1");
	CHECK_EQ(parse("domain name=\"x\" mem=1\"024K\" cmdline=\"\""), 0);
	CHECK_STR_EQ(spec.name, "x");
	CHECK_EQ(spec.mem, 1UL << 20);
	CHECK_STR_EQ(spec.cmdline, "");
}

/* Far past the 255 characters once kept: the string and cmdline whole. */
TEST(spec_long_strings_whole)
{
	size_t n = DOMAIN_CMDLINE_MAX - 1 - strlen(" vcpus=2");
	char *s = malloc(n + 100), *want = malloc(n + 20);

	memset(want, 'p', n);
	strcpy(want + n, " vcpus=2");
	sprintf(s, "domain name=long cmdline=\"%s\" mem=8M vcpus=2", want);
	CHECK(strlen(s) > 3800);
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(strlen(spec.cmdline), DOMAIN_CMDLINE_MAX - 1);
	CHECK_STR_EQ(spec.cmdline, want);
	CHECK_EQ(spec.mem, 8UL << 20);
	CHECK_EQ(spec.vcpus, 2);

	/* One character more does not fit the start-info page. */
	memset(want, 'p', n + 1);
	strcpy(want + n + 1, " vcpus=2");
	sprintf(s, "domain name=long cmdline=\"%s\" mem=8M", want);
	CHECK_EQ(parse(s), -EINVAL);
	CHECK_STR_EQ(why,
		     "cmdline=\"ppppppppppppppppppppppppppppppppppppppp...: "
		     "too long (at most 3839 characters)");
	free(s);
	free(want);
}

struct bad_case {
	const char *s, *why;
};

static const struct bad_case bad_cases[] = {
	{ "", "not a domain (the string must start with 'domain')" },
	{ "name=x mem=8M",
	  "not a domain (the string must start with 'domain')" },
	{ "domains name=x mem=8M",
	  "not a domain (the string must start with 'domain')" },
	{ "domain", "name= and mem= are required" },
	{ "domain name=x", "name= and mem= are required" },
	{ "domain mem=8M", "name= and mem= are required" },
	/* Numbers: decimal, no overflow, no truncation. */
	{ "domain name=x mem=99999999999999999999M",
	  "mem=99999999999999999999M: out of range (1M to 4G, whole pages)" },
	{ "domain name=x mem=18446744073709551616",
	  "mem=18446744073709551616: out of range (1M to 4G, whole pages)" },
	{ "domain name=x mem=17592186044416M",
	  "mem=17592186044416M: out of range (1M to 4G, whole pages)" },
	{ "domain name=x mem=4097M",
	  "mem=4097M: out of range (1M to 4G, whole pages)" },
	{ "domain name=x mem=1023K",
	  "mem=1023K: out of range (1M to 4G, whole pages)" },
	{ "domain name=x mem=1048577",
	  "mem=1048577: out of range (1M to 4G, whole pages)" },
	{ "domain name=x mem=0x800000",
	  "mem=0x800000: not a size (decimal, optional K, M, G or B suffix)" },
	{ "domain name=x mem=8Q",
	  "mem=8Q: not a size (decimal, optional K, M, G or B suffix)" },
	{ "domain name=x mem=",
	  "mem=: not a size (decimal, optional K, M, G or B suffix)" },
	{ "domain name=x mem=8M vcpus=4294967297",
	  "vcpus=4294967297: out of range (1 to 8)" },
	{ "domain name=x mem=8M vcpus=18446744073709551617",
	  "vcpus=18446744073709551617: out of range (1 to 8)" },
	{ "domain name=x mem=8M vcpus=9", "vcpus=9: out of range (1 to 8)" },
	{ "domain name=x mem=8M vcpus=0", "vcpus=0: out of range (1 to 8)" },
	{ "domain name=x mem=8M vcpus=0x2", "vcpus=0x2: not a decimal number" },
	{ "domain name=x mem=8M vcpus=-1", "vcpus=-1: not a decimal number" },
	{ "domain name=x mem=8M vcpus=", "vcpus=: not a decimal number" },
	{ "domain name=x mem=8M vcpus=2x", "vcpus=2x: not a decimal number" },
	{ "domain name=x mem=8M cpus=18446744073709551617",
	  "cpus=18446744073709551617: not a list of CPUs below 64 (like "
	  "0,2-3)" },
	{ "domain name=x mem=8M cpus=64",
	  "cpus=64: not a list of CPUs below 64 (like 0,2-3)" },
	{ "domain name=x mem=8M cpus=3-1",
	  "cpus=3-1: not a list of CPUs below 64 (like 0,2-3)" },
	{ "domain name=x mem=8M cpus=1,",
	  "cpus=1,: not a list of CPUs below 64 (like 0,2-3)" },
	{ "domain name=x mem=8M cpus=",
	  "cpus=: not a list of CPUs below 64 (like 0,2-3)" },
	{ "domain name=x mem=8M cpus=0x1",
	  "cpus=0x1: not a list of CPUs below 64 (like 0,2-3)" },
	/* Each key once. */
	{ "domain name=x mem=8M mem=16M", "mem= given twice" },
	{ "domain name=x mem=8M name=y", "name= given twice" },
	{ "domain name=x mem=8M vcpus=1 vcpus=2", "vcpus= given twice" },
	{ "domain name=x mem=8M cmdline=a cmdline=b", "cmdline= given twice" },
	{ "domain name=x mem=8M cpus=0 cpus=1", "cpus= given twice" },
	{ "domain name=x mem=8M expect=crash expect=crash",
	  "expect= given twice" },
	/* Quotes. */
	{ "domain name=x mem=8M cmdline=\"abc",
	  "the quote in 'cmdline=\"abc' is not closed" },
	{ "domain name=x mem=8M cmdline=\\\"abc",
	  "the quote in 'cmdline=\\\"abc' is not closed" },
	{ "domain name=x mem=8M \"cmdline=a b c d",
	  "the quote in '\"cmdline=a b c d' is not closed" },
	{ "domain name=x mem=8M cmdline=\"a\"b\"",
	  "the quote in 'cmdline=\"a\"b\"' is not closed" },
	/* Names. */
	{ "domain name= mem=8M",
	  "name=: bad name (1 to 31 of a-z A-Z 0-9 _ -)" },
	{ "domain name=a.b mem=8M",
	  "name=a.b: bad name (1 to 31 of a-z A-Z 0-9 _ -)" },
	{ "domain name=\"a b\" mem=8M",
	  "name=a b: bad name (1 to 31 of a-z A-Z 0-9 _ -)" },
	{ "domain name=abcdefghijklmnopqrstuvwxyz012345 mem=8M",
	  "name=abcdefghijklmnopqrstuvwxyz012345: too long (at most 31 "
	  "characters)" },
	/* Other options. */
	{ "domain name=x mem=8M bogus=1",
	  "'bogus': unknown option (name, mem, vcpus, cmdline, cpus, expect, "
	  "boot, xen_cpuid)" },
	{ "domain name=x mem=8M memory=8M",
	  "'memory': unknown option (name, mem, vcpus, cmdline, cpus, "
	  "expect, boot, xen_cpuid)" },
	{ "domain name=x mem=8M xen_cpuid=no",
	  "xen_cpuid=no: only xen_cpuid=on or xen_cpuid=off is known" },
	{ "domain name=x mem=8M boot=elf",
	  "boot=elf: only boot=linux, linux32 or pvh is known" },
	{ "domain name=x mem=8M boot=pvh boot=linux", "boot= given twice" },
	{ "domain name=x mem=8M verbose",
	  "'verbose': not an option (KEY=VALUE)" },
	{ "domain name=x mem=8M expect=maybe",
	  "expect=maybe: only expect=crash, expect=crash:REASON, "
	  "expect=hang or expect=poweroff is known" },
	{ "domain name=x mem=8M expect=crash:",
	  "expect=crash:: the reason must be 1 to 47 characters" },
	{ "domain name=x mem=8M expect=crash:0123456789012345678901234567890"
	  "12345678901234567",
	  "expect=crash:012345678901234567890123456789012345678901234567: the "
	  "reason must be 1 to 47 characters" },
	{ "domain name=x mem=8M expect=crashed",
	  "expect=crashed: only expect=crash, expect=crash:REASON, "
	  "expect=hang or expect=poweroff is known" },
	{ "domain name=x mem=8M expect=power",
	  "expect=power: only expect=crash, expect=crash:REASON, "
	  "expect=hang or expect=poweroff is known" },
	{ "domain name=x mem=8M vcpus=00000000000000000000000000000000000000"
	  "00000000000000000000000000000001",
	  "vcpus=0000000000000000000000000000000000000000...: too long (at "
	  "most 63 characters)" },
};

static void bad_case(const void *arg)
{
	const struct bad_case *c = arg;

	if (parse(c->s) != -EINVAL)
		FAIL("'%s' was taken", c->s);
	CHECK_STR_EQ(why, c->why);
}

__attribute__((constructor)) static void register_bad_cases(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		char name[32];

		snprintf(name, sizeof(name), "spec_refused_%02u", i);
		harness_register_fn(name, __FILE__, __LINE__, bad_case,
				    &bad_cases[i]);
	}
}

/* A reason longer than the caller's buffer is cut, not overrun. */
TEST(spec_why_cut_to_fit)
{
	char small[8];

	memset(small, '#', sizeof(small));
	CHECK_EQ(build_spec_parse("domain name=x mem=8M mem=8M", &spec, small,
				  sizeof(small)),
		 -EINVAL);
	CHECK_STR_EQ(small, "mem= gi");
}

/* `file NAME` modules: what is one, and the names taken or refused. */
TEST(file_spec_names)
{
	char name[FILE_NAME_MAX];
	char long_name[FILE_NAME_MAX + 8];

	CHECK(is_file_spec("file a"));
	CHECK(is_file_spec("  file a"));
	CHECK(is_file_spec("file"));
	CHECK(!is_file_spec("files a"));
	CHECK(!is_file_spec("domain name=file mem=8M"));
	CHECK_EQ(file_spec_parse("file p.sh", name, why, sizeof(why)), 0);
	CHECK_STR_EQ(name, "p.sh");
	CHECK_EQ(file_spec_parse(" file  \"x-1_Y.elf\" ", name, why,
				 sizeof(why)),
		 0);
	CHECK_STR_EQ(name, "x-1_Y.elf");
	CHECK_EQ(file_spec_parse("file", name, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "'file ': bad file name (1 to 63 of a-z A-Z 0-9 _ "
			  "- .)");
	CHECK_EQ(file_spec_parse("file ..", name, why, sizeof(why)), -EINVAL);
	CHECK_EQ(file_spec_parse("file a/b", name, why, sizeof(why)), -EINVAL);
	CHECK_EQ(file_spec_parse("file a b", name, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "'b': a file module has one word after 'file', "
			  "its name");
	CHECK_EQ(file_spec_parse("file \"a", name, why, sizeof(why)), -EINVAL);
	memset(long_name, 'n', sizeof(long_name));
	memcpy(long_name, "file ", 5);
	long_name[5 + FILE_NAME_MAX - 1] = '\0';
	CHECK_EQ(file_spec_parse(long_name, name, why, sizeof(why)), 0);
	CHECK_EQ(strlen(name), FILE_NAME_MAX - 1);
	long_name[5 + FILE_NAME_MAX - 1] = 'n';
	long_name[5 + FILE_NAME_MAX] = '\0';
	CHECK_EQ(file_spec_parse(long_name, name, why, sizeof(why)), -EINVAL);
}

/* `ramdisk` alone (spaces around it allowed) is a ramdisk module. */
TEST(spec_ramdisk)
{
	CHECK(is_ramdisk_spec("ramdisk"));
	CHECK(is_ramdisk_spec("  ramdisk "));
	CHECK(is_ramdisk_spec("ramdisk x"));
	CHECK(!is_ramdisk_spec("ramdisks"));
	CHECK(!is_ramdisk_spec("domain name=ramdisk mem=8M"));
	CHECK(!is_ramdisk_spec(""));
	CHECK_EQ(ramdisk_spec_check(" ramdisk  ", why, sizeof(why)), 0);
	CHECK_EQ(ramdisk_spec_check("ramdisk x=1", why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "'x=1': a ramdisk module takes nothing after "
			  "'ramdisk'");
	CHECK_EQ(ramdisk_spec_check("ramdisk \"a", why, sizeof(why)), -EINVAL);
	CHECK_EQ(ramdisk_spec_check("file x", why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "not a ramdisk");
	/* A domain string is not taken for one. */
	CHECK_EQ(parse("ramdisk"), -EINVAL);
}
