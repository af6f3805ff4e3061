/*
 * xen/common/sched_op.c, SCHEDOP_poll: the argument checks (port count,
 * the layout's port limit, unreadable arguments, both layouts) and what
 * it asks of the scheduler: a port already pending (masked or not) or a
 * pending upcall returns at once, otherwise the vCPU blocks with its
 * polling flag and port published, and its timer armed for a timeout.
 * do_sched_op is renamed (test_hypercall.c stands in for it).
 *
 * The scheduler and timer calls are faked here under names of this
 * file's own and logged as letters: B vcpu_set_blocked, C
 * vcpu_cancel_block, S schedule, I init_timer, T set_timer, X stop_timer.
 * The shared-info page and its bits are the real ones (shared_info.c,
 * and event_2l.c compiled into test_event_channel.c).
 */
#define do_sched_op sched_op_under_test
#define hvm_copy_from_guest_virt sp_copy_from_guest
#define domain_get sp_domain_get
#define domain_put sp_domain_put
#define vcpu_set_blocked sp_vcpu_set_blocked
#define vcpu_cancel_block sp_vcpu_cancel_block
#define vcpu_wake sp_vcpu_wake
#define vcpu_yield sp_vcpu_yield
#define schedule sp_schedule
#define init_timer sp_init_timer
#define set_timer sp_set_timer
#define stop_timer sp_stop_timer
#define hvm_hlt sp_hvm_hlt
#define domain_shutdown sp_domain_shutdown
#include "../../xen/common/sched_op.c"
#undef do_sched_op

#include <public/shared_info.h>

#include "harness.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x1400UL
#define ARG_GVA 0x40UL
#define PORTS_GVA 0x400UL
#define PENDING_OFFSET_ABI 2048

static struct domain dom;
static struct vcpu vcpu = { .domain = &dom, .processor = 3 };
static u8 guest_mem[0x1000];
static char calls[32];
static unsigned int nr_calls;
static bool polling_at_schedule;
static evtchn_port_t port_at_schedule;
static s_time_t timer_expiry;

int sp_copy_from_guest(struct vcpu *v, void *dst, unsigned long gva, size_t len)
{
	if (gva >= sizeof(guest_mem) || sizeof(guest_mem) - gva < len)
		return -EFAULT;
	memcpy(dst, guest_mem + gva, len);
	return 0;
}

static void log_call(char c)
{
	CHECK(nr_calls < sizeof(calls) - 1);
	calls[nr_calls++] = c;
}

void sp_vcpu_set_blocked(struct vcpu *v)
{
	CHECK(v == &vcpu);
	CHECK(!v->polling); /* published after */
	log_call('B');
}

void sp_vcpu_cancel_block(struct vcpu *v)
{
	CHECK(v == &vcpu);
	log_call('C');
}

void sp_schedule(void)
{
	polling_at_schedule = vcpu.polling;
	port_at_schedule = vcpu.poll_port;
	log_call('S');
}

void sp_init_timer(struct timer *t, void (*fn)(void *), void *data,
		   unsigned int cpu)
{
	CHECK(t == &vcpu.poll_timer);
	CHECK(data == &vcpu);
	CHECK_EQ(cpu, vcpu.processor);
	t->fn = fn;
	log_call('I');
}

void sp_set_timer(struct timer *t, s_time_t expires)
{
	CHECK(t == &vcpu.poll_timer);
	timer_expiry = expires;
	log_call('T');
}

void sp_stop_timer(struct timer *t)
{
	CHECK(t == &vcpu.poll_timer);
	log_call('X');
}

/* Not reached by SCHEDOP_poll. */
struct domain *sp_domain_get(domid_t id)
{
	FAIL("domain_get");
}

void sp_domain_put(struct domain *d)
{
	FAIL("domain_put");
}

void sp_vcpu_wake(struct vcpu *v)
{
	FAIL("vcpu_wake");
}

void sp_vcpu_yield(void)
{
	FAIL("vcpu_yield");
}

void sp_hvm_hlt(struct vcpu *v)
{
	FAIL("hvm_hlt");
}

void sp_domain_shutdown(struct domain *d, unsigned int reason)
{
	FAIL("domain_shutdown");
}

static void setup(bool compat)
{
	shim_add_ram(RAM_START, RAM_END);
	CHECK_EQ(shared_info_alloc(&dom), 0);
	shared_info_latch(&dom, compat);
	dom.max_vcpus = 1;
	dom.vcpu[0] = &vcpu;
}

static void set_pending(evtchn_port_t port)
{
	((u8 *)dom.shared_info)[PENDING_OFFSET_ABI + port / 8] |= 1u
								  << (port % 8);
}

/* Poll ports[0..nr) (copied to PORTS_GVA); the calls made are in calls. */
static long poll_at(unsigned long ports_gva, const evtchn_port_t *ports,
		    u32 nr_copy, u32 nr, u64 timeout, bool compat)
{
	struct hypercall_args a = { .a = { SCHEDOP_poll, ARG_GVA },
				    .compat = compat };
	long rc;

	memcpy(guest_mem + PORTS_GVA, ports, nr_copy * sizeof(*ports));
	if (compat) {
		struct compat_sched_poll p = { ports_gva, nr, timeout };

		memcpy(guest_mem + ARG_GVA, &p, sizeof(p));
	} else {
		struct sched_poll p = { ports_gva, nr, timeout };

		memcpy(guest_mem + ARG_GVA, &p, sizeof(p));
	}
	memset(calls, 0, sizeof(calls));
	nr_calls = 0;
	polling_at_schedule = false;
	rc = sched_op_under_test(&vcpu, &a);
	CHECK(!vcpu.polling);
	return rc;
}

