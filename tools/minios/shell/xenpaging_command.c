/*
 * The `xenpaging` command in dom0's shell (tools/xenpaging), and what
 * xenpaging needs of dom0: the clock, the console, threads, sleeping.
 */
#include <errno.h>
#include <stdlib.h>

#include <minios/console.h>
#include <minios/sched.h>
#include <minios/shell.h>
#include <minios/time.h>
#include <xenpaging.h>
#include <xenpaging_os.h>

uint64_t xp_os_now_ns(void)
{
	return now_ns();
}

void xp_os_write(const char *buf, size_t len)
{
	console_write(buf, len);
}

void xp_os_sleep_ms(unsigned int ms)
{
	sleep_ms(ms);
}

struct pager_thread {
	bool (*run)(void *arg);
	void *arg;
};

static int pager_thread(void *arg)
{
	struct pager_thread t = *(struct pager_thread *)arg;

	free(arg);
	while (t.run(t.arg))
		thread_yield();
	return 0;
}

int xp_os_thread_start(const char *name, bool (*run)(void *arg), void *arg)
{
	struct pager_thread *t = malloc(sizeof(*t));
	struct thread *th;

	if (!t)
		return -ENOMEM;
	*t = (struct pager_thread){ .run = run, .arg = arg };
	th = thread_create(name, pager_thread, t);
	if (!th) {
		free(t);
		return -ENOMEM;
	}
	thread_detach(th);
	return 0;
}

static struct command xenpaging_cmd = {
	.name = "xenpaging",
	.args = "-d DOMID -m KB | --stats | ...",
	.help = "page a domain's memory out to dom0 (xenpaging alone: usage)",
	.fn = xenpaging_main,
};

void xenpaging_command_init(void)
{
	command_register(&xenpaging_cmd);
}
