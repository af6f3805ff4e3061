/*
 * xen/arch/x86/hvm/hvm_op.c, hvm_op: set_evtchn_upcall_vector (5 bytes
 * read; a vCPU beyond the domain or a vector below 0x10 -EINVAL, else the
 * vCPU's upcall vector set and the shared-info layout latched from the
 * caller's mode), get_time (8 bytes of NOW()), set_param and get_param
 * handed to params.c, unknown sub-ops. do_hvm_op is renamed
 * (test_hypercall.c stands in for it).
 *
 * Guest-virtual addresses are offsets into guest_mem[], filled with FILL
 * before every call; the copy to the guest checks the whole range before
 * it writes. NOW(), hvm_set_param() and hvm_get_param() (params.c is in
 * test_hvm_params.c) are faked here under names of this file's own;
 * shared_info_latch() is the real one (shared_info.c).
 */
#define do_hvm_op hvm_op_under_test
#define hvm_set_param ho_set_param
#define hvm_get_param ho_get_param
#define NOW ho_now
#include "../../xen/arch/x86/hvm/hvm_op.c"
#undef do_hvm_op

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define ARG_GVA 0x40UL
#define FILL 0xa5

static struct domain dom = { .domain_id = 1, .max_vcpus = 2 };
static struct vcpu vcpus[2];
static u8 guest_mem[0x100];
static s_time_t now = 0x123456789abcdefLL;
static char param_call[64];

s_time_t ho_now(void)
{
	return now;
}

long ho_set_param(struct vcpu *v, unsigned long arg, bool compat)
{
	snprintf(param_call, sizeof(param_call), "set v%u %#lx %d", v->vcpu_id,
		 arg, compat);
	return -1234;
}

long ho_get_param(struct vcpu *v, unsigned long arg)
{
	snprintf(param_call, sizeof(param_call), "get v%u %#lx", v->vcpu_id,
		 arg);
	return -4321;
}

static void setup(void)
{
	fake_guest_mem(guest_mem, sizeof(guest_mem), 0, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(vcpus); i++) {
		vcpus[i].vcpu_id = i;
		vcpus[i].domain = &dom;
		dom.vcpu[i] = &vcpus[i];
	}
}

static long hvm_op(struct vcpu *v, unsigned long cmd, unsigned long arg,
		   bool compat)
{
	struct hypercall_args a = { .a = { cmd, arg }, .compat = compat };

	return hvm_op_under_test(v, &a);
}

/* Guest memory is FILL but for [gva, gva + len). */
static void check_fill_around(unsigned long gva, size_t len)
{
	for (size_t i = 0; i < sizeof(guest_mem); i++)
		if (i < gva || i >= gva + len)
			CHECK_EQ(guest_mem[i], FILL);
}

/* set_evtchn_upcall_vector of {vcpu, vector} at gva; padding is FILL. */
static long upcall_vector(struct vcpu *v, unsigned long gva, u32 vcpu,
			  u8 vector, bool compat)
{
	memset(guest_mem, FILL, sizeof(guest_mem));
	if (gva <= sizeof(guest_mem) - 5) {
		memcpy(guest_mem + gva, &vcpu, 4);
		guest_mem[gva + 4] = vector;
	}
	return hvm_op(v, HVMOP_set_evtchn_upcall_vector, gva, compat);
}

TEST(hvm_op_upcall_vector_checks)
{
	setup();
	dom.shinfo_compat = true;
	CHECK_EQ(upcall_vector(&vcpus[0], ARG_GVA, 0, 0x0f, false), -EINVAL);
	CHECK_EQ(upcall_vector(&vcpus[0], ARG_GVA, 1, 0, false), -EINVAL);
	CHECK_EQ(upcall_vector(&vcpus[0], ARG_GVA, 2, 0x20, false), -EINVAL);
	CHECK_EQ(upcall_vector(&vcpus[1], ARG_GVA, 8, 0x20, false), -EINVAL);
	CHECK_EQ(upcall_vector(&vcpus[0], ARG_GVA, ~0U, 0xff, false), -EINVAL);
	CHECK_EQ(upcall_vector(&vcpus[0], ARG_GVA, 0x80000000, 0x20, false),
		 -EINVAL);
	/* Unreadable: 5 bytes. */
	CHECK_EQ(upcall_vector(&vcpus[0], sizeof(guest_mem) - 4, 0, 0x20,
			       false),
		 -EFAULT);
	CHECK_EQ(upcall_vector(&vcpus[0], ~0UL - 2, 0, 0x20, false), -EFAULT);
	/* Nothing changed: not the vectors, not the layout. */
	CHECK_EQ(vcpus[0].upcall_vector, 0);
	CHECK_EQ(vcpus[1].upcall_vector, 0);
	CHECK(dom.shinfo_compat);
	check_fill_around(0, 0);
}

