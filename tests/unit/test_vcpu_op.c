/*
 * xen/arch/x86/hvm/vcpu_op.c, vcpu_op: up, down and is_up on the caller's
 * domain's vCPUs (an id it does not have: -EINVAL), initialise (the
 * context read and converted, its start state handed on), and the one-shot
 * timer of the caller's own vCPU (another's: -EPERM, beyond the domain:
 * -EINVAL): flags, VCPU_SSHOTTMR_future with a deadline past (-ETIME),
 * the packed 12-byte argument, the timer set up once and its upcall;
 * unknown sub-ops. do_vcpu_op is renamed (test_hypercall.c stands in for
 * it).
 *
 * Guest-virtual addresses are offsets into guest_mem[] (fake_guest.h).
 * NOW(), the timer, the wait queue and send_event_check() are faked here
 * under names of this file's own, and logged as letters with the shim's
 * upcall: I init_timer, T set_timer, X stop_timer, W wake_up_all, E
 * send_event_check, U arch_vcpu_raise_upcall; S hvm_vcpu_set_start
 * (hvm/vcpu_start.c, faked with its results; hvm_vcpu_up as it acts).
 *
 * The domain has 4 vCPU ids, vCPUs 0 to 2 (3 was never created).
 */
#define do_vcpu_op vcpu_op_under_test
#define NOW vo_now
#define init_timer vo_init_timer
#define set_timer vo_set_timer
#define stop_timer vo_stop_timer
#define wake_up_all vo_wake_up_all
#define send_event_check vo_send_event_check
#include "../../xen/arch/x86/hvm/vcpu_op.c"
#undef do_vcpu_op

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define ARG_GVA 0x40UL
#define NOW_NS 5000000000LL

static struct domain dom = { .domain_id = 1, .max_vcpus = 4 };
static struct vcpu vcpus[3];
static struct hvm_vcpu hvms[3];
static u8 guest_mem[0x100];
static char calls[32];
static unsigned int nr_calls;
static s_time_t expiry;
static void *woken, *raised;
static unsigned int kicked;

static void log_call(char c)
{
	CHECK(nr_calls < sizeof(calls) - 1);
	calls[nr_calls++] = c;
}

s_time_t vo_now(void)
{
	return NOW_NS;
}

/* The time and vcpu_info sub-ops (vcpu_op_time.c) are not tested here. */
long vcpu_op_time(struct vcpu *v, struct hypercall_args *args)
{
	return -ENOSYS;
}

void vo_init_timer(struct timer *t, void (*fn)(void *), void *data,
		   unsigned int cpu)
{
	struct vcpu *v = data;

	CHECK(t == &v->singleshot);
	CHECK_EQ(cpu, v->processor);
	t->fn = fn;
	t->data = data;
	log_call('I');
}

void vo_set_timer(struct timer *t, s_time_t expires)
{
	CHECK(t->fn);
	expiry = expires;
	log_call('T');
}

void vo_stop_timer(struct timer *t)
{
	CHECK(t->fn);
	log_call('X');
}

void vo_wake_up_all(struct waitqueue_head *wq)
{
	woken = wq;
	log_call('W');
}

void vo_send_event_check(unsigned int cpu)
{
	kicked = cpu;
	log_call('E');
}

static struct hvm_vcpu started;
static struct vcpu *started_vcpu;
static int start_rc;

int hvm_vcpu_set_start(struct vcpu *v, const struct hvm_vcpu *start)
{
	started = *start;
	started_vcpu = v;
	log_call('S');
	return start_rc;
}

int hvm_vcpu_up(struct vcpu *v)
{
	struct hvm_vcpu *h = hvm_of(v);

	if (h->unstarted)
		return -EINVAL;
	h->down = false;
	vo_wake_up_all(&h->down_wq);
	return 0;
}

static void log_upcall(struct vcpu *v)
{
	raised = v;
	log_call('U');
}

static void setup(void)
{
	fake_guest_mem(guest_mem, sizeof(guest_mem), 0, 0);
	fake_guest_upcall = log_upcall;
	for (unsigned int i = 0; i < ARRAY_SIZE(vcpus); i++) {
		vcpus[i].vcpu_id = i;
		vcpus[i].domain = &dom;
		vcpus[i].processor = 10 + i;
		vcpus[i].hvm = &hvms[i];
		dom.vcpu[i] = &vcpus[i];
	}
}

static long vcpu_op(struct vcpu *v, unsigned long cmd, unsigned long id,
		    unsigned long arg)
{
	struct hypercall_args a = { .a = { cmd, id, arg } };

	memset(calls, 0, sizeof(calls));
	nr_calls = 0;
	return vcpu_op_under_test(v, &a);
}

static long singleshot(struct vcpu *v, unsigned long id, u64 timeout, u32 flags)
{
	struct vcpu_set_singleshot_timer t = { timeout, flags };

	CHECK_EQ(sizeof(t), 12);
	memcpy(guest_mem + ARG_GVA, &t, sizeof(t));
	return vcpu_op(v, VCPUOP_set_singleshot_timer, id, ARG_GVA);
}

