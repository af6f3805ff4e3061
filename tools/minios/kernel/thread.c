/*
 * Threads and the scheduler: a FIFO run queue, switched only when the
 * running thread yields, blocks or exits (interrupts off across the
 * switch). With the run queue empty, the idle loop runs the timers due
 * and blocks the vCPU until an event; its handlers make threads runnable.
 *
 * A thread that exits stays DEAD until joined (or, if detached, until the
 * next thread runs: it cannot free the stack it is running on). The word
 * at the bottom of each stack is checked at every switch: an overflow
 * panics naming the thread instead of corrupting the heap quietly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minios/arch.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/layout.h>
#include <minios/page_alloc.h>
#include <minios/sched.h>

#define STACK_CANARY 0x5354414b43414e59ULL

void context_switch(unsigned long *save_sp, unsigned long new_sp);
void thread_trampoline(void);
void __attribute__((noreturn)) thread_main(thread_fn_t fn, void *arg);
void evtchn_do_upcall(void);

extern char boot_stack[];

static struct thread boot_thread;
static struct thread *current = &boot_thread;
static struct list_head run_queue = LIST_HEAD_INIT(run_queue);
static struct list_head all_threads = LIST_HEAD_INIT(all_threads);
/* A detached thread that exited, freed once another runs. */
static struct thread *zombie;
static unsigned int next_id;

static uint64_t *canary(const struct thread *t)
{
	return (uint64_t *)(t->stack ? t->stack : (void *)boot_stack);
}

static void thread_setup(struct thread *t, const char *name, void *stack)
{
	list_init(&t->link);
	t->stack = stack;
	t->id = next_id++;
	strncpy(t->name, name, sizeof(t->name) - 1);
	t->state = THREAD_RUNNABLE;
	timer_init(&t->timer, NULL, NULL);
	waitq_init(&t->joiners);
	*canary(t) = STACK_CANARY;
	list_add_tail(&t->all, &all_threads);
}

void sched_init(void)
{
	thread_setup(&boot_thread, "main", NULL);
	boot_thread.state = THREAD_RUNNING;
}

struct thread *thread_self(void)
{
	return current;
}

int *__errno_location(void)
{
	return &current->errno_value;
}

static void free_thread(struct thread *t)
{
	list_del(&t->all);
	free_pages(t->stack, THREAD_STACK_PAGES);
	free(t);
}

/* Nothing to run: run the timers due, else wait for an event. */
static void idle(void)
{
	timers_run();
	if (!list_empty(&run_queue))
		return;
	/* Returns once an upcall is pending, with interrupts off. */
	hypercall_sched_op(SCHEDOP_block, NULL);
	/* Let the injected upcall in (an interrupt window), then scan too. */
	asm volatile("sti; nop; nop; cli" ::: "memory");
	evtchn_do_upcall();
}

/* Interrupts off; current is already queued, blocked or dead. */
static void schedule(void)
{
	struct thread *prev = current, *next;

	if (*canary(prev) != STACK_CANARY)
		panic("thread %u (%s) overflowed its stack", prev->id,
		      prev->name);
	while (list_empty(&run_queue))
		idle();
	next = list_first_entry(&run_queue, struct thread, link);
	list_del(&next->link);
	next->state = THREAD_RUNNING;
	next->waiting = NULL;
	if (next != prev) {
		current = next;
		context_switch(&prev->sp, next->sp);
	}
	if (zombie && zombie != current) {
		free_thread(zombie);
		zombie = NULL;
	}
}

void thread_wake(struct thread *t)
{
	if (t->state != THREAD_BLOCKED)
		return;
	t->state = THREAD_RUNNABLE;
	list_add_tail(&t->link, &run_queue);
}

void thread_block(const char *what)
{
	current->state = THREAD_BLOCKED;
	current->waiting = what;
	schedule();
}

void thread_yield(void)
{
	unsigned long flags = irq_save();

	current->state = THREAD_RUNNABLE;
	list_add_tail(&current->link, &run_queue);
	schedule();
	irq_restore(flags);
}

static void sleep_done(void *arg)
{
	thread_wake(arg);
}

void sleep_until(uint64_t deadline_ns)
{
	unsigned long flags = irq_save();

	timer_init(&current->timer, sleep_done, current);
	timer_set(&current->timer, deadline_ns);
	thread_block("sleep");
	irq_restore(flags);
}

void sleep_ms(uint64_t ms)
{
	sleep_until(now_ns() + ms * NSEC_PER_MSEC);
}

struct thread *thread_create(const char *name, thread_fn_t fn, void *arg)
{
	struct thread *t = calloc(1, sizeof(*t));
	unsigned long *sp, flags;
	void *stack;

	if (!t)
		return NULL;
	stack = alloc_pages(THREAD_STACK_PAGES);
	if (!stack) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	/* As context_switch() leaves a stack: six registers, then ret. */
	sp = (unsigned long *)((char *)stack + THREAD_STACK_PAGES * PAGE_SIZE);
	*--sp = (unsigned long)thread_trampoline;
	*--sp = 0; /* rbp */
	*--sp = 0; /* rbx */
	*--sp = (unsigned long)fn; /* r12 */
	*--sp = (unsigned long)arg; /* r13 */
	*--sp = 0; /* r14 */
	*--sp = 0; /* r15 */
	t->sp = (unsigned long)sp;

	flags = irq_save();
	thread_setup(t, name, stack);
	list_add_tail(&t->link, &run_queue);
	irq_restore(flags);
	return t;
}

void thread_main(thread_fn_t fn, void *arg)
{
	irq_enable();
	thread_exit(fn(arg));
}

void thread_exit(int code)
{
	irq_disable();
	if (current == &boot_thread)
		panic("the boot thread exited");
	current->exit_code = code;
	current->state = THREAD_DEAD;
	if (current->detached)
		zombie = current;
	waitq_wake_all(&current->joiners);
	schedule();
	panic("a dead thread ran");
}

int thread_join(struct thread *t)
{
	unsigned long flags = irq_save();
	int code;

	while (t->state != THREAD_DEAD)
		waitq_sleep(&t->joiners, 0);
	code = t->exit_code;
	free_thread(t);
	irq_restore(flags);
	return code;
}

void thread_detach(struct thread *t)
{
	unsigned long flags = irq_save();

	if (t->state == THREAD_DEAD)
		free_thread(t);
	else
		t->detached = true;
	irq_restore(flags);
}

static const char *const state_names[] = {
	[THREAD_RUNNING] = "running",
	[THREAD_RUNNABLE] = "runnable",
	[THREAD_BLOCKED] = "blocked",
	[THREAD_DEAD] = "dead",
};

void threads_print(void)
{
	struct thread *t;

	printf("  id  state          name\n");
	list_for_each_entry(t, &all_threads, all) {
		char state[24];

		snprintf(state, sizeof(state), "%s%s%s", state_names[t->state],
			 t->waiting ? ":" : "", t->waiting ? t->waiting : "");
		printf("%4u  %-14s %s\n", t->id, state, t->name);
	}
}
