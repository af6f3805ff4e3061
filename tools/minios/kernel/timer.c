/*
 * Timers on the vCPU's one-shot timer: armed timers sit in one list
 * sorted by deadline, and the hypervisor's one-shot timer is kept at the
 * first deadline. When it fires it makes the VIRQ_TIMER port pending;
 * its handler runs the timers that are due. Interrupts are off while the
 * list changes.
 */
#include <minios/arch.h>
#include <minios/evtchn.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/time.h>

static struct list_head timers = LIST_HEAD_INIT(timers);
/* What the hypervisor's timer is set to (0: stopped). */
static uint64_t programmed;

uint64_t now_ns(void)
{
	struct xen_hvm_get_time t;
	long rc = hypercall_hvm_op(HVMOP_get_time, &t);

	if (rc)
		panic("HVMOP_get_time failed: %ld", rc);
	return t.now;
}

/* Keep the hypervisor's timer at the first deadline. */
static void program(void)
{
	uint64_t first = 0;
	long rc;

	if (!list_empty(&timers))
		first = list_first_entry(&timers, struct timer, node)->deadline;
	if (first == programmed)
		return;
	programmed = first;
	if (first) {
		struct vcpu_set_singleshot_timer s = { .timeout_abs_ns =
							       first };

		rc = hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &s);
	} else {
		rc = hypercall_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
	}
	if (rc)
		panic("one-shot timer: %ld", rc);
}

void timer_init(struct timer *t, void (*fn)(void *arg), void *arg)
{
	list_init(&t->node);
	t->deadline = 0;
	t->fn = fn;
	t->arg = arg;
}

bool timer_armed(const struct timer *t)
{
	return !list_empty(&t->node);
}

void timer_set(struct timer *t, uint64_t deadline)
{
	unsigned long flags = irq_save();
	struct timer *pos;

	list_del(&t->node);
	/* 0 means "stopped" to program(): the earliest real deadline is 1. */
	t->deadline = deadline ? deadline : 1;
	list_for_each_entry(pos, &timers, node) {
		if (pos->deadline > t->deadline)
			break;
	}
	list_insert_before(&t->node, &pos->node);
	program();
	irq_restore(flags);
}

void timer_stop(struct timer *t)
{
	unsigned long flags = irq_save();

	list_del(&t->node);
	program();
	irq_restore(flags);
}

void timers_run(void)
{
	uint64_t now = now_ns();

	while (!list_empty(&timers)) {
		struct timer *t = list_first_entry(&timers, struct timer, node);

		if (t->deadline > now)
			break;
		list_del(&t->node);
		t->fn(t->arg);
	}
	/* The hypervisor's timer has fired or will: arm it afresh. */
	programmed = 0;
	program();
}

static void timer_virq(evtchn_port_t port, void *arg)
{
	timers_run();
}

void timers_init(void)
{
	long port = evtchn_bind_virq(VIRQ_TIMER, 0, timer_virq, NULL);

	if (port < 0)
		panic("binding VIRQ_TIMER failed: %ld", port);
}
