/*
 * The string of a boot module that becomes a domain:
 *
 *   domain name=NAME mem=SIZE [vcpus=N] [cmdline="..."] [cpus=LIST]
 *          [expect=crash|crash:REASON|hang|poweroff] [boot=linux|linux32|pvh]
 *          [xen_cpuid=on|off]
 *
 * Options are separated by spaces; a double quote starts or ends a run in
 * which spaces are kept, anywhere in an option ("cmdline=a b" and
 * cmdline="a b" are the same; the quotes are dropped). Each option at
 * most once; numbers are decimal (see parse_dec(), parse_size()).
 */
#ifndef XEN_BUILD_SPEC_H
#define XEN_BUILD_SPEC_H

#include <xen/cpumask.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/types.h>

#define DOMAIN_MEM_MIN (1UL << 20)
#define DOMAIN_MEM_MAX (4UL << 30)
/* The guest command line with its NUL: the start-info page holds it. */
#define DOMAIN_CMDLINE_MAX 3840

/*
 * How a bzImage boots: the Linux boot protocol (the default, or
 * boot=linux: the 64-bit entry, a 32-bit kernel's 32-bit one), the same
 * at the 32-bit entry (boot=linux32), or the PVH ELF in its payload
 * (boot=pvh).
 */
enum spec_boot {
	SPEC_BOOT_DEFAULT,
	SPEC_BOOT_LINUX,
	SPEC_BOOT_PVH,
	SPEC_BOOT_LINUX32
};

struct build_spec {
	char name[32];
	unsigned long mem;
	unsigned int vcpus;
	char cmdline[DOMAIN_CMDLINE_MAX];
	cpumask_t cpus;
	bool have_cpus;
	enum domain_expect expect;
	/* expect=crash:REASON: REASON ("" for expect=crash). */
	char expect_reason[EXPECT_REASON_MAX];
	enum spec_boot boot;
	/* xen_cpuid=off: leaves 0x40000000-0x400000ff read as zeros. */
	bool hide_xen_cpuid;
};

/*
 * Parse a module string, of any length, into *spec: 0, or -EINVAL with
 * the reason in why[size] (naming the option and its value).
 */
int build_spec_parse(const char *string, struct build_spec *spec, char *why,
		     size_t size);

/*
 * A module whose string is `file NAME` is a file for the control domain
 * (a script, a guest image), which sees it by NAME: 1 to FILE_NAME_MAX - 1
 * of a-z A-Z 0-9 _ - . (not "." or ".."). The string must start with
 * the word `file`.
 */
#define FILE_NAME_MAX 64

static inline bool is_file_spec(const char *string)
{
	while (*string == ' ')
		string++;
	return !strncmp(string, "file", 4) &&
	       (string[4] == ' ' || string[4] == '\0');
}

/* NAME of a `file NAME` string into name[FILE_NAME_MAX]: 0 or -EINVAL. */
int file_spec_parse(const char *string, char *name, char *why, size_t size);

/*
 * A module whose string starts with the word `ramdisk`, right after a
 * domain's module, is that domain's initrd (the first start-info module,
 * or boot_params' ramdisk).
 */
static inline bool is_ramdisk_spec(const char *string)
{
	while (*string == ' ')
		string++;
	return !strncmp(string, "ramdisk", 7) &&
	       (string[7] == ' ' || string[7] == '\0');
}

/* A ramdisk string is the word alone: 0, or -EINVAL with the reason. */
int ramdisk_spec_check(const char *string, char *why, size_t size);

#endif
