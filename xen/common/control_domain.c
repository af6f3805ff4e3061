/*
 * Choosing the control domain: the first domain built from the boot
 * modules, unless the command line says otherwise:
 *
 *   control_domain=NAME   the domain named NAME (the first of that name)
 *   control_domain=none   no control domain
 *
 * There is at most one, chosen before it first runs, and it stays the
 * control domain for its whole life.
 */
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
