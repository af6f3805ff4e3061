/*
 * xen/common/autoexit.c: the verdict of each expect= value, the end of the
 * run (at once when no domain was built), and the hang rule: every domain
 * left has each vCPU halted with RFLAGS.IF clear, no one-shot timer and
 * no upcall pending, or down; the control domain with VIRQ_CONSOLE bound
 * is not hung; the state must last HANG_CONFIRM_MS with no vCPU woken in
 * between before the domains are shut down as hung, once.
 *
 * The domain list, the scheduler's view of a vCPU, the timer, the clock,
 * the reaper and the emulator exit are faked under names of this file's
 * own. emulator_exit() does not return: the fake jumps back to the test.
 * What autoexit asks of the arch about a vCPU is answered from the x86
 * vCPU state in hvms[]: arch_vcpu_down_wq() here, under its own names (no
 * other test needs it), arch_vcpu_irqs_enabled() by the shim.
 */
#define domain_next ae_domain_next
#define domain_count ae_domain_count
#define domain_shutdown_hung ae_domain_shutdown_hung
#define domain_shutdown_reason ae_domain_shutdown_reason
#define vcpu_blocked_off_cpu ae_vcpu_blocked_off_cpu
#define reaper_kick ae_reaper_kick
#define emulator_exit ae_emulator_exit
#define exit_emulator_when_done ae_exit_emulator_when_done
#define init_timer ae_init_timer
#define set_timer ae_set_timer
#define timer_is_active ae_timer_is_active
#define NOW ae_now
#include "../../xen/common/autoexit.c"

#include <setjmp.h>

#include <asm/hvm.h>

#include "harness.h"
#include "shim.h"

#define NR_DOMS 3
#define NR_VCPUS 2

bool ae_exit_emulator_when_done;

static struct domain doms[NR_DOMS];
static struct vcpu vcpus[NR_DOMS][NR_VCPUS];
static struct hvm_vcpu hvms[NR_DOMS][NR_VCPUS];
static unsigned int nr_doms;
static s_time_t now;
static s_time_t timer_at;
static unsigned int kicks, hung_reports;
static jmp_buf exited;
static int exit_pass = -1;

struct waitqueue_head *arch_vcpu_down_wq(struct vcpu *v)
{
	return &((struct hvm_vcpu *)v->hvm)->down_wq;
}

struct domain *ae_domain_next(struct domain *d)
{
	unsigned int i = d ? (unsigned int)(d - doms) + 1 : 0;

	for (; i < nr_doms; i++)
		if (doms[i].max_vcpus) /* 0: destroyed */
			return &doms[i];
	return NULL;
}

unsigned int ae_domain_count(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr_doms; i++)
		n += !!doms[i].max_vcpus;
	return n;
}

void ae_domain_shutdown_hung(struct domain *d)
{
	CHECK(!d->hung);
	d->hung = true;
	d->is_shutting_down = true;
	d->shutdown_code = SHUTDOWN_crash;
	hung_reports++;
}

const char *ae_domain_shutdown_reason(const struct domain *d)
{
	return d->hung ? "hung" : "other";
}

bool ae_vcpu_blocked_off_cpu(struct vcpu *v, unsigned long *wakeups)
{
	*wakeups = v->nr_wakeups;
	return v->state == VCPU_BLOCKED && !v->running;
}

void ae_reaper_kick(void)
{
	kicks++;
}

void ae_emulator_exit(bool pass)
{
	exit_pass = pass;
	longjmp(exited, 1);
}

void ae_init_timer(struct timer *t, void (*fn)(void *), void *data,
		   unsigned int cpu)
{
	t->fn = fn;
}

void ae_set_timer(struct timer *t, s_time_t expires)
{
	timer_at = expires;
}

bool ae_timer_is_active(const struct timer *t)
{
	return t->active;
}

s_time_t ae_now(void)
{
	return now;
}

/* n domains of nr vCPUs each, every vCPU halted: IF=0, nothing armed. */
static void setup(unsigned int n, unsigned int nr)
{
	unsigned int i, j;

	memset(doms, 0, sizeof(doms));
	memset(vcpus, 0, sizeof(vcpus));
	memset(hvms, 0, sizeof(hvms));
	nr_doms = n;
	now = SECONDS(1);
	for (i = 0; i < n; i++) {
		doms[i].domain_id = (domid_t)(i + 1);
		doms[i].max_vcpus = nr;
		doms[i].has_verdict = true;
		for (j = 0; j < nr; j++) {
			vcpus[i][j].domain = &doms[i];
			vcpus[i][j].vcpu_id = j;
			vcpus[i][j].hvm = &hvms[i][j];
			vcpus[i][j].state = VCPU_BLOCKED;
			hvms[i][j].rflags = 0x2;
			doms[i].vcpu[j] = &vcpus[i][j];
		}
	}
	opt_autoexit = true;
	hung_since = 0;
	kicks = hung_reports = 0;
	exit_pass = -1;
	autoexit_boot_done();
}

