/*
 * autoexit: verdicts of the domains built from boot modules, the summary,
 * and the end of the run. Domains the control domain creates
 * (XEN_DOMCTL_createdomain) have no verdict here: they are not in the
 * summary, their `Test result:` lines are for the tools that created
 * them; the run still ends only once they are gone too. Everything here but autoexit_vcpu_stuck() runs
 * in the reaper, one vCPU: the counts and the hang state need no lock.
 *
 * A domain is hung when each of its guest vCPUs is either halted (HLT or
 * SCHEDOP_block) with the guest's RFLAGS.IF clear, its one-shot timer not
 * armed and no upcall pending, or down (VCPUOP_down), or waiting for a
 * paged gfn while the domain has no pager (docs/paging.md). Another domain could
 * still wake it with an event, and the console input the control domain
 * bound VIRQ_CONSOLE for: so only when every domain left is hung, is not
 * the control domain with that binding, and stays so for HANG_CONFIRM_MS
 * with no vCPU woken in between, are they shut down as hung. The wait
 * covers a timer whose function was about to raise the upcall.
 */
#include <xen/autoexit.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/shutdown.h>
#include <asm/time.h>

#define HANG_CONFIRM_MS 100

static bool opt_autoexit;
static bool boot_done;
static unsigned int domains_passed, domains_failed;
/* Since when every domain left looks hung (0: they do not). */
static s_time_t hung_since;
/* Kicks the reaper when the hang is due for confirmation. */
static struct timer confirm_timer;

static int parse_autoexit(const char *s)
{
	opt_autoexit = true;
	exit_emulator_when_done = true;
	return s ? -EINVAL : 0;
}
custom_param("autoexit", parse_autoexit);

const char *autoexit_expect_note(enum domain_expect e)
{
	switch (e) {
	case EXPECT_CRASH:
		return ", expected to crash";
	case EXPECT_HANG:
		return ", expected to hang";
	case EXPECT_POWEROFF:
		return ", expected to power off";
	default:
		return "";
	}
}

/*
 * Free pages before the first domain was built: once every domain is
 * gone, as many must be free again (anything else is a leak, said in
 * the last lines of the run).
 */
static unsigned long free_before_domains;

void autoexit_domains_start(void)
{
	free_before_domains = total_free_pages();
}

static void confirm_due(void *arg)
{
	reaper_kick();
}

void autoexit_boot_done(void)
{
	if (!opt_autoexit)
		return;
	init_timer(&confirm_timer, confirm_due, NULL, 0);
	WRITE_ONCE(boot_done, true);
	reaper_kick();
}

/*
 * expect=crash: the hypervisor crashed d (a guest's own crash shutdown,
 * such as its failure path, is no such crash), not for a hang, and for
 * the reason expected if one was given.
 */
static bool crashed_as_expected(const struct domain *d)
{
	return d->shutdown_code == SHUTDOWN_crash && !d->hung &&
	       d->crash_reason[0] && strstr(d->crash_reason, d->expect_reason);
}

void autoexit_domain_gone(struct domain *d)
{
	char reason[EXPECT_REASON_MAX + 16] = "";
	const char *expected;
	bool pass;

	if (!d->has_verdict)
		return;
	switch (d->expect) {
	case EXPECT_CRASH:
		pass = crashed_as_expected(d);
		expected = "a crash";
		if (d->expect_reason[0])
			snprintf(reason, sizeof(reason), " for \"%s\"",
				 d->expect_reason);
		break;
	case EXPECT_HANG:
		pass = d->hung;
		expected = "a hang";
		break;
	case EXPECT_POWEROFF:
		/* A stock kernel prints no verdict: its clean poweroff is. */
		pass = d->shutdown_code == SHUTDOWN_poweroff && !d->hung;
		expected = "a poweroff";
		break;
	default:
		pass = d->printed_success &&
		       d->shutdown_code == SHUTDOWN_poweroff;
		expected = "SUCCESS and poweroff";
		break;
	}
	/* Whatever happened after, the guest found itself failing. */
	pass = pass && !d->printed_failure;
	if (pass)
		domains_passed++;
	else
		domains_failed++;
	printk("d%u (%s): %s (%s%s%s%s, expected %s%s)\n", d->domain_id,
	       d->name, pass ? "PASS" : "FAIL", domain_shutdown_reason(d),
	       d->crash_reason[0] && !d->hung ? ": " : "",
	       d->hung ? "" : d->crash_reason,
	       d->printed_failure ? ", the guest reported failure" : "",
	       expected, reason);
}

