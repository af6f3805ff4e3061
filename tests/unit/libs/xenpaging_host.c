/* xenpaging's system on the host: see xenpaging_host.h. */
#include <errno.h>
#include <string.h>

#include <xenpaging_os.h>

#include "xenpaging_host.h"

#define MAX_THREADS 8
#define MS 1000000ull

static char out[65536];
static size_t out_len;
static uint64_t clock_ns = 1;

static struct {
	bool (*run)(void *arg);
	void *arg;
	bool active; /* in its run(): a sleep there does not run it again */
} threads[MAX_THREADS];

uint64_t xp_os_now_ns(void)
{
	return clock_ns;
}

void xp_os_write(const char *buf, size_t len)
{
	if (len > sizeof(out) - 1 - out_len)
		len = sizeof(out) - 1 - out_len;
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

int xp_os_thread_start(const char *name, bool (*run)(void *arg), void *arg)
{
	for (unsigned int i = 0; i < MAX_THREADS; i++) {
		if (!threads[i].run) {
			threads[i].run = run;
			threads[i].arg = arg;
			return 0;
		}
	}
	return -ENOMEM;
}

unsigned int xp_host_run(void)
{
	unsigned int live = 0;

	for (unsigned int i = 0; i < MAX_THREADS; i++) {
		bool again;

		if (!threads[i].run || threads[i].active)
			continue;
		threads[i].active = true;
		again = threads[i].run(threads[i].arg);
		threads[i].active = false;
		if (again)
			live++;
		else
			threads[i].run = NULL;
	}
	return live;
}

void xp_os_sleep_ms(unsigned int ms)
{
	clock_ns += ms * MS;
	xp_host_run();
}

unsigned int xp_host_threads(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < MAX_THREADS; i++)
		n += threads[i].run != NULL;
	return n;
}

void xp_host_reset(void)
{
	memset(threads, 0, sizeof(threads));
}

const char *xp_host_output(void)
{
	return out;
}

void xp_host_clear_output(void)
{
	out_len = 0;
	out[0] = '\0';
}
