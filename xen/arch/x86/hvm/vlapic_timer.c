/*
 * The local APIC timer on a hypervisor timer (xen/timer.h), on the CPU
 * the vCPU was created on. One-shot and periodic modes count down the
 * initial count at HVM_APIC_BUS_HZ (1 GHz: one count per ns) divided by
 * the divide configuration; TSC-deadline mode fires when the guest's TSC
 * (the host's: no offset is applied) reaches the MSR's value. A masked
 * LVT entry keeps the timer counting and raises nothing. A period is at
 * least PERIOD_MIN_NS (as KVM's 200 us): a guest cannot keep a host CPU
 * busy in timer interrupts with a tiny periodic count.
 */
#include <xen/lib.h>
#include <asm/time.h>
#include <asm/vlapic.h>

#define PERIOD_MIN_NS 200000

/* Beyond this many TSC ticks ahead a deadline is taken as days away. */
#define TSC_DELTA_MAX (1UL << 50)

static u32 timer_mode(const struct vlapic *vl)
{
	return vl->lvt[LVT_TIMER] & LVT_TIMER_MODE_MASK;
}

/* ns per count: 1 GHz divided by 2, 4, ... 128, or 1 (value 0b1011). */
static s_time_t tick_ns(const struct vlapic *vl)
{
	unsigned int d = vl->timer_divide;
	unsigned int sel = (d & 3) | ((d & 8) >> 1);

	BUILD_BUG_ON(HVM_APIC_BUS_HZ != 1000000000UL);
	return sel == 7 ? 1 : 2 << sel;
}

static void fired(void *arg)
{
	struct vlapic *vl = arg;
	unsigned long flags;
	u32 lvt;

	spin_lock_irqsave(&vl->lock, flags);
	if (!vl->timer_running) {
		spin_unlock_irqrestore(&vl->lock, flags);
		return;
	}
	lvt = vl->lvt[LVT_TIMER];
	if (vl->timer_period) {
		/* Periods missed while the CPU was busy are not made up. */
		vl->timer_deadline += vl->timer_period;
		if (vl->timer_deadline <= NOW())
			vl->timer_deadline = NOW() + vl->timer_period;
		set_timer(&vl->timer, vl->timer_deadline);
	} else {
		vl->timer_running = false;
		if (timer_mode(vl) == LVT_TIMER_TSC_DEADLINE)
			vl->tsc_deadline = 0;
	}
	spin_unlock_irqrestore(&vl->lock, flags);
	if (!(lvt & LVT_MASKED))
		vlapic_accept_irq(vl->v, (u8)lvt, false);
}

void vlapic_timer_init(struct vlapic *vl)
{
	init_timer(&vl->timer, fired, vl, vl->v->processor);
}

void vlapic_timer_stop(struct vlapic *vl)
{
	stop_timer(&vl->timer);
	vl->timer_running = false;
}

static void arm(struct vlapic *vl, s_time_t deadline, s_time_t period)
{
	vl->timer_running = true;
	vl->timer_deadline = deadline;
	vl->timer_period = period;
	set_timer(&vl->timer, deadline);
}

void vlapic_timer_mode_changed(struct vlapic *vl)
{
	vlapic_timer_stop(vl);
	vl->tsc_deadline = 0;
}

void vlapic_timer_restart(struct vlapic *vl)
{
	bool periodic = timer_mode(vl) == LVT_TIMER_PERIODIC;
	s_time_t period;

	if (timer_mode(vl) == LVT_TIMER_TSC_DEADLINE)
		return;
	vlapic_timer_stop(vl);
	if (!vl->timer_initial)
		return;
	vl->timer_tick = tick_ns(vl);
	period = vl->timer_tick * vl->timer_initial;
	if (!periodic) {
		arm(vl, NOW() + period, 0);
		return;
	}
	period = max(period, (s_time_t)PERIOD_MIN_NS);
	arm(vl, NOW() + period, period);
}

u32 vlapic_timer_current(const struct vlapic *vl)
{
	s_time_t left;

	if (!vl->timer_running || timer_mode(vl) == LVT_TIMER_TSC_DEADLINE)
		return 0;
	left = vl->timer_deadline - NOW();
	/* A period ended and its interrupt is on its way: the next one runs */
	if (left <= 0 && vl->timer_period)
		left = vl->timer_period - (-left % vl->timer_period);
	if (left <= 0)
		return 0;
	return (u32)min((left + vl->timer_tick - 1) / vl->timer_tick,
			(s_time_t)vl->timer_initial);
}

static s_time_t tsc_to_ns(u64 delta)
{
	u64 ms;

	delta = min(delta, TSC_DELTA_MAX);
	ms = delta / tsc_khz;
	return (s_time_t)(ms * 1000000 + (delta % tsc_khz) * 1000000 / tsc_khz);
}

void vlapic_set_tsc_deadline(struct vlapic *vl, u64 tsc)
{
	u64 now = rdtsc();

	if (timer_mode(vl) != LVT_TIMER_TSC_DEADLINE)
		return;
	vlapic_timer_stop(vl);
	vl->tsc_deadline = tsc;
	if (tsc)
		arm(vl, NOW() + (tsc > now ? tsc_to_ns(tsc - now) : 0), 0);
}