static long poll(const evtchn_port_t *ports, u32 nr, u64 timeout, bool compat)
{
	return poll_at(PORTS_GVA, ports, nr, nr, timeout, compat);
}

TEST(sched_poll_argument_checks)
{
	static evtchn_port_t ports[SCHED_POLL_MAX_PORTS + 1];

	setup(false);
	CHECK_EQ(SCHED_POLL_MAX_PORTS, 128);
	CHECK_EQ(EVTCHN_2L_NR_PORTS, 4096);
	CHECK_EQ(EVTCHN_2L_NR_PORTS_COMPAT, 1024);
	for (unsigned int i = 0; i <= SCHED_POLL_MAX_PORTS; i++)
		ports[i] = i + 1;
	CHECK_EQ(poll(ports, SCHED_POLL_MAX_PORTS + 1, 0, false), -EINVAL);
	CHECK_EQ(poll_at(PORTS_GVA, ports, 0, ~0U, 0, false), -EINVAL);
	CHECK_EQ(poll(ports, SCHED_POLL_MAX_PORTS + 1, 0, true), -EINVAL);
	CHECK_STR_EQ(calls, "");
	/* A port the layout has no room for (4096 ports, 64-bit). */
	ports[5] = EVTCHN_2L_NR_PORTS;
	CHECK_EQ(poll(ports, 6, 0, false), -EINVAL);
	ports[5] = ~0U;
	CHECK_EQ(poll(ports, 6, 0, false), -EINVAL);
	CHECK_STR_EQ(calls, "");
	/* Unreadable ports or argument. */
	CHECK_EQ(poll_at(sizeof(guest_mem) - 8, ports, 0, 3, 0, false),
		 -EFAULT);
	CHECK_EQ(poll_at(~0UL - 3, ports, 0, 2, 0, false), -EFAULT);
	CHECK_STR_EQ(calls, "");
	{
		struct hypercall_args a = { .a = { SCHEDOP_poll,
						   sizeof(guest_mem) - 16 } };

		CHECK_EQ(sched_op_under_test(&vcpu, &a), -EFAULT);
		a.a[1] = sizeof(guest_mem) - 8;
		a.compat = true;
		CHECK_EQ(sched_op_under_test(&vcpu, &a), -EFAULT);
	}
	CHECK_STR_EQ(calls, "");
	/* The last port there is, pending: 128 ports accepted. */
	ports[5] = EVTCHN_2L_NR_PORTS - 1;
	set_pending(EVTCHN_2L_NR_PORTS - 1);
	CHECK_EQ(poll(ports, SCHED_POLL_MAX_PORTS, 0, false), 0);
	CHECK_STR_EQ(calls, "BC");
}

TEST(sched_poll_compat_limit)
{
	evtchn_port_t ports[2] = { 3, EVTCHN_2L_NR_PORTS_COMPAT };

	setup(true);
	CHECK_EQ(sizeof(struct compat_sched_poll), 16);
	CHECK_EQ(sizeof(struct sched_poll), 24);
	CHECK_EQ(poll(ports, 2, 0, true), -EINVAL);
	CHECK_STR_EQ(calls, "");
	ports[1] = EVTCHN_2L_NR_PORTS_COMPAT - 1;
	set_pending(ports[1]);
	CHECK_EQ(poll(ports, 2, 0, true), 0);
	CHECK_STR_EQ(calls, "BC");
	/* The layout, not the caller's mode, sets the limit. */
	ports[1] = EVTCHN_2L_NR_PORTS_COMPAT;
	CHECK_EQ(poll(ports, 2, 0, false), -EINVAL);
}

TEST(sched_poll_pending_returns_at_once)
{
	evtchn_port_t one = 77, two[2] = { 76, 77 };

	setup(false);
	set_pending(77);
	CHECK_EQ(poll(&one, 1, 1000, false), 0);
	CHECK_STR_EQ(calls, "BC");
	CHECK_EQ(vcpu.poll_port, 77);
	CHECK_EQ(poll(two, 2, 0, true), 0);
	CHECK_STR_EQ(calls, "BC");
	CHECK_EQ(vcpu.poll_port, 0);
	/* Masked: still pending for poll. */
	((u8 *)dom.shared_info)[2560 + 77 / 8] |= 1u << (77 % 8);
	CHECK_EQ(poll(&one, 1, 0, false), 0);
	CHECK_STR_EQ(calls, "BC");
	/* An upcall pending: nothing to wait for either. */
	one = 78;
	vcpu.upcall_pending = true;
	CHECK_EQ(poll(&one, 1, 0, false), 0);
	CHECK_STR_EQ(calls, "BC");
}

TEST(sched_poll_blocks)
{
	evtchn_port_t one = 9, two[2] = { 9, 10 };

	setup(false);
	set_pending(8);
	set_pending(11);
	CHECK_EQ(poll(&one, 1, 0, false), 0);
	CHECK_STR_EQ(calls, "BISX");
	CHECK(polling_at_schedule);
	CHECK_EQ(port_at_schedule, 9);
	/* The timer is set up once; a timeout arms it. */
	CHECK_EQ(poll(two, 2, 123456789, false), 0);
	CHECK_STR_EQ(calls, "BTSX");
	CHECK_EQ(timer_expiry, 123456789);
	CHECK(polling_at_schedule);
	CHECK_EQ(port_at_schedule, 0);
	/* The compat layout's timeout at offset 8. */
	CHECK_EQ(poll(two, 2, 987654321, true), 0);
	CHECK_STR_EQ(calls, "BTSX");
	CHECK_EQ(timer_expiry, 987654321);
}
