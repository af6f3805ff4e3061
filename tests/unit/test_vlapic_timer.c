/*
 * xen/arch/x86/hvm/vlapic_timer.c: the divide configuration (1 GHz / 1 to
 * 128), one-shot and periodic arming from the initial count, the current
 * count, periodic re-arming (from the last deadline, or from now when
 * behind), the 200 us floor of a period, a masked LVT, a mode change
 * disarming, and the initial count ignored in TSC-deadline mode. NOW(),
 * the hypervisor timer and vlapic_accept_irq() are faked here (the
 * timer's expiry and the vectors accepted are recorded).
 */
#define NOW vt_now
#define init_timer vt_init_timer
#define set_timer vt_set_timer
#define stop_timer vt_stop_timer
#define vlapic_accept_irq vt_accept_irq
#include "../../xen/arch/x86/hvm/vlapic_timer.c"

#include "harness.h"
#include "shim.h"

#define T0 1000000000LL

static s_time_t now, expiry;
static bool armed;
static int accepted;
static unsigned int nr_accepted;
static struct vcpu vcpu0;
static struct vlapic vl;

s_time_t vt_now(void)
{
	return now;
}

void vt_init_timer(struct timer *t, void (*fn)(void *), void *data,
		   unsigned int cpu)
{
	t->fn = fn;
	t->data = data;
}

void vt_set_timer(struct timer *t, s_time_t expires)
{
	expiry = expires;
	armed = true;
}

void vt_stop_timer(struct timer *t)
{
	armed = false;
}

void vt_accept_irq(struct vcpu *v, u8 vector, bool level)
{
	CHECK(v == &vcpu0);
	CHECK(!level);
	accepted = vector;
	nr_accepted++;
}

static void setup(u32 lvt, u32 divide)
{
	vl = (struct vlapic){ .v = &vcpu0 };
	spin_lock_init(&vl.lock, "vlapic", LR_VLAPIC);
	vlapic_timer_init(&vl);
	vl.lvt[LVT_TIMER] = lvt;
	vl.timer_divide = divide;
	now = T0;
	armed = false;
	accepted = -1;
	nr_accepted = 0;
}

/* The timer function, at the time it was armed for. */
static void fire(void)
{
	CHECK(armed);
	armed = false;
	now = expiry;
	vl.timer.fn(vl.timer.data);
}

TEST(vlapic_timer_divide_and_count)
{
	static const struct {
		u32 divide;
		s_time_t ns;
	} divs[] = { { 0xb, 1 }, { 0, 2 },  { 1, 4 },
		     { 3, 16 },	 { 8, 32 }, { 0xa, 128 } };

	for (unsigned int i = 0; i < ARRAY_SIZE(divs); i++) {
		setup(0x40, divs[i].divide);
		vl.timer_initial = 1000;
		vlapic_timer_restart(&vl);
		CHECK(armed);
		CHECK_EQ(expiry, T0 + 1000 * divs[i].ns);
	}
	/* Divide by 2: 750 counts left after 500 ns. */
	setup(0x40, 0);
	vl.timer_initial = 1000;
	vlapic_timer_restart(&vl);
	CHECK_EQ(vlapic_timer_current(&vl), 1000);
	now = T0 + 500;
	CHECK_EQ(vlapic_timer_current(&vl), 750);
	/* Once: it fires, accepts its vector and counts 0. */
	fire();
	CHECK_EQ(accepted, 0x40);
	CHECK(!armed && !vl.timer_running);
	CHECK_EQ(vlapic_timer_current(&vl), 0);
	/* Initial count 0 stops it. */
	vlapic_timer_restart(&vl);
	vl.timer_initial = 0;
	vlapic_timer_restart(&vl);
	CHECK(!armed && !vl.timer_running);
}

TEST(vlapic_timer_periodic)
{
	setup(0x41 | LVT_TIMER_PERIODIC, 0xb);
	vl.timer_initial = 5000000; /* 5 ms */
	vlapic_timer_restart(&vl);
	CHECK_EQ(expiry, T0 + 5000000);
	fire();
	CHECK_EQ(nr_accepted, 1);
	/* From the last deadline, not from when the function ran. */
	CHECK(armed);
	CHECK_EQ(expiry, T0 + 10000000);
	/* Between a period's end and its interrupt: the next period counts. */
	now = T0 + 10000000 + 1000000;
	CHECK_EQ(vlapic_timer_current(&vl), 4000000);
	/* Far behind: the next period from now, missed ones not made up. */
	now = T0 + 50000000;
	vl.timer.fn(vl.timer.data);
	CHECK_EQ(nr_accepted, 2);
	CHECK_EQ(expiry, T0 + 55000000);
	/* Masked: it runs on, accepting nothing. */
	vl.lvt[LVT_TIMER] |= LVT_MASKED;
	fire();
	CHECK_EQ(nr_accepted, 2);
	CHECK(armed);
	/* A mode change disarms it. */
	vlapic_timer_mode_changed(&vl);
	CHECK(!armed && !vl.timer_running);
}

TEST(vlapic_timer_period_floor)
{
	setup(0x42 | LVT_TIMER_PERIODIC, 0xb);
	vl.timer_initial = 1; /* 1 ns */
	vlapic_timer_restart(&vl);
	CHECK_EQ(expiry, T0 + PERIOD_MIN_NS);
	CHECK_EQ(vl.timer_period, PERIOD_MIN_NS);
	CHECK_EQ(PERIOD_MIN_NS, 200000);
	fire();
	CHECK_EQ(expiry, T0 + 2 * PERIOD_MIN_NS);
	/* A one-shot of 1 ns is not held back. */
	setup(0x42, 0xb);
	vl.timer_initial = 1;
	vlapic_timer_restart(&vl);
	CHECK_EQ(expiry, T0 + 1);
}

TEST(vlapic_timer_tsc_deadline_mode)
{
	setup(0x43 | LVT_TIMER_TSC_DEADLINE, 0xb);
	vl.timer_initial = 1000;
	vlapic_timer_restart(&vl);
	CHECK(!armed);
	CHECK_EQ(vlapic_timer_current(&vl), 0);
	/* 0 disarms; outside this mode the MSR is ignored. */
	vlapic_set_tsc_deadline(&vl, 0);
	CHECK(!armed && !vl.tsc_deadline);
	vl.lvt[LVT_TIMER] = 0x43;
	vlapic_set_tsc_deadline(&vl, ~0UL);
	CHECK(!armed && !vl.tsc_deadline);
}
