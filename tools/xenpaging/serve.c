/*
 * A pager's steps: serve the ring, move a batch towards the target, say
 * how it goes; and its detach.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "move.h"
#include "pager.h"
#include "xenpaging_os.h"

/* Gfns moved per step, so that other threads run in between. */
#define STEP_BATCH 64u
/* How often the domain's limit is looked at, and a live line printed. */
#define INFO_MS 50u
#define LINE_MS 5000u
#define MS 1000000ull

/*
 * Page gfn in for a request: true if done (or nothing to do), false if
 * the domain is at its memory limit with nothing left to evict: the
 * request then waits (unanswered: its vCPU keeps sleeping) for room.
 */
static bool page_in_for(struct xp_pager *p, uint64_t gfn)
{
	int rc;

	/* Not paged: brought back unasked (detach, the target up) already. */
	if (p->state[gfn] != XP_PAGED)
		return true;
	rc = xp_page_in(p, gfn);
	if (!rc || !xp_pager_check_domain(p))
		return true;
	if (rc == -ENOMEM) {
		if (!p->told_limit++)
			xp_printf("xenpaging d%u: at its memory limit with "
				  "nothing left to evict: page-ins wait\n",
				  p->domid);
		return false;
	}
	p->n.errors++;
	xp_printf("xenpaging d%u: page-in of gfn 0x%llx: errno %d\n", p->domid,
		  (unsigned long long)gfn, -rc);
	return true;
}

/* A request handled: true if it is to be answered now. */
static bool handle(struct xp_pager *p, const vm_event_request_t *req)
{
	uint64_t gfn = req->u.mem_paging.gfn;
	uint32_t flags = req->u.mem_paging.flags;

	if (req->version != VM_EVENT_INTERFACE_VERSION ||
	    req->reason != VM_EVENT_REASON_MEM_PAGING || gfn >= p->nr_gfns) {
		p->n.errors++;
		return true;
	}
	if (flags & MEM_PAGING_DROP_PAGE) {
		/* Ballooned out while paged: a hole now, its copy of no use. */
		if (p->state[gfn] == XP_PAGED) {
			p->paged--;
			p->not_pageable++;
			p->state[gfn] = XP_NOT_PAGEABLE;
		}
		xp_store_drop(p->store, gfn);
		p->n.drops++;
		return true;
	}
	if (flags & MEM_PAGING_EVICT_FAIL) {
		/* Its evict failed (or will) and said so: nothing kept. */
		p->n.evict_fails++;
		return true;
	}
	p->n.requests++;
	if (p->verbose)
		xp_printf("xenpaging d%u: page-in request for gfn 0x%llx from "
			  "vCPU %u%s\n",
			  p->domid, (unsigned long long)gfn, req->vcpu_id,
			  req->flags & VM_EVENT_FLAG_FOREIGN ? " (foreign)" :
							       "");
	return page_in_for(p, gfn);
}

/* Put the response to req (every request gets one: it frees its slot). */
static void respond(struct xp_pager *p, const vm_event_request_t *req)
{
	vm_event_response_t rsp = {
		.version = VM_EVENT_INTERFACE_VERSION,
		.flags = req->flags,
		.reason = req->reason,
		.vcpu_id = req->vcpu_id,
		.altp2m_idx = req->altp2m_idx,
		.u.mem_paging = req->u.mem_paging,
	};

	xc_vm_event_put_response(p->ring, &rsp);
}

/* The requests that waited for room, tried again: any answered. */
static bool retry_waiting(struct xp_pager *p)
{
	unsigned int kept = 0;
	bool any = false;

	for (unsigned int i = 0; i < p->nr_waiting; i++) {
		const vm_event_request_t *req = &p->waiting[i];

		if (page_in_for(p, req->u.mem_paging.gfn)) {
			respond(p, req);
			any = true;
		} else {
			p->waiting[kept++] = *req;
		}
	}
	p->nr_waiting = kept;
	return any;
}

/* Every request on the ring handled: any answered. */
static bool serve(struct xp_pager *p)
{
	vm_event_request_t req;
	bool any = retry_waiting(p);
	int got;

	/* At most the ring's requests are out: waiting ones always fit. */
	while ((got = xc_vm_event_get_request(p->ring, &req)) > 0) {
		if (handle(p, &req)) {
			respond(p, &req);
			any = true;
		} else {
			p->waiting[p->nr_waiting++] = req;
		}
	}
	if (got < 0)
		p->n.errors++;
	if (any && xc_vm_event_notify(p->ring) && errno != ESRCH)
		p->n.errors++;
	return any;
}

