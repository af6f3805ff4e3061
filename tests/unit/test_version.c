/*
 * xen/common/version.c, xen_version: every sub-op for a 64-bit and a
 * 32-bit caller, the exact bytes each writes (fields zero-padded to their
 * full size, nothing past them), get_features' submap index, the control
 * domain's commandline and build_id, unknown sub-ops, and bad buffers
 * (-EFAULT with guest memory as it was). do_xen_version is renamed
 * (test_hypercall.c stands in for it).
 *
 * Guest-virtual addresses are offsets into guest_mem[], filled with FILL
 * before every call; [RO_GVA, RO_END) is readable, not writable. The copy
 * to the guest checks the whole range before it writes, as the real one
 * does. <generated/compile.h> is the shim's (fixed strings, a compiler
 * name longer than its field); saved_cmdline() is faked here.
 * xen/common/lib/string.c is built as xen_strlcpy & co (xen-libc.h).
 */
#include <string.h>

#include "xen-libc.h"
#define strlcpy xen_strlcpy
#define do_xen_version xen_version_under_test
#define saved_cmdline xv_saved_cmdline
#include "../../xen/common/version.c"
#undef do_xen_version
#undef strlcpy

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define ARG_GVA 0x100UL
#define RO_GVA 0x800UL /* [RO_GVA, RO_END): readable, not writable */
#define RO_END 0x900UL
#define FILL 0xa5
#define CMDLINE "console=com1 control_domain=ctl loglvl=all"

static struct domain dom, ctl = { .is_privileged = true };
static struct vcpu vcpu = { .domain = &dom }, ctl_vcpu = { .domain = &ctl };
static u8 guest_mem[0xc00];
static const char *cmdline = CMDLINE;

const char *xv_saved_cmdline(void)
{
	return cmdline;
}

/* Guest memory all FILL, with its read-only window. */
static void fill_guest(void)
{
	memset(guest_mem, FILL, sizeof(guest_mem));
	fake_guest_mem(guest_mem, sizeof(guest_mem), RO_GVA, RO_END);
}

/* The sub-op with guest memory filled with FILL first. */
static long xv(struct vcpu *v, unsigned long cmd, unsigned long arg,
	       bool compat)
{
	struct hypercall_args a = { .a = { cmd, arg }, .compat = compat };

	fill_guest();
	return xen_version_under_test(v, &a);
}

/* Guest memory is FILL but for [gva, gva + len). */
static void check_fill_around(unsigned long gva, size_t len)
{
	for (size_t i = 0; i < sizeof(guest_mem); i++)
		if (i < gva || i >= gva + len)
			CHECK_EQ(guest_mem[i], FILL);
}

static void check_untouched(void)
{
	check_fill_around(0, 0);
}

/* [gva, gva + size) holds s and zeros up to size. */
static void check_str(unsigned long gva, const char *s, size_t size)
{
	size_t len = strlen(s);

	CHECK(len < size);
	CHECK(!memcmp(guest_mem + gva, s, len));
	for (size_t i = len; i < size; i++)
		CHECK_EQ(guest_mem[gva + i], 0);
}

/* The same, and nothing else moved. */
static void check_field(unsigned long gva, const char *s, size_t size)
{
	check_str(gva, s, size);
	check_fill_around(gva, size);
}

TEST(xen_version_values)
{
	for (int compat = 0; compat < 2; compat++) {
		CHECK_EQ(xv(&vcpu, XENVER_version, ARG_GVA, compat),
			 (4 << 16) | 19);
		check_untouched();
		CHECK_EQ(xv(&vcpu, XENVER_version, ~0UL, compat), 0x40013);
		CHECK_EQ(xv(&ctl_vcpu, XENVER_version, 0, compat), 0x40013);
		CHECK_EQ(xv(&vcpu, XENVER_pagesize, ARG_GVA, compat), 4096);
		check_untouched();
		CHECK_EQ(xv(&ctl_vcpu, XENVER_pagesize, ~0UL, compat), 4096);
	}
}