/*
 * v can only be woken by another vCPU of its domain, or not at all. The
 * fields are read before the run-queue lock (cheap refusals first): a
 * wake-up in between is caught by the second look (autoexit_check()).
 */
static bool vcpu_stuck(struct vcpu *v, unsigned long *wakeups)
{
	struct waitqueue_head *wq;

	if (!v->hvm)
		return false;
	wq = READ_ONCE(v->waitqueue);
	/* Down, or waiting for a paged gfn with no pager to ask. */
	if (wq && wq != arch_vcpu_down_wq(v) &&
	    (wq != &v->domain->paging_wq || READ_ONCE(v->domain->paging_ring)))
		return false;
	/* Halted: with interrupts off, and nothing due to wake it. */
	if (!wq &&
	    (READ_ONCE(v->polling) || arch_vcpu_irqs_enabled(v) ||
	     READ_ONCE(v->upcall_pending) || timer_is_active(&v->singleshot)))
		return false;
	return vcpu_blocked_off_cpu(v, wakeups);
}

bool autoexit_vcpu_stuck(struct vcpu *v)
{
	unsigned long wakeups;

	return READ_ONCE(boot_done) && v->hvm &&
	       READ_ONCE(v->state) == VCPU_BLOCKED && vcpu_stuck(v, &wakeups);
}

/*
 * Whether d is hung and, while a hang is suspected (hung_since), none of
 * its vCPUs was woken since it was first seen so.
 */
static bool domain_hung(struct domain *d)
{
	struct vcpu *v0 = d->vcpu[0];
	unsigned int i;

	if (d->is_shutting_down ||
	    (is_control_domain(d) && v0 && v0->virq_to_evtchn[VIRQ_CONSOLE]))
		return false;
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];
		unsigned long wakeups;

		if (!v)
			continue;
		if (!vcpu_stuck(v, &wakeups))
			return false;
		if (!hung_since)
			v->stuck_wakeups = wakeups;
		else if (v->stuck_wakeups != wakeups)
			return false;
	}
	/*
	 * A domain with no vCPU (created by the control domain, never
	 * started) runs only if the control domain starts it: it is hung
	 * when that one is too, or gone.
	 */
	return true;
}

static bool all_hung(void)
{
	struct domain *d;

	for (d = domain_next(NULL); d; d = domain_next(d))
		if (!domain_hung(d))
			return false;
	return true;
}

void autoexit_check(void)
{
	struct domain *d;

	if (!READ_ONCE(boot_done))
		return;
	if (!domain_count()) {
		if (!domains_passed && !domains_failed)
			printk(XENLOG_ERR "autoexit: no domain was built\n");
		printk("autoexit: %lu pages free, %lu before the domains were "
		       "built\n",
		       total_free_pages(), free_before_domains);
		printk("domains: %u passed, %u failed\n", domains_passed,
		       domains_failed);
		emulator_exit(!domains_failed && domains_passed);
	}
	if (!all_hung()) {
		hung_since = 0;
		return;
	}
	if (!hung_since) {
		hung_since = NOW();
		set_timer(&confirm_timer,
			  hung_since + MILLISECS(HANG_CONFIRM_MS));
		return;
	}
	if (NOW() < hung_since + MILLISECS(HANG_CONFIRM_MS))
		return;
	hung_since = 0;
	for (d = domain_next(NULL); d; d = domain_next(d))
		domain_shutdown_hung(d);
}