TEST(vcpu_op_up_down_is_up)
{
	setup();
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_is_up, 1, 0), 1);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_down, 1, 0), 0);
	CHECK(hvms[1].down);
	/* The other vCPU is made to pass through its loop. */
	CHECK_STR_EQ(calls, "E");
	CHECK_EQ(kicked, 11);
	CHECK_EQ(vcpu_op(&vcpus[2], VCPUOP_is_up, 1, 0), 0);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_is_up, 0, 0), 1);
	CHECK_EQ(vcpu_op(&vcpus[2], VCPUOP_up, 1, 0), 0);
	CHECK(!hvms[1].down);
	CHECK_STR_EQ(calls, "W");
	CHECK(woken == &hvms[1].down_wq);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_is_up, 1, 0), 1);
	/* Itself: no kick, it stops on its way out. */
	CHECK_EQ(vcpu_op(&vcpus[2], VCPUOP_down, 2, 0), 0);
	CHECK_STR_EQ(calls, "");
	CHECK(hvms[2].down);
	CHECK(!hvms[0].down && !hvms[1].down);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_is_up, 2, 0), 0);
	/* up of a vCPU that is up: 0, the sleepers woken (none). */
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_up, 0, 0), 0);
	CHECK(!hvms[0].down);
}

TEST(vcpu_op_initialise)
{
	struct vcpu_hvm_context c = { .mode = VCPU_HVM_MODE_32B };

	setup();
	CHECK(ARG_GVA + sizeof(c) <= sizeof(guest_mem));
	c.cpu_regs.x86_32.eip = 0x1234;
	c.cpu_regs.x86_32.esp = 0x8000;
	c.cpu_regs.x86_32.ebx = 7;
	c.cpu_regs.x86_32.cr0 = X86_CR0_PE;
	memcpy(guest_mem + ARG_GVA, &c, sizeof(c));
	start_rc = 0;
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_initialise, 1, ARG_GVA), 0);
	CHECK_STR_EQ(calls, "S");
	CHECK(started_vcpu == &vcpus[1]);
	CHECK_EQ(started.rip, 0x1234);
	CHECK_EQ(started.rsp, 0x8000);
	CHECK_EQ(started.regs.rbx, 7);
	CHECK(!started.entry_64bit && !started.entry_real);
	/* What vcpu_start.c answers is the answer (a vCPU that runs). */
	start_rc = -EEXIST;
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_initialise, 0, ARG_GVA), -EEXIST);
	start_rc = 0;
	/* A state the vendors cannot start in, ids, the argument. */
	c.mode = 7;
	memcpy(guest_mem + ARG_GVA, &c, sizeof(c));
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_initialise, 1, ARG_GVA), -EINVAL);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_initialise, 3, ARG_GVA), -EINVAL);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_initialise, 4, ARG_GVA), -EINVAL);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_initialise, 1,
			 sizeof(guest_mem) - sizeof(c) + 1),
		 -EFAULT);
	CHECK_STR_EQ(calls, "");
	/* up of a vCPU with no start state: -EINVAL, it stays down. */
	hvms[2].down = hvms[2].unstarted = true;
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_up, 2, 0), -EINVAL);
	CHECK(hvms[2].down);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_is_up, 2, 0), 0);
	hvms[2].down = hvms[2].unstarted = false;
}

TEST(vcpu_op_up_down_bad_ids)
{
	/* 3 is below max_vcpus but was never created. */
	static const unsigned long bad[] = { 3, 4, 8, 1000, 1UL << 32, ~0UL };
	static const unsigned long cmds[] = { VCPUOP_up, VCPUOP_down,
					      VCPUOP_is_up };

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		for (unsigned int j = 0; j < ARRAY_SIZE(cmds); j++) {
			CHECK_EQ(vcpu_op(&vcpus[0], cmds[j], bad[i], 0),
				 -EINVAL);
			CHECK_STR_EQ(calls, "");
		}
	for (unsigned int i = 0; i < ARRAY_SIZE(hvms); i++)
		CHECK(!hvms[i].down);
}

TEST(vcpu_op_singleshot_own_vcpu_only)
{
	static const unsigned long cmds[] = { VCPUOP_set_singleshot_timer,
					      VCPUOP_stop_singleshot_timer };

	setup();
	singleshot(&vcpus[0], 0, NOW_NS + 1, 0);
	for (unsigned int j = 0; j < ARRAY_SIZE(cmds); j++) {
		/* Another vCPU of the domain. */
		CHECK_EQ(vcpu_op(&vcpus[0], cmds[j], 1, ARG_GVA), -EPERM);
		CHECK_EQ(vcpu_op(&vcpus[2], cmds[j], 0, ARG_GVA), -EPERM);
		/* One it has room for but not (3), as for up and down. */
		CHECK_EQ(vcpu_op(&vcpus[0], cmds[j], 3, ARG_GVA), -EINVAL);
		/* Beyond the domain. */
		CHECK_EQ(vcpu_op(&vcpus[0], cmds[j], 4, ARG_GVA), -EINVAL);
		CHECK_EQ(vcpu_op(&vcpus[1], cmds[j], 1UL << 32 | 1, ARG_GVA),
			 -EINVAL);
		CHECK_EQ(vcpu_op(&vcpus[0], cmds[j], ~0UL, ARG_GVA), -EINVAL);
		CHECK_STR_EQ(calls, "");
	}
}

