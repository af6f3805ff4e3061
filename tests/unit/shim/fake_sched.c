/*
 * The scheduler under wait queues (xen/common/wait.c), on host threads:
 * a vCPU is whichever thread made it current (this_cpu(curr_vcpu)), and
 * blocking it blocks that thread. One mutex and condition variable for
 * all vCPUs: schedule() sleeps while its vCPU is VCPU_BLOCKED, and every
 * vcpu_wake() wakes all sleepers to look again, so a wake-up between
 * vcpu_set_blocked() and schedule() is not lost.
 */
#include <pthread.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/traps.h>

static pthread_mutex_t sched_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sched_cond = PTHREAD_COND_INITIALIZER;

void vcpu_set_blocked(struct vcpu *v)
{
	pthread_mutex_lock(&sched_mutex);
	ASSERT(v->state == VCPU_RUNNABLE);
	v->state = VCPU_BLOCKED;
	pthread_mutex_unlock(&sched_mutex);
}

void vcpu_cancel_block(struct vcpu *v)
{
	pthread_mutex_lock(&sched_mutex);
	if (v->state == VCPU_BLOCKED)
		v->state = VCPU_RUNNABLE;
	pthread_mutex_unlock(&sched_mutex);
}

void vcpu_wake(struct vcpu *v)
{
	pthread_mutex_lock(&sched_mutex);
	if (v->state == VCPU_BLOCKED) {
		v->state = VCPU_RUNNABLE;
		v->nr_wakeups++;
		pthread_cond_broadcast(&sched_cond);
	}
	pthread_mutex_unlock(&sched_mutex);
}

void schedule(void)
{
	struct vcpu *v = current;

	pthread_mutex_lock(&sched_mutex);
	while (v->state == VCPU_BLOCKED)
		pthread_cond_wait(&sched_cond, &sched_mutex);
	pthread_mutex_unlock(&sched_mutex);
}

void show_backtrace(unsigned long rbp)
{
}