TEST(xen_version_strings)
{
	CHECK_EQ(sizeof(xen_extraversion_t), 16);
	CHECK_EQ(sizeof(xen_capabilities_info_t), 1024);
	CHECK_EQ(sizeof(xen_changeset_info_t), 64);
	for (int compat = 0; compat < 2; compat++) {
		CHECK_EQ(xv(&vcpu, XENVER_extraversion, ARG_GVA, compat), 0);
		check_field(ARG_GVA, ".0", 16);
		CHECK_EQ(xv(&vcpu, XENVER_capabilities, ARG_GVA, compat), 0);
		check_field(ARG_GVA, "hvm-3.0-x86_64 hvm-3.0-x86_32", 1024);
		CHECK_EQ(xv(&vcpu, XENVER_changeset, ARG_GVA, compat), 0);
		check_field(ARG_GVA, "git:0123456789ab-dirty", 64);
		/* The control domain is told the same. */
		CHECK_EQ(xv(&ctl_vcpu, XENVER_changeset, 0, compat), 0);
		check_field(0, "git:0123456789ab-dirty", 64);
		/* The last bytes of guest memory: exactly the field. */
		CHECK_EQ(xv(&vcpu, XENVER_extraversion, sizeof(guest_mem) - 16,
			    compat),
			 0);
		check_field(sizeof(guest_mem) - 16, ".0", 16);
	}
}

TEST(xen_version_guest_handle)
{
	CHECK_EQ(sizeof(xen_domain_handle_t), 16);
	for (int compat = 0; compat < 2; compat++) {
		CHECK_EQ(xv(&vcpu, XENVER_guest_handle, ARG_GVA, compat), 0);
		check_field(ARG_GVA, "", 16);
		CHECK_EQ(xv(&ctl_vcpu, XENVER_guest_handle,
			    sizeof(guest_mem) - 16, compat),
			 0);
		check_field(sizeof(guest_mem) - 16, "", 16);
	}
}

TEST(xen_version_compile_info)
{
	struct xen_compile_info info;
	char compiler[64];

	CHECK_EQ(sizeof(info), 144);
	CHECK_EQ(offsetof(struct xen_compile_info, compile_by), 64);
	CHECK_EQ(offsetof(struct xen_compile_info, compile_domain), 80);
	CHECK_EQ(offsetof(struct xen_compile_info, compile_date), 112);
	/* The shim's compiler name is cut to 63 characters and a NUL. */
	CHECK(strlen(XEN_COMPILER) > 64);
	memcpy(compiler, XEN_COMPILER, 63);
	compiler[63] = 0;
	for (int compat = 0; compat < 2; compat++) {
		CHECK_EQ(xv(&vcpu, XENVER_compile_info, ARG_GVA, compat), 0);
		check_fill_around(ARG_GVA, sizeof(info));
		memcpy(&info, guest_mem + ARG_GVA, sizeof(info));
		check_str(ARG_GVA, compiler, 64);
		check_str(ARG_GVA + 64, "unit", 16);
		check_str(ARG_GVA + 80, "tests.example", 32);
		/* __DATE__ " " __TIME__: "Mmm dd yyyy hh:mm:ss" */
		CHECK_EQ(strnlen(info.compile_date, 32), 20);
		CHECK_EQ(info.compile_date[11], ' ');
		CHECK_EQ(info.compile_date[14], ':');
		CHECK_EQ(info.compile_date[17], ':');
		check_str(ARG_GVA + 112, info.compile_date, 32);
	}
}

