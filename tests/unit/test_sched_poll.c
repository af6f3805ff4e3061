/*
 * xen/common/sched_op.c, SCHEDOP_poll: the argument checks (port count,
 * the layout's port limit, unreadable arguments, both layouts) and what
 * it asks of the scheduler: a port already pending (masked or not) or a
 * pending upcall returns at once, otherwise the vCPU blocks with its
 * polling flag and port published, and its timer armed for a timeout.
 * And the other sub-ops: yield, block, shutdown and shutdown_code (reasons
 * above crash, the first recorded code wins), remote_shutdown (its checks
 * in the documented order, the target's reference dropped) and unknown
 * sub-ops. do_sched_op is renamed (test_hypercall.c stands in for it).
 *
 * The scheduler, timer and domain calls are faked here under names of
 * this file's own (arch_vcpu_halt() under its own: no other test needs
 * it) and logged as letters: B vcpu_set_blocked, C vcpu_cancel_block, S
 * schedule, I init_timer, T set_timer, X stop_timer, Y vcpu_yield, H
 * arch_vcpu_halt, G domain_get (found), P domain_put, D domain_shutdown.
 * Guest-virtual addresses are offsets into guest_mem[] (fake_guest.h). The shared-info page and its bits are the real ones
 * (shared_info.c, and event_2l.c compiled into test_event_channel.c).
 */
#define do_sched_op sched_op_under_test
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
#define domain_shutdown sp_domain_shutdown
#include "../../xen/common/sched_op.c"
#undef do_sched_op

#include <asm/hvm.h>
#include <public/shared_info.h>

#include "fake_guest.h"
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

/* The domains domain_get() finds: dom, ctl and other. */
static struct domain ctl = { .domain_id = 0, .is_privileged = true };
static struct domain other = { .domain_id = 2 };
static struct vcpu ctl_vcpu = { .domain = &ctl };
static struct domain *shut_domain, *caller;
static unsigned int shut_reason;

struct domain *sp_domain_get(domid_t id)
{
	struct domain *const doms[] = { &dom, &ctl, &other };

	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++)
		if (doms[i]->domain_id == id) {
			doms[i]->refcnt++;
			log_call('G');
			return doms[i];
		}
	return NULL;
}

void sp_domain_put(struct domain *d)
{
	CHECK(d->refcnt);
	d->refcnt--;
	log_call('P');
}

/* Not reached by these tests (poll_timeout() is a timer's). */
void sp_vcpu_wake(struct vcpu *v)
{
	FAIL("vcpu_wake");
}

void sp_vcpu_yield(void)
{
	log_call('Y');
}

void arch_vcpu_halt(struct vcpu *v)
{
	CHECK(v == &vcpu);
	log_call('H');
}

void sp_domain_shutdown(struct domain *d, unsigned int reason)
{
	/* Another domain is held while it is told. */
	CHECK(d->refcnt || d == caller);
	shut_domain = d;
	shut_reason = reason;
	log_call('D');
}

static void setup(bool compat)
{
	shim_add_ram(RAM_START, RAM_END);
	fake_guest_mem(guest_mem, sizeof(guest_mem), 0, 0);
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
		struct compat_sched_poll p = { .nr_ports = nr,
					       .timeout = timeout };

		set_compat_handle(p.ports, ports_gva);
		memcpy(guest_mem + ARG_GVA, &p, sizeof(p));
	} else {
		struct sched_poll p = {
			.ports = guest_handle_from_param(ports_gva,
							 evtchn_port_t),
			.nr_ports = nr,
			.timeout = timeout,
		};

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
	/* An upcall pending that can be delivered: nothing to wait for. */
	one = 78;
	vcpu.upcall_pending = true;
	vcpu.upcall_vector = 0xf0;
	CHECK_EQ(poll(&one, 1, 0, false), 0);
	CHECK_STR_EQ(calls, "BC");
}

/*
 * An upcall pending on a vCPU without an upcall vector (a pager polling
 * its ring's port) can never be taken: it does not end the poll, which
 * sleeps (S) until its port is pending or the timeout, not cancelled (C).
 */