TEST(hvm_op_upcall_vector_sets_and_latches)
{
	setup();
	/* The lowest vector, another vCPU's, a 64-bit caller. */
	dom.shinfo_compat = true;
	CHECK_EQ(upcall_vector(&vcpus[0], ARG_GVA, 1, 0x10, false), 0);
	CHECK_EQ(vcpus[1].upcall_vector, 0x10);
	CHECK_EQ(vcpus[0].upcall_vector, 0);
	CHECK(!dom.shinfo_compat);
	/* A 32-bit caller, from the last 5 bytes of memory. */
	CHECK_EQ(upcall_vector(&vcpus[1], sizeof(guest_mem) - 5, 0, 0xff, true),
		 0);
	CHECK_EQ(vcpus[0].upcall_vector, 0xff);
	CHECK_EQ(vcpus[1].upcall_vector, 0x10);
	CHECK(dom.shinfo_compat);
	/* Nothing written back. */
	check_fill_around(sizeof(guest_mem) - 5, 5);
	CHECK_EQ(upcall_vector(&vcpus[1], ARG_GVA, 1, 0xf3, false), 0);
	CHECK_EQ(vcpus[1].upcall_vector, 0xf3);
	CHECK(!dom.shinfo_compat);
	/* A refused one leaves the latch as it was. */
	CHECK_EQ(upcall_vector(&vcpus[1], ARG_GVA, 1, 0x0f, true), -EINVAL);
	CHECK(!dom.shinfo_compat);
	CHECK_EQ(vcpus[1].upcall_vector, 0xf3);
}

TEST(hvm_op_get_time)
{
	setup();
	for (int compat = 0; compat < 2; compat++) {
		memset(guest_mem, FILL, sizeof(guest_mem));
		CHECK_EQ(hvm_op(&vcpus[compat], HVMOP_get_time, ARG_GVA,
				compat),
			 0);
		CHECK(!memcmp(guest_mem + ARG_GVA, &now, 8));
		check_fill_around(ARG_GVA, 8);
		memset(guest_mem, FILL, sizeof(guest_mem));
		CHECK_EQ(hvm_op(&vcpus[0], HVMOP_get_time,
				sizeof(guest_mem) - 8, compat),
			 0);
		CHECK(!memcmp(guest_mem + sizeof(guest_mem) - 8, &now, 8));
		check_fill_around(sizeof(guest_mem) - 8, 8);
		memset(guest_mem, FILL, sizeof(guest_mem));
		CHECK_EQ(hvm_op(&vcpus[0], HVMOP_get_time,
				sizeof(guest_mem) - 7, compat),
			 -EFAULT);
		CHECK_EQ(hvm_op(&vcpus[0], HVMOP_get_time, ~0UL - 3, compat),
			 -EFAULT);
		check_fill_around(0, 0);
		now += 1000;
	}
}

TEST(hvm_op_params_handed_on)
{
	setup();
	CHECK_EQ(hvm_op(&vcpus[1], HVMOP_set_param, 0x1234, true), -1234);
	CHECK_STR_EQ(param_call, "set v1 0x1234 1");
	CHECK_EQ(hvm_op(&vcpus[0], HVMOP_set_param, ~0UL, false), -1234);
	CHECK_STR_EQ(param_call, "set v0 0xffffffffffffffff 0");
	CHECK_EQ(hvm_op(&vcpus[1], HVMOP_get_param, 0x40, true), -4321);
	CHECK_STR_EQ(param_call, "get v1 0x40");
}

TEST(hvm_op_unknown_sub_ops)
{
	static const unsigned long unknown[] = { 2,  3,	  9,	     11,  22,
						 24, 100, 1UL << 32, ~0UL };

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++)
		for (int compat = 0; compat < 2; compat++) {
			memset(guest_mem, FILL, sizeof(guest_mem));
			param_call[0] = 0;
			CHECK_EQ(hvm_op(&vcpus[0], unknown[i], ARG_GVA, compat),
				 -ENOSYS);
			check_fill_around(0, 0);
			CHECK_STR_EQ(param_call, "");
		}
}
