/*
 * Cooperative threads on vCPU 0. A thread runs until it yields, sleeps,
 * waits or exits; event handlers and timers interrupt it but only wake
 * threads. With nothing to run, the vCPU blocks (SCHEDOP_block) until an
 * event comes. Each thread has its own errno.
 */
#ifndef MINIOS_SCHED_H
#define MINIOS_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include <minios/list.h>
#include <minios/time.h>
#include <minios/waitq.h>

#define THREAD_NAME_LEN 24
/* Each thread's stack (the boot thread's is BOOT_STACK_SIZE). */
#define THREAD_STACK_PAGES 8

enum thread_state {
	THREAD_RUNNING,
	THREAD_RUNNABLE,
	THREAD_BLOCKED,
	THREAD_DEAD,
};

struct thread {
	struct list_head all; /* every thread, in creation order */
	struct list_head link; /* the run queue, or the wait queue slept on */
	unsigned long sp; /* saved while not running */
	void *stack; /* its pages (NULL: the boot stack) */
	unsigned int id;
	char name[THREAD_NAME_LEN];
	enum thread_state state;
	const char *waiting; /* what it is blocked in, for `threads` */
	bool detached; /* freed at exit, not by a join */
	bool timed_out; /* its last wait ended by its deadline */
	int exit_code;
	int errno_value;
	struct timer timer; /* its sleeps' and waits' deadline */
	struct waitq joiners;
};

typedef int (*thread_fn_t)(void *arg);

/* Make the running context the boot thread "main". */
void sched_init(void);

/* A runnable thread: NULL (errno ENOMEM) if out of memory. */
struct thread *thread_create(const char *name, thread_fn_t fn, void *arg);
/* Wait until t exits, free it and return its exit code. */
int thread_join(struct thread *t);
/* Let t be freed when it exits (it may no longer be joined). */
void thread_detach(struct thread *t);
void __attribute__((noreturn)) thread_exit(int code);
struct thread *thread_self(void);

void thread_yield(void);
void sleep_ms(uint64_t ms);
void sleep_until(uint64_t deadline_ns);

/*
 * With interrupts off: the current thread becomes blocked (in `what`)
 * and others run until thread_wake() makes it runnable again.
 */
void thread_block(const char *what);
/* Make a blocked thread runnable; any context, interrupts off. */
void thread_wake(struct thread *t);

/* Print one line per thread: id, state, name. */
void threads_print(void);

#endif /* MINIOS_SCHED_H */