TEST(sched_poll_upcall_without_vector_sleeps)
{
	evtchn_port_t one = 78;

	setup(false);
	vcpu.upcall_pending = true;
	vcpu.upcall_vector = 0;
	vcpu.hvm = &(struct hvm_vcpu){ .rflags = X86_EFLAGS_IF };
	CHECK_EQ(poll(&one, 1, 0, false), 0);
	CHECK(strchr(calls, 'S') && !strchr(calls, 'C'));
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

/* The domains for the sub-ops other than poll: no shutdown recorded. */
static void setup_domains(void)
{
	struct domain *const doms[] = { &dom, &ctl, &other };

	dom.domain_id = 1;
	fake_guest_mem(guest_mem, sizeof(guest_mem), 0, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++) {
		spin_lock_init(&doms[i]->shutdown_lock, "shutdown_lock",
			       LR_DOMAIN_SHUTDOWN);
		doms[i]->recorded_shutdown_code = -1;
	}
}

/* cmd with len bytes of s copied to arg first; the calls made in calls. */
static long sched_op(struct vcpu *v, unsigned long cmd, unsigned long arg,
		     const void *s, size_t len)
{
	struct hypercall_args a = { .a = { cmd, arg } };
	long rc;

	if (len)
		memcpy(guest_mem + arg, s, len);
	memset(calls, 0, sizeof(calls));
	nr_calls = 0;
	shut_domain = NULL;
	shut_reason = ~0U;
	caller = v->domain;
	rc = sched_op_under_test(v, &a);
	CHECK(!dom.refcnt && !ctl.refcnt && !other.refcnt);
	CHECK_EQ(atomic_depth(), 0);
	return rc;
}

static long shutdown_op(struct vcpu *v, unsigned long cmd, u32 reason)
{
	struct sched_shutdown s = { reason };

	return sched_op(v, cmd, ARG_GVA, &s, sizeof(s));
}

static long remote(struct vcpu *v, unsigned long arg, domid_t id, u32 reason)
{
	struct sched_remote_shutdown rs = { id, reason };

	CHECK_EQ(sizeof(rs), 8);
	CHECK_EQ(offsetof(struct sched_remote_shutdown, reason), 4);
	if (arg > sizeof(guest_mem) - sizeof(rs))
		return sched_op(v, SCHEDOP_remote_shutdown, arg, NULL, 0);
	return sched_op(v, SCHEDOP_remote_shutdown, arg, &rs, sizeof(rs));
}

TEST(sched_yield_and_block)
{
	setup_domains();
	CHECK_EQ(sched_op(&vcpu, SCHEDOP_yield, ~0UL, NULL, 0), 0);
	CHECK_STR_EQ(calls, "Y");
	CHECK_EQ(sched_op(&vcpu, SCHEDOP_block, ~0UL, NULL, 0), 0);
	CHECK_STR_EQ(calls, "H");
}

TEST(sched_shutdown_reasons)
{
	static const u32 bad[] = { SHUTDOWN_crash + 1,	SHUTDOWN_watchdog,
				   SHUTDOWN_soft_reset, 255,
				   0x80000000,		~0U };

	setup_domains();
	CHECK_EQ(SHUTDOWN_crash, 3);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ(shutdown_op(&vcpu, SCHEDOP_shutdown, bad[i]), -EINVAL);
		CHECK_STR_EQ(calls, "");
	}
	/* Unreadable: the struct is 4 bytes. */
	CHECK_EQ(sched_op(&vcpu, SCHEDOP_shutdown, sizeof(guest_mem) - 3, NULL,
			  0),
		 -EFAULT);
	CHECK_EQ(sched_op(&vcpu, SCHEDOP_shutdown, ~0UL - 1, NULL, 0), -EFAULT);
	CHECK_STR_EQ(calls, "");
	for (u32 r = SHUTDOWN_poweroff; r <= SHUTDOWN_crash; r++) {
		CHECK_EQ(shutdown_op(&vcpu, SCHEDOP_shutdown, r), 0);
		CHECK_STR_EQ(calls, "D");
		CHECK(shut_domain == &dom);
		CHECK_EQ(shut_reason, r);
	}
	/* The last bytes of guest memory; the control domain itself. */
	memset(guest_mem + sizeof(guest_mem) - 4, 0, 4);
	CHECK_EQ(sched_op(&ctl_vcpu, SCHEDOP_shutdown, sizeof(guest_mem) - 4,
			  NULL, 0),
		 0);
	CHECK(shut_domain == &ctl);
	CHECK_EQ(shut_reason, SHUTDOWN_poweroff);
	/* Not a shutdown code: nothing recorded. */
	CHECK_EQ(dom.recorded_shutdown_code, -1);
}

