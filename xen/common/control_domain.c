/*
 * Choosing the control domain: the first domain built from the boot
 * modules, unless the command line says otherwise:
 *
 *   control_domain=NAME   the domain named NAME (the first of that name)
 *   control_domain=none   no control domain
 *
 * There is at most one, chosen before it first runs, and it stays the
 * control domain for its whole life. It gets VIRQ_DOM_EXC whenever a
 * domain shuts down or is destroyed, sent by the reaper (on CPU0, where
 * the control domain cannot be freed under it).
 */
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>

static char opt_control_domain[sizeof(((struct domain *)0)->name)];
string_param("control_domain", opt_control_domain);

static bool chosen;
/*
 * The control domain while it exists. Read by the console input poll (a
 * timer on CPU0, in interrupt context) and cleared by the reaper (a vCPU
 * pinned to CPU0, reaper.c) before the domain is freed: on one CPU, the
 * poll never sees a domain being freed.
 */
static struct domain *control;

bool control_domain_would_take(const char *name)
{
	if (chosen || !strcmp(opt_control_domain, "none"))
		return false;
	return !opt_control_domain[0] || !strcmp(opt_control_domain, name);
}

void control_domain_offer(struct domain *d)
{
	if (!control_domain_would_take(d->name))
		return;
	chosen = true;
	d->is_privileged = true;
	WRITE_ONCE(control, d);
	printk("d%u (%s): the control domain\n", d->domain_id, d->name);
}

void control_domain_report(void)
{
	if (chosen)
		return;
	if (!strcmp(opt_control_domain, "none"))
		printk("no control domain (control_domain=none)\n");
	else if (opt_control_domain[0])
		printk(XENLOG_WARNING "control_domain=%s: no domain of that "
				      "name was built: no control domain\n",
		       opt_control_domain);
	else
		printk("no control domain: no domain was built\n");
}

struct domain *control_domain(void)
{
	return READ_ONCE(control);
}

void control_domain_gone(struct domain *d)
{
	if (READ_ONCE(control) == d)
		WRITE_ONCE(control, NULL);
}

/* Set by a shutdown or destruction, cleared by the reaper that sends it. */
static bool exc_pending;

void control_domain_note_exc(void)
{
	__atomic_store_n(&exc_pending, true, __ATOMIC_SEQ_CST);
	reaper_kick();
}

void control_domain_send_exc(void)
{
	struct domain *d;

	if (!__atomic_exchange_n(&exc_pending, false, __ATOMIC_SEQ_CST))
		return;
	d = control_domain();
	if (d)
		send_guest_global_virq(d, VIRQ_DOM_EXC);
}

void control_domain_sweep_orphans(void)
{
	struct domain *d;

	if (control_domain())
		return;
	/* Nobody is left to read them, or to undo the pauses of the one gone */
	for (d = domain_next(NULL); d; d = domain_next(d))
		if (d->kept_after_shutdown && !READ_ONCE(d->is_dying) &&
		    (READ_ONCE(d->is_shutting_down) ||
		     READ_ONCE(d->controller_pause_count)))
			domain_kill(d);
}
