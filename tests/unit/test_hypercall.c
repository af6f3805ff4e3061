/*
 * xen/common/hypercall.c: the table by Xen's numbers, the dispatcher's
 * argument checks (-ENOSYS for every number without a handler, however
 * large; a handler sees only the arguments it declared), continuations
 * counted per domain, and memory_op's continuation encoding. The handlers
 * here are stand-ins that record how they were called.
 */
#include <xen/hypercall.h>
#include <public/xen.h>

#include "harness.h"

#define RESTART_ME 0x5e5e /* a[0] that makes a stand-in ask to continue */

static const char *called;
static struct hypercall_args seen;

static long record(const char *name, struct hypercall_args *args)
{
	called = name;
	seen = *args;
	if (args->a[0] == RESTART_ME) {
		args->a[1]++;
		return -ERESTART;
	}
	return 1000 + args->a[0];
}

#define STAND_IN(n)                                              \
	long do_##n(struct vcpu *v, struct hypercall_args *args) \
	{                                                        \
		return record(#n, args);                         \
	}

STAND_IN(memory_op)
STAND_IN(xen_version)
STAND_IN(console_io)
STAND_IN(grant_table_op)
STAND_IN(vcpu_op)
STAND_IN(sched_op)
STAND_IN(event_channel_op)
STAND_IN(hvm_op)
STAND_IN(sysctl)
STAND_IN(domctl)

static const struct {
	unsigned int nr;
	const char *name;
	unsigned int nr_args;
} implemented[] = {
	{ 12, "memory_op", 2 },	       { 17, "xen_version", 2 },
	{ 18, "console_io", 3 },       { 20, "grant_table_op", 3 },
	{ 24, "vcpu_op", 3 },	       { 29, "sched_op", 2 },
	{ 32, "event_channel_op", 2 }, { 34, "hvm_op", 2 },
	{ 35, "sysctl", 1 },	       { 36, "domctl", 1 },
};

static struct domain dom;
static struct vcpu vcpu = { .domain = &dom };

/* The dispatcher runs hypercalls for the current vCPU: vcpu's. */
static long dispatch(unsigned long nr, struct hypercall_args *a)
{
	this_cpu(curr_vcpu) = &vcpu;
	return hypercall_dispatch(&vcpu, nr, a);
}

static struct hypercall_args args_of(unsigned long fill)
{
	struct hypercall_args a;

	for (unsigned int i = 0; i < HYPERCALL_MAX_ARGS; i++)
		a.a[i] = fill + i;
	a.compat = false;
	return a;
}

static const char *implemented_name(unsigned long nr)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(implemented); i++)
		if (implemented[i].nr == nr)
			return implemented[i].name;
	return NULL;
}

TEST(hypercall_table_has_xens_numbers)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(implemented); i++) {
		const struct hypercall_desc *h =
			&hypercall_table[implemented[i].nr];

		CHECK(h->fn);
		CHECK_STR_EQ(h->name, implemented[i].name);
		CHECK_EQ(h->nr_args, implemented[i].nr_args);
	}
	CHECK_EQ(__HYPERVISOR_console_io, 18);
	CHECK_EQ(__HYPERVISOR_sched_op, 29);
	CHECK_EQ(__HYPERVISOR_event_channel_op, 32);
	for (unsigned int nr = 0; nr < NR_HYPERCALLS; nr++) {
		const struct hypercall_desc *h = &hypercall_table[nr];

		CHECK(!h->fn == !implemented_name(nr));
		CHECK(!h->fn || h->nr_args <= HYPERCALL_MAX_ARGS);
	}
}

TEST(hypercall_unknown_numbers_are_enosys)
{
	static const unsigned long past[] = {
		NR_HYPERCALLS, NR_HYPERCALLS + 1, 100,	128,
		0xffffffffUL,  1UL << 32,	  ~0UL, (unsigned long)-ENOSYS
	};

	for (unsigned long nr = 0; nr < NR_HYPERCALLS; nr++) {
		struct hypercall_args a = args_of(7);
		long rc;

		called = NULL;
		rc = dispatch(nr, &a);
		if (implemented_name(nr)) {
			CHECK_EQ(rc, 1007);
			CHECK_STR_EQ(called, implemented_name(nr));
		} else {
			CHECK_EQ(rc, -ENOSYS);
			CHECK(!called);
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(past); i++) {
		struct hypercall_args a = args_of(7);

		called = NULL;
		CHECK_EQ(dispatch(past[i], &a), -ENOSYS);
		CHECK(!called);
	}
}

TEST(hypercall_handler_sees_only_declared_args)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(implemented); i++) {
		struct hypercall_args a = args_of(100);

		a.compat = true;
		dispatch(implemented[i].nr, &a);
		for (unsigned int j = 0; j < HYPERCALL_MAX_ARGS; j++)
			CHECK_EQ(seen.a[j],
				 j < implemented[i].nr_args ? 100 + j : 0);
		CHECK(seen.compat);
	}
}

TEST(hypercall_continuation_updates_args_and_counts)
{
	struct hypercall_args a = args_of(0);

	a.a[0] = RESTART_ME;
	dom.nr_continuations = 0;
	CHECK_EQ(dispatch(__HYPERVISOR_console_io, &a), -ERESTART);
	CHECK_EQ(a.a[1], 2); /* the stand-in's progress */
	CHECK_EQ(dispatch(__HYPERVISOR_console_io, &a), -ERESTART);
	CHECK_EQ(a.a[1], 3);
	CHECK_EQ(dom.nr_continuations, 2);
	a.a[0] = 0;
	CHECK_EQ(dispatch(__HYPERVISOR_console_io, &a), 1000);
	CHECK_EQ(dom.nr_continuations, 2);
}

TEST(hypercall_memop_encoding)
{
	unsigned long cmd = memop_cmd(20, 12345);

	CHECK_EQ(MEMOP_EXTENT_SHIFT, 6);
	CHECK_EQ(cmd, (12345UL << 6) | 20);
	CHECK_EQ(memop_op(cmd), 20);
	CHECK_EQ(memop_start(cmd), 12345);
	/* The op never spills into start, nor start into the op. */
	CHECK_EQ(memop_op(memop_cmd(0x7f, 1)), 0x3f);
	CHECK_EQ(memop_start(memop_cmd(0x7f, 1)), 1);
	CHECK_EQ(memop_cmd(3, 0), 3);
	/* The largest start survives a caller's register. */
	CHECK_EQ(memop_start_max(true), 0x3ffffff);
	CHECK_EQ((u32)memop_cmd(63, memop_start_max(true)), 0xffffffffu);
	CHECK_EQ(memop_start((u32)memop_cmd(1, memop_start_max(true))),
		 memop_start_max(true));
	CHECK_EQ(memop_start_max(false), ~0UL >> 6);
	CHECK_EQ(memop_start(memop_cmd(1, memop_start_max(false))),
		 memop_start_max(false));
}