TEST(vcpu_op_singleshot_flags_and_deadlines)
{
	static const u32 bad_flags[] = { 2, 3, 0x80000000, ~0U };

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		CHECK_EQ(singleshot(&vcpus[1], 1, NOW_NS + 1000, bad_flags[i]),
			 -EINVAL);
		CHECK_STR_EQ(calls, "");
	}
	/* In the past with VCPU_SSHOTTMR_future. */
	CHECK_EQ(singleshot(&vcpus[1], 1, NOW_NS - 1, VCPU_SSHOTTMR_future),
		 -ETIME);
	CHECK_EQ(singleshot(&vcpus[1], 1, 0, VCPU_SSHOTTMR_future), -ETIME);
	CHECK_STR_EQ(calls, "");
	CHECK(!vcpus[1].singleshot.fn);
	/* Now is not past; the timer is set up once. */
	CHECK_EQ(singleshot(&vcpus[1], 1, NOW_NS, VCPU_SSHOTTMR_future), 0);
	CHECK_STR_EQ(calls, "IT");
	CHECK_EQ(expiry, NOW_NS);
	CHECK_EQ(singleshot(&vcpus[1], 1, NOW_NS + 77, VCPU_SSHOTTMR_future),
		 0);
	CHECK_STR_EQ(calls, "T");
	CHECK_EQ(expiry, NOW_NS + 77);
	/* Without the flag a deadline past is set (it fires at once). */
	CHECK_EQ(singleshot(&vcpus[1], 1, NOW_NS - 1, 0), 0);
	CHECK_STR_EQ(calls, "T");
	CHECK_EQ(expiry, NOW_NS - 1);
	CHECK_EQ(singleshot(&vcpus[1], 1, 0, 0), 0);
	CHECK_EQ(expiry, 0);
	/* 2^63 ns and beyond are far future (unsigned, as in Xen), not past. */
	CHECK_EQ(singleshot(&vcpus[1], 1, 1ULL << 63, VCPU_SSHOTTMR_future), 0);
	CHECK(expiry > NOW_NS);
	CHECK_EQ(singleshot(&vcpus[1], 1, ~0ULL, 0), 0);
	CHECK(expiry > NOW_NS);
	/* It raises the vCPU's upcall. */
	nr_calls = 0;
	vcpus[1].singleshot.fn(vcpus[1].singleshot.data);
	CHECK_STR_EQ(calls, "U");
	CHECK(raised == &vcpus[1]);
	/* stop: only a timer that was set up. */
	CHECK_EQ(vcpu_op(&vcpus[1], VCPUOP_stop_singleshot_timer, 1, 0), 0);
	CHECK_STR_EQ(calls, "X");
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_stop_singleshot_timer, 0, 0), 0);
	CHECK_STR_EQ(calls, "");
}

TEST(vcpu_op_singleshot_argument)
{
	struct vcpu_set_singleshot_timer t = { NOW_NS + 5, 0 };

	setup();
	/* Packed: 12 bytes read, up to the last byte of memory. */
	memcpy(guest_mem + sizeof(guest_mem) - 12, &t, 12);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_set_singleshot_timer, 0,
			 sizeof(guest_mem) - 12),
		 0);
	CHECK_STR_EQ(calls, "IT");
	CHECK_EQ(expiry, NOW_NS + 5);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_set_singleshot_timer, 0,
			 sizeof(guest_mem) - 11),
		 -EFAULT);
	CHECK_EQ(vcpu_op(&vcpus[0], VCPUOP_set_singleshot_timer, 0, ~0UL - 3),
		 -EFAULT);
	CHECK_STR_EQ(calls, "");
}

TEST(vcpu_op_unknown_sub_ops)
{
	static const unsigned long unknown[] = { 4,  5,	  6,	     7,	  10,
						 11, 100, 1UL << 32, ~0UL };

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++) {
		CHECK_EQ(vcpu_op(&vcpus[0], unknown[i], 0, ARG_GVA), -ENOSYS);
		CHECK_EQ(vcpu_op(&vcpus[2], unknown[i], 2, ARG_GVA), -ENOSYS);
		/* Whatever the id: the sub-op is looked at first. */
		CHECK_EQ(vcpu_op(&vcpus[0], unknown[i], 1, ARG_GVA), -ENOSYS);
		CHECK_EQ(vcpu_op(&vcpus[0], unknown[i], ~0UL, ARG_GVA),
			 -ENOSYS);
		CHECK_STR_EQ(calls, "");
	}
}
