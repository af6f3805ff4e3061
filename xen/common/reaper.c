/*
 * The reaper: a hypervisor-only vCPU that destroys dead domains
 * (domain_reap()), sends the control domain its VIRQ_DOM_EXC, moves the
 * console input focus and runs the autoexit checks, whenever it is
 * kicked: a domain shut down, the last reference to a dying domain was
 * dropped, a vCPU of a dying domain left its CPU, a vCPU may have got
 * stuck for good (autoexit), the boot finished, Ctrl-A was typed three
 * times. A kick from any CPU wakes it.
 *
 * It lives on CPU0 and the round-robin scheduler time-slices it like any
 * vCPU, so a CPU-bound vCPU there delays it by a slice, not for as long as
 * it spins. CPU0, because the console-input poll (a timer function on
 * CPU0) reads the control domain and the input focus without a lock: on
 * the CPU that clears them, it never sees them being freed.
 */
#include <xen/autoexit.h>
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/xen.h>

#define REAPER_CPU 0

/* The hypervisor's own domain, for its vCPUs; not in the domain list. */
static struct domain xen_domain = {
	.domain_id = DOMID_XEN,
	.name = "xen",
	.max_vcpus = 1,
};
static struct vcpu *reaper;
/* Set by a kick, cleared by the reaper before it looks (no kick is lost) */
static bool kicked;

static void reaper_main(struct vcpu *v)
{
	for (;;) {
		vcpu_set_blocked(v);
		if (!__atomic_exchange_n(&kicked, false, __ATOMIC_SEQ_CST)) {
			schedule();
			continue;
		}
		vcpu_cancel_block(v);
		control_domain_sweep_orphans();
		domain_reap();
		control_domain_send_exc();
		console_input_switch();
		autoexit_check();
	}
}

void reaper_init(void)
{
	int rc = vcpu_create_pinned(&xen_domain, 0, reaper_main, REAPER_CPU);

	if (rc)
		panic("cannot create the reaper vCPU (%d)\n", rc);
	reaper = xen_domain.vcpu[0];
	vcpu_unpause(reaper);
}

void reaper_kick(void)
{
	__atomic_store_n(&kicked, true, __ATOMIC_SEQ_CST);
	if (reaper)
		vcpu_wake(reaper);
}

void reaper_vcpu_stopped(struct vcpu *v)
{
	if (v->is_idle || v == reaper)
		return;
	if (__atomic_load_n(&v->domain->is_shutting_down, __ATOMIC_SEQ_CST) ||
	    autoexit_vcpu_stuck(v))
		reaper_kick();
}