TEST(sched_shutdown_code_first_wins)
{
	setup_domains();
	CHECK_EQ(shutdown_op(&vcpu, SCHEDOP_shutdown_code, SHUTDOWN_crash + 1),
		 -EINVAL);
	CHECK_EQ(shutdown_op(&vcpu, SCHEDOP_shutdown_code, ~0U), -EINVAL);
	CHECK_EQ(sched_op(&vcpu, SCHEDOP_shutdown_code, sizeof(guest_mem) - 3,
			  NULL, 0),
		 -EFAULT);
	CHECK_EQ(dom.recorded_shutdown_code, -1);
	/* The domain keeps running: no shutdown. */
	CHECK_EQ(shutdown_op(&vcpu, SCHEDOP_shutdown_code, SHUTDOWN_reboot), 0);
	CHECK_STR_EQ(calls, "");
	CHECK_EQ(dom.recorded_shutdown_code, SHUTDOWN_reboot);
	CHECK_EQ(shutdown_op(&vcpu, SCHEDOP_shutdown_code, SHUTDOWN_crash), 0);
	CHECK_EQ(shutdown_op(&vcpu, SCHEDOP_shutdown_code, SHUTDOWN_poweroff),
		 0);
	CHECK_EQ(shutdown_op(&vcpu, SCHEDOP_shutdown_code, 7), -EINVAL);
	CHECK_EQ(dom.recorded_shutdown_code, SHUTDOWN_reboot);
	CHECK_STR_EQ(calls, "");
	/* Another domain's code is its own. */
	CHECK_EQ(ctl.recorded_shutdown_code, -1);
	CHECK_EQ(shutdown_op(&ctl_vcpu, SCHEDOP_shutdown_code,
			     SHUTDOWN_poweroff),
		 0);
	CHECK_EQ(ctl.recorded_shutdown_code, SHUTDOWN_poweroff);
	CHECK_EQ(dom.recorded_shutdown_code, SHUTDOWN_reboot);
}

TEST(sched_remote_shutdown_check_order)
{
	const unsigned long bad_ptr = sizeof(guest_mem) - 7;

	setup_domains();
	/* Not the control domain: -EPERM, whatever else is wrong. */
	CHECK_EQ(remote(&vcpu, ARG_GVA, other.domain_id, SHUTDOWN_poweroff),
		 -EPERM);
	CHECK_EQ(remote(&vcpu, ARG_GVA, dom.domain_id, SHUTDOWN_poweroff),
		 -EPERM);
	CHECK_EQ(remote(&vcpu, bad_ptr, other.domain_id, SHUTDOWN_poweroff),
		 -EPERM);
	CHECK_EQ(remote(&vcpu, ARG_GVA, 99, SHUTDOWN_crash + 1), -EPERM);
	CHECK_STR_EQ(calls, "");
	/* Then the pointer (8 bytes), before the reason and the domain. */
	CHECK_EQ(remote(&ctl_vcpu, bad_ptr, 99, SHUTDOWN_crash + 1), -EFAULT);
	CHECK_EQ(remote(&ctl_vcpu, ~0UL - 3, 99, 0), -EFAULT);
	CHECK_STR_EQ(calls, "");
	/* Then the reason, before the domain. */
	CHECK_EQ(remote(&ctl_vcpu, ARG_GVA, 99, SHUTDOWN_crash + 1), -EINVAL);
	CHECK_EQ(remote(&ctl_vcpu, ARG_GVA, other.domain_id, ~0U), -EINVAL);
	CHECK_STR_EQ(calls, "");
	/* Then the domain. */
	CHECK_EQ(remote(&ctl_vcpu, ARG_GVA, 99, SHUTDOWN_crash), -ESRCH);
	CHECK_EQ(remote(&ctl_vcpu, ARG_GVA, DOMID_SELF, SHUTDOWN_crash),
		 -ESRCH);
	CHECK_STR_EQ(calls, "");
	CHECK(!shut_domain);
	CHECK_EQ(other.recorded_shutdown_code, -1);
}

TEST(sched_remote_shutdown_any_domain)
{
	setup_domains();
	for (u32 r = SHUTDOWN_poweroff; r <= SHUTDOWN_crash; r++) {
		CHECK_EQ(remote(&ctl_vcpu, ARG_GVA, other.domain_id, r), 0);
		CHECK_STR_EQ(calls, "GDP");
		CHECK(shut_domain == &other);
		CHECK_EQ(shut_reason, r);
	}
	/* The caller's own domain, from the last 8 bytes of memory. */
	CHECK_EQ(remote(&ctl_vcpu, sizeof(guest_mem) - 8, ctl.domain_id,
			SHUTDOWN_reboot),
		 0);
	CHECK_STR_EQ(calls, "GDP");
	CHECK(shut_domain == &ctl);
	CHECK_EQ(shut_reason, SHUTDOWN_reboot);
	CHECK_EQ(remote(&ctl_vcpu, ARG_GVA, dom.domain_id, SHUTDOWN_suspend),
		 0);
	CHECK(shut_domain == &dom);
	CHECK_EQ(shut_reason, SHUTDOWN_suspend);
}

TEST(sched_op_unknown_sub_ops)
{
	static const unsigned long unknown[] = {
		SCHEDOP_watchdog, 7, 8, 0x100, 1UL << 32, ~0UL,
	};

	setup_domains();
	for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++) {
		CHECK_EQ(sched_op(&vcpu, unknown[i], ARG_GVA, NULL, 0),
			 -ENOSYS);
		CHECK_EQ(sched_op(&ctl_vcpu, unknown[i], ARG_GVA, NULL, 0),
			 -ENOSYS);
		CHECK_STR_EQ(calls, "");
	}
}