TEST(xen_version_platform_parameters)
{
	/* An unsigned long of the caller's width: 8 bytes, or 4. */
	CHECK_EQ(xv(&vcpu, XENVER_platform_parameters, ARG_GVA, false), 0);
	check_field(ARG_GVA, "", 8);
	CHECK_EQ(xv(&vcpu, XENVER_platform_parameters, ARG_GVA, true), 0);
	check_field(ARG_GVA, "", 4);
	CHECK_EQ(xv(&vcpu, XENVER_platform_parameters, sizeof(guest_mem) - 8,
		    false),
		 0);
	check_field(sizeof(guest_mem) - 8, "", 8);
	CHECK_EQ(xv(&vcpu, XENVER_platform_parameters, sizeof(guest_mem) - 7,
		    false),
		 -EFAULT);
	check_untouched();
	CHECK_EQ(xv(&vcpu, XENVER_platform_parameters, sizeof(guest_mem) - 4,
		    true),
		 0);
	check_field(sizeof(guest_mem) - 4, "", 4);
	CHECK_EQ(xv(&vcpu, XENVER_platform_parameters, sizeof(guest_mem) - 3,
		    true),
		 -EFAULT);
	check_untouched();
}

/* get_features with submap_idx idx at gva: the result, *submap written. */
static long features(struct vcpu *v, unsigned long gva, u32 idx, bool compat,
		     u32 *submap)
{
	struct xen_feature_info fi = { .submap_idx = idx, .submap = 0x5a5a };
	struct hypercall_args a = { .a = { XENVER_get_features, gva },
				    .compat = compat };
	long rc;

	CHECK_EQ(sizeof(fi), 8);
	fill_guest();
	if (gva <= sizeof(guest_mem) - sizeof(fi))
		memcpy(guest_mem + gva, &fi, sizeof(fi));
	rc = xen_version_under_test(v, &a);
	if (gva <= sizeof(guest_mem) - sizeof(fi)) {
		memcpy(&fi, guest_mem + gva, sizeof(fi));
		CHECK_EQ(fi.submap_idx, idx);
		*submap = fi.submap;
		check_fill_around(gva, sizeof(fi));
	}
	return rc;
}

TEST(xen_version_get_features)
{
	u32 submap;

	for (int compat = 0; compat < 2; compat++) {
		/*
		 * writable_page_tables, auto_translated_physmap,
		 * hvm_callback_vector, hvm_safe_pvclock; dom0
		 */
		CHECK_EQ(features(&vcpu, ARG_GVA, 0, compat, &submap), 0);
		CHECK_EQ(submap, 0x305);
		CHECK_EQ(features(&ctl_vcpu, ARG_GVA, 0, compat, &submap), 0);
		CHECK_EQ(submap, 0xb05);
		CHECK_EQ(features(&vcpu, sizeof(guest_mem) - 8, 0, compat,
				  &submap),
			 0);
		CHECK_EQ(submap, 0x305);
		/* Only submap 0: nothing written otherwise. */
		CHECK_EQ(features(&vcpu, ARG_GVA, 1, compat, &submap), -EINVAL);
		CHECK_EQ(submap, 0x5a5a);
		CHECK_EQ(features(&ctl_vcpu, ARG_GVA, ~0U, compat, &submap),
			 -EINVAL);
		CHECK_EQ(submap, 0x5a5a);
		CHECK_EQ(features(&vcpu, ARG_GVA, 0x80000000, compat, &submap),
			 -EINVAL);
		CHECK_EQ(submap, 0x5a5a);
		/* Readable, not writable: nothing written. */
		CHECK_EQ(features(&vcpu, RO_END - 4, 0, compat, &submap),
			 -EFAULT);
		CHECK_EQ(submap, 0x5a5a);
		CHECK_EQ(features(&vcpu, RO_GVA, 0, compat, &submap), -EFAULT);
		CHECK_EQ(submap, 0x5a5a);
		/* Unreadable. */
		CHECK_EQ(features(&vcpu, sizeof(guest_mem) - 7, 0, compat,
				  &submap),
			 -EFAULT);
		check_untouched();
		CHECK_EQ(features(&vcpu, ~0UL - 3, 0, compat, &submap),
			 -EFAULT);
		check_untouched();
	}
}