/* Wait at most ms for the ring's port; take its event. */
static void wait_ring(struct xp_pager *p, unsigned int ms)
{
	int port = xenevtchn_wait(p->xce, (int)ms);

	if (port >= 0)
		xenevtchn_unmask(p->xce, (evtchn_port_t)port);
}

/*
 * Lazy start: look in the console ring for the domain's first line, to
 * say how long it took and how many pages it touched by then.
 */
static void watch_first_output(struct xp_pager *p, uint64_t now)
{
	char buf[1024], tag[16];
	unsigned int nr = sizeof(buf) - 1;

	if (xc_readconsolering(p->xch, buf, &nr, 0, 1, &p->console_index))
		return;
	buf[nr] = '\0';
	snprintf(tag, sizeof(tag), "(d%u) ", p->domid);
	if (!strstr(buf, tag))
		return;
	p->first_output_ns = now;
	p->pages_at_first_output = p->n.pageins;
	xp_printf("xenpaging d%u: lazy start: first output after %llu ms, "
		  "%llu pages touched by then\n",
		  p->domid, (unsigned long long)((now - p->lazy_start_ns) / MS),
		  (unsigned long long)p->n.pageins);
}

/* The periodic part of a step: the domain's limit, a live line. */
static void look_around(struct xp_pager *p)
{
	uint64_t now = xp_os_now_ns();
	char line[200];

	if (now - p->info_ns >= INFO_MS * MS)
		xp_pager_check_domain(p);
	if (p->lazy && !p->first_output_ns)
		watch_first_output(p, now);
	if (now - p->line_ns < LINE_MS * MS ||
	    p->n.requests == p->line_requests)
		return;
	xp_pager_stats_line(p, now, line, sizeof(line));
	xp_printf("%s\n", line);
}

bool xp_pager_step(struct xp_pager *p, unsigned int wait_ms)
{
	uint64_t resident;
	bool busy = false;

	wait_ring(p, wait_ms);
	serve(p);
	look_around(p);
	if (p->gone)
		return false;
	resident = xp_pager_resident(p);
	/*
	 * Above the target: evict down to a batch below it, so that the
	 * page-ins that follow do not each need an eviction of their own.
	 */
	if (resident > p->target)
		p->lowering = true;
	if (resident <= xp_pager_low_water(p))
		p->lowering = false;
	if (p->lowering && !p->store_full) {
		uint64_t over = resident - xp_pager_low_water(p);

		unsigned int n = xp_evict_batch(
			p, over < STEP_BATCH ? (unsigned int)over : STEP_BATCH);

		busy = n > 0;
		if (p->verbose && n)
			xp_printf("xenpaging d%u: evicted %u, resident %llu\n",
				  p->domid, n,
				  (unsigned long long)xp_pager_resident(p));
		if (p->store_full && !p->told_full++)
			xp_printf("xenpaging d%u: store full: %llu pages "
				  "resident, above the target %llu\n",
				  p->domid, (unsigned long long)resident,
				  (unsigned long long)p->target);
	} else if (resident < p->target && p->prefetch && p->paged) {
		unsigned int in = xp_page_in_batch(p, STEP_BATCH);

		p->n.prefetched += in;
		busy = in > 0;
		if (p->verbose && in)
			xp_printf(
				"xenpaging d%u: paged in %u unasked, resident "
				"%llu\n",
				p->domid, in,
				(unsigned long long)xp_pager_resident(p));
	}
	serve(p);
	return busy;
}

int xp_pager_detach(struct xp_pager *p)
{
	unsigned int stuck = 0;

	while (p->paged && !p->gone) {
		serve(p);
		if (xp_page_in_batch(p, STEP_BATCH)) {
			stuck = 0;
			continue;
		}
		if (!xp_pager_check_domain(p))
			break;
		/* At its memory limit: nothing can come back. */
		if (++stuck == 3) {
			snprintf(p->why, sizeof(p->why),
				 "domain %u is at its memory limit with %llu "
				 "pages paged out: raise it (xl mem-set) and "
				 "detach again",
				 p->domid, (unsigned long long)p->paged);
			return -1;
		}
		xp_os_sleep_ms(10);
	}
	serve(p);
	if (xc_vm_event_ring_close(p->ring)) {
		p->ring = NULL;
		snprintf(p->why, sizeof(p->why),
			 "closing domain %u's paging ring: errno %d", p->domid,
			 errno);
		return -1;
	}
	p->ring = NULL;
	return 0;
}
