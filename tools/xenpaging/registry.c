/* The paged domains and their threads: see registry.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "registry.h"
#include "xenpaging.h"
#include "xenpaging_os.h"

/* A step waits this long for the ring when the last one moved nothing. */
#define IDLE_WAIT_MS 20u

static struct xp_slot *slots;

struct xp_slot *xp_slot_find(uint32_t domid)
{
	for (struct xp_slot *s = slots; s; s = s->next)
		if (s->domid == domid)
			return s;
	return NULL;
}

static void unlink_slot(struct xp_slot *s)
{
	struct xp_slot **pos = &slots;

	while (*pos && *pos != s)
		pos = &(*pos)->next;
	if (*pos)
		*pos = s->next;
}

/*
 * The thread's body: one step per call, until stopped (the stopper then
 * owns the slot) or the domain goes (the slot is freed here).
 */
static bool run(void *arg)
{
	struct xp_slot *s = arg;
	struct xp_pager *p = s->pager;

	if (!s->stop) {
		s->busy = xp_pager_step(p, s->busy ? 0 : IDLE_WAIT_MS);
		if (!p->gone && !s->stop)
			return true;
	}
	s->running = false;
	if (s->stop)
		return false;
	xp_printf("xenpaging d%u: domain gone: pager stopped (%llu evictions, "
		  "%llu page-ins)\n",
		  p->domid, (unsigned long long)p->n.evictions,
		  (unsigned long long)p->n.pageins);
	xp_slot_free(s);
	return false;
}

static int start_thread(struct xp_slot *s)
{
	char name[24];
	int rc;

	snprintf(name, sizeof(name), "xenpaging d%u", s->domid);
	s->stop = false;
	s->busy = true;
	s->running = true;
	rc = xp_os_thread_start(name, run, s);
	if (rc)
		s->running = false;
	return rc;
}

struct xp_slot *xp_slot_start(struct xp_pager *pager)
{
	struct xp_slot *s = calloc(1, sizeof(*s));

	if (!s) {
		xp_pager_free(pager);
		errno = ENOMEM;
		return NULL;
	}
	s->domid = pager->domid;
	s->pager = pager;
	s->next = slots;
	slots = s;
	if (!start_thread(s))
		return s;
	xp_slot_free(s);
	errno = ENOMEM;
	return NULL;
}

int xp_slot_restart(struct xp_slot *s)
{
	return start_thread(s);
}

void xp_slot_stop(struct xp_slot *s)
{
	s->stop = true;
	while (s->running)
		xp_os_sleep_ms(1);
}

void xp_slot_free(struct xp_slot *s)
{
	unlink_slot(s);
	xp_pager_free(s->pager);
	free(s);
}

void xenpaging_domain_destroyed(uint32_t domid)
{
	struct xp_slot *s = xp_slot_find(domid);

	if (!s)
		return;
	xp_slot_stop(s);
	xp_slot_free(s);
}

bool xenpaging_has_pager(uint32_t domid)
{
	return xp_slot_find(domid);
}