/* One reaper pass; whether it ended the run. */
static bool check(void)
{
	if (setjmp(exited))
		return true;
	autoexit_check();
	return false;
}

/* Look, wait HANG_CONFIRM_MS, look again: how many were declared hung. */
static unsigned int look_twice(void)
{
	CHECK(!check());
	CHECK(!hung_reports);
	now += MILLISECS(HANG_CONFIRM_MS);
	CHECK(!check());
	return hung_reports;
}

TEST(autoexit_expect_notes)
{
	CHECK_STR_EQ(autoexit_expect_note(EXPECT_CRASH), ", expected to crash");
	CHECK_STR_EQ(autoexit_expect_note(EXPECT_HANG), ", expected to hang");
	CHECK_STR_EQ(autoexit_expect_note(EXPECT_POWEROFF),
		     ", expected to power off");
	CHECK_STR_EQ(autoexit_expect_note(EXPECT_SUCCESS), "");
}

TEST(autoexit_verdicts)
{
	/*
	 * crash: the reason the hypervisor recorded ("" when the guest shut
	 * itself down); failure: the guest printed FAILURE or ERROR.
	 */
	static const struct {
		enum domain_expect expect;
		const char *want;
		unsigned int code;
		const char *crash;
		bool success, failure, hung, pass;
	} cases[] = {
		{ EXPECT_SUCCESS, "", SHUTDOWN_poweroff, "", true, false, false,
		  true },
		{ EXPECT_SUCCESS, "", SHUTDOWN_poweroff, "", false, false,
		  false, false },
		{ EXPECT_SUCCESS, "", SHUTDOWN_crash, "", true, false, false,
		  false },
		{ EXPECT_SUCCESS, "", SHUTDOWN_crash, "hung", false, false,
		  true, false },
		/* A SUCCESS after a FAILURE line does not undo it. */
		{ EXPECT_SUCCESS, "", SHUTDOWN_poweroff, "", true, true, false,
		  false },
		{ EXPECT_CRASH, "", SHUTDOWN_crash, "triple fault", false,
		  false, false, true },
		{ EXPECT_CRASH, "triple", SHUTDOWN_crash, "triple fault", false,
		  false, false, true },
		/* Crashed, but not for the reason the test expects. */
		{ EXPECT_CRASH, "triple", SHUTDOWN_crash, "double fault", false,
		  false, false, false },
		/* The guest's own crash shutdown (its failure path). */
		{ EXPECT_CRASH, "", SHUTDOWN_crash, "", false, false, false,
		  false },
		{ EXPECT_CRASH, "", SHUTDOWN_crash, "", false, true, false,
		  false },
		/* The expected crash after the guest reported an ERROR. */
		{ EXPECT_CRASH, "triple", SHUTDOWN_crash, "triple fault", false,
		  true, false, false },
		{ EXPECT_CRASH, "", SHUTDOWN_crash, "hung", false, false, true,
		  false },
		{ EXPECT_CRASH, "", SHUTDOWN_poweroff, "", true, false, false,
		  false },
		{ EXPECT_HANG, "", SHUTDOWN_crash, "hung", false, false, true,
		  true },
		{ EXPECT_HANG, "", SHUTDOWN_crash, "hung", false, true, true,
		  false },
		{ EXPECT_HANG, "", SHUTDOWN_crash, "triple fault", false, false,
		  false, false },
		{ EXPECT_HANG, "", SHUTDOWN_poweroff, "", true, false, false,
		  false },
		/* A stock kernel: no verdict line, a clean poweroff. */
		{ EXPECT_POWEROFF, "", SHUTDOWN_poweroff, "", false, false,
		  false, true },
		{ EXPECT_POWEROFF, "", SHUTDOWN_poweroff, "", true, false,
		  false, true },
		{ EXPECT_POWEROFF, "", SHUTDOWN_poweroff, "", false, true,
		  false, false },
		{ EXPECT_POWEROFF, "", SHUTDOWN_crash, "triple fault", false,
		  false, false, false },
		{ EXPECT_POWEROFF, "", SHUTDOWN_crash, "", false, false, false,
		  false },
		{ EXPECT_POWEROFF, "", SHUTDOWN_reboot, "", false, false, false,
		  false },
		{ EXPECT_POWEROFF, "", SHUTDOWN_crash, "hung", false, false,
		  true, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct domain d = {
			.has_verdict = true,
			.expect = cases[i].expect,
			.shutdown_code = cases[i].code,
			.printed_success = cases[i].success,
			.printed_failure = cases[i].failure,
			.hung = cases[i].hung,
		};
		unsigned int p = domains_passed, f = domains_failed;

		snprintf(d.expect_reason, sizeof(d.expect_reason), "%s",
			 cases[i].want);
		snprintf(d.crash_reason, sizeof(d.crash_reason), "%s",
			 cases[i].crash);
		autoexit_domain_gone(&d);
		if (domains_passed - p != cases[i].pass ||
		    domains_failed - f != !cases[i].pass)
			FAIL("case %u: counted as %s", i,
			     cases[i].pass ? "failed" : "passed");
	}
	/* A module's domain that was never built has no verdict. */
	i = domains_passed + domains_failed;
	autoexit_domain_gone(&(struct domain){ .has_verdict = false });
	CHECK_EQ(domains_passed + domains_failed, i);
}

TEST(autoexit_no_domain_ends_at_once_failing)
{
	setup(0, 0);
	CHECK(kicks); /* the reaper looks right after the boot */
	CHECK(check());
	CHECK_EQ(exit_pass, 0);
}

TEST(autoexit_waits_for_boot_then_the_last_domain)
{
	struct domain d = { .has_verdict = true,
			    .printed_success = true,
			    .shutdown_code = SHUTDOWN_poweroff };

	nr_doms = 0;
	boot_done = false;
	CHECK(!check()); /* during the build nothing ends the run */
	setup(1, 1);
	vcpus[0][0].state = VCPU_RUNNABLE;
	CHECK(!check());
	domains_passed = domains_failed = 0;
	autoexit_domain_gone(&d);
	doms[0].max_vcpus = 0;
	CHECK(check());
	CHECK_EQ(exit_pass, 1);
}

TEST(autoexit_hung_domains_confirmed_then_shut_down_once)
{
	setup(2, 2);
	CHECK(!check());
	CHECK_EQ(timer_at, now + MILLISECS(HANG_CONFIRM_MS));
	now += MILLISECS(HANG_CONFIRM_MS) - 1;
	CHECK(!check());
	CHECK(!hung_reports);
	now += 1;
	CHECK(!check());
	CHECK_EQ(hung_reports, 2);
	CHECK(doms[0].hung && doms[1].hung);
	/* Shutting down: not hung again, however often the reaper looks. */
	now += SECONDS(1);
	CHECK(!check());
	CHECK_EQ(hung_reports, 2);
}

TEST(autoexit_down_vcpu_counts_as_stuck)
{
	setup(1, 2);
	vcpus[0][1].waitqueue = &hvms[0][1].down_wq;
	CHECK_EQ(look_twice(), 1);
}

/* Each way a vCPU may still wake up keeps its domain from counting. */
TEST(autoexit_not_hung_while_something_can_wake_it)
{
	struct waitqueue_head other_wq;
	unsigned int c;

	for (c = 0; c < 9; c++) {
		struct vcpu *v = &vcpus[0][1];

		setup(2, 2);
		switch (c) {
		case 0: /* interrupts on */
			hvms[0][1].rflags |= X86_EFLAGS_IF;
			break;
		case 1:
			v->singleshot.active = true;
			break;
		case 2:
			v->upcall_pending = true;
			break;
		case 3: /* SCHEDOP_poll */
			v->polling = true;
			break;
		case 4: /* another wait queue */
			v->waitqueue = &other_wq;
			break;
		case 5:
			v->state = VCPU_RUNNABLE;
			break;
		case 6: /* blocked, not yet off its CPU */
			v->running = true;
			break;
		case 7: /* a hypervisor-only vCPU */
			v->hvm = NULL;
			break;
		case 8: /* console input may raise VIRQ_CONSOLE */
			doms[0].is_privileged = true;
			vcpus[0][0].virq_to_evtchn[VIRQ_CONSOLE] = 3;
			break;
		}
		if (look_twice())
			FAIL("case %u: declared hung", c);
	}
}

TEST(autoexit_wakeup_between_looks_restarts_the_wait)
{
	setup(1, 2);
	CHECK(!check());
	/* Woken (a timer's upcall) and halted again in between. */
	vcpus[0][0].nr_wakeups++;
	now += MILLISECS(HANG_CONFIRM_MS);
	CHECK(!check());
	CHECK(!hung_reports);
	CHECK_EQ(look_twice(), 1);
}

TEST(autoexit_vcpu_stuck_only_after_boot)
{
	setup(1, 1);
	boot_done = false;
	CHECK(!autoexit_vcpu_stuck(&vcpus[0][0]));
	boot_done = true;
	CHECK(autoexit_vcpu_stuck(&vcpus[0][0]));
	hvms[0][0].rflags |= X86_EFLAGS_IF;
	CHECK(!autoexit_vcpu_stuck(&vcpus[0][0]));
}