TEST(xen_version_commandline)
{
	static char longline[2000];

	CHECK_EQ(sizeof(xen_commandline_t), 1024);
	for (int compat = 0; compat < 2; compat++) {
		CHECK_EQ(xv(&vcpu, XENVER_commandline, ARG_GVA, compat),
			 -EPERM);
		check_untouched();
		CHECK_EQ(xv(&vcpu, XENVER_commandline, ~0UL, compat), -EPERM);
		CHECK_EQ(xv(&ctl_vcpu, XENVER_commandline, ARG_GVA, compat), 0);
		check_field(ARG_GVA, CMDLINE, 1024);
	}
	/* Cut to 1023 characters and a NUL. */
	memset(longline, 'x', sizeof(longline) - 1);
	cmdline = longline;
	CHECK_EQ(xv(&ctl_vcpu, XENVER_commandline, ARG_GVA, false), 0);
	check_fill_around(ARG_GVA, 1024);
	for (unsigned int i = 0; i < 1023; i++)
		CHECK_EQ(guest_mem[ARG_GVA + i], 'x');
	CHECK_EQ(guest_mem[ARG_GVA + 1023], 0);
	cmdline = "";
	CHECK_EQ(xv(&ctl_vcpu, XENVER_commandline, ARG_GVA, true), 0);
	check_field(ARG_GVA, "", 1024);
}

TEST(xen_version_build_id)
{
	for (int compat = 0; compat < 2; compat++) {
		CHECK_EQ(xv(&vcpu, XENVER_build_id, ARG_GVA, compat), -EPERM);
		check_untouched();
		/* The image has no build id. */
		CHECK_EQ(xv(&ctl_vcpu, XENVER_build_id, ARG_GVA, compat),
			 -ENODATA);
		check_untouched();
		CHECK_EQ(xv(&ctl_vcpu, XENVER_build_id, ~0UL, compat),
			 -ENODATA);
	}
}

TEST(xen_version_unknown_sub_ops)
{
	static const unsigned long unknown[] = {
		11, 12, 63, 0x100, 0xffffffffUL, 1UL << 32, ~0UL, -ENOSYS,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++)
		for (int compat = 0; compat < 2; compat++) {
			CHECK_EQ(xv(&vcpu, unknown[i], ARG_GVA, compat),
				 -ENOSYS);
			check_untouched();
			CHECK_EQ(xv(&ctl_vcpu, unknown[i], ARG_GVA, compat),
				 -ENOSYS);
			check_untouched();
		}
}

/* Every sub-op that writes to arg: -EFAULT, and guest memory unchanged. */
TEST(xen_version_bad_buffers)
{
	static const struct {
		unsigned long cmd;
		size_t len;
	} out[] = {
		{ XENVER_extraversion, 16 },   { XENVER_compile_info, 144 },
		{ XENVER_capabilities, 1024 }, { XENVER_changeset, 64 },
		{ XENVER_guest_handle, 16 },   { XENVER_commandline, 1024 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(out); i++)
		for (int compat = 0; compat < 2; compat++) {
			size_t len = out[i].len;
			const unsigned long bad[] = {
				sizeof(guest_mem) - len + 1,
				sizeof(guest_mem) - 1,
				sizeof(guest_mem),
				RO_GVA - len + 1,
				RO_END - 1,
				~0UL - len + 2,
			};

			for (unsigned int j = 0; j < ARRAY_SIZE(bad); j++) {
				CHECK_EQ(xv(&ctl_vcpu, out[i].cmd, bad[j],
					    compat),
					 -EFAULT);
				check_untouched();
			}
			/* Just fits before the read-only window. */
			CHECK_EQ(xv(&ctl_vcpu, out[i].cmd, RO_GVA - len,
				    compat),
				 0);
			check_fill_around(RO_GVA - len, len);
		}
}
