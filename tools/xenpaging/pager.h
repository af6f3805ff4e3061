/*
 * One pager: xenpaging's state for one domain (its library handles, its
 * paging ring, its store, what it knows of each gfn) and the steps that
 * move pages. The state lives as long as the domain is paged, not as long
 * as the thread that runs the steps (xenpaging.c): a pager whose thread
 * dies is picked up by the next one with everything intact.
 *
 * Only one thread at a time uses a pager.
 */
#ifndef XENPAGING_PAGER_H
#define XENPAGING_PAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xenvmevent.h>

#include "policy.h"
#include "store.h"

/* What xenpaging knows of a gfn of RAM. */
enum xp_gfn_state {
	XP_RESIDENT, /* present, may be evicted */
	XP_PAGED, /* evicted: its contents are in the store */
	XP_NOT_PAGEABLE, /* refused by nominate as never pageable, a hole */
};

struct xp_options {
	uint32_t domid;
	uint64_t target_kb; /* -m: resident RAM at most */
	enum xp_policy_kind policy; /* -p */
	uint64_t store_kb; /* -s: the store's limit (0: dom0's memory) */
	bool verbose; /* -v: a line per batch and per page-in request */
};

struct xp_counts {
	uint64_t evictions, pageins, requests; /* requests: page-in asks */
	uint64_t evict_busy; /* evicts refused: used since nominate */
	uint64_t prefetched; /* page-ins unasked (the target went up) */
	uint64_t drops, evict_fails; /* the hypervisor's notices */
	uint64_t errors; /* requests or ops that made no sense */
};

struct xp_pager {
	uint32_t domid;
	xc_interface *xch;
	xenforeignmemory_handle *fmem;
	xenevtchn_handle *xce;
	xc_vm_event_ring *ring;
	struct xp_store *store;
	struct xp_policy *policy;
	enum xp_policy_kind policy_kind;
	bool verbose;
	uint64_t nr_gfns; /* RAM: gfns [0, nr_gfns), the ring gfn after */
	uint8_t *state; /* enum xp_gfn_state per gfn */
	uint64_t paged; /* gfns XP_PAGED */
	uint64_t not_pageable; /* gfns XP_NOT_PAGEABLE */
	uint64_t target; /* resident pages of RAM at most */
	uint64_t max_pages; /* the domain's limit when last looked at */
	bool prefetch; /* the target went up: page in up to it */
	bool lowering; /* above the target: evicting to a batch below it */
	bool store_full; /* evicting waits for a page-in to make room */
	unsigned int told_full; /* times the store was full (said once) */
	bool gone; /* the domain is dying or gone */
	/*
	 * Page-in requests read but not answered: the domain was at its
	 * memory limit (retried each step; their vCPUs sleep meanwhile).
	 */
	vm_event_request_t waiting[VM_EVENT_RING_SIZE];
	unsigned int nr_waiting;
	unsigned int told_limit; /* times they had to wait (said once) */
	struct xp_counts n;
	/* The last stats line: when, and the page-in requests by then. */
	uint64_t line_ns, line_requests;
	uint64_t info_ns; /* when the domain's info was last read */
	/* Lazy start: when the domain was adopted and first spoke (0: not). */
	bool lazy;
	uint64_t lazy_start_ns, first_output_ns, pages_at_first_output;
	uint32_t console_index; /* the console ring, read up to here */
	char why[160]; /* what went wrong last (attach, detach) */
};

/*
 * Attach to o->domid: open the handles, check the domain (RAM, target,
 * no pager already), make the store and the policy, open the ring. 0 and
 * *out, or -1 with the reason in why[why_size] and errno set (ESRCH, no
 * domain; EINVAL, a target above its RAM or no paging ring gfn; EBUSY, it
 * has a pager; EEXIST, it has paged gfns whose contents are not ours).
 */
int xp_pager_attach(const struct xp_options *o, struct xp_pager **out,
		    char *why, size_t why_size);
/*
 * The same for a domain built lazily (xl create lazy=1): every gfn of its
 * RAM is paged and its contents are in store (taken over; gfns the store
 * has nothing for are zero pages).
 */
int xp_pager_adopt(const struct xp_options *o, struct xp_store *store,
		   struct xp_pager **out, char *why, size_t why_size);

/*
 * One step: wait for the ring at most wait_ms (0: not at all), serve
 * every request, evict towards the target or page in up to it, one batch.
 * true: more to do at once (a batch was moved); false: idle.
 */
bool xp_pager_step(struct xp_pager *p, unsigned int wait_ms);

/*
 * The target, target_kb of RAM resident at most: 0, or -1 with the
 * reason in why[size] (above the domain's RAM; the target is kept).
 */
int xp_pager_set_target(struct xp_pager *p, uint64_t target_kb, char *why,
			size_t size);

/* The domain's info read again (its limit followed): false once it is gone. */
bool xp_pager_check_domain(struct xp_pager *p);

/*
 * Page every gfn back in, serving the ring meanwhile, then close the ring:
 * 0, or -1 with the reason in p->why (nothing is lost: what could not be
 * paged in stays in the store and the ring stays open).
 */
int xp_pager_detach(struct xp_pager *p);

/* Close the handles and free everything (the ring, the store). */
void xp_pager_free(struct xp_pager *p);

/* Output through xp_os_write(), a line at most 255 characters. */
void xp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Where evicting stops once above the target: the target less a batch
 * (1/32 of it, at most XP_LOW_WATER_MAX pages), so that the page-ins that
 * follow do not each need an eviction of their own.
 */
#define XP_LOW_WATER_MAX 64u
uint64_t xp_pager_low_water(const struct xp_pager *p);

/* Pages of RAM present now (holes and pages never paged not counted). */
uint64_t xp_pager_resident(const struct xp_pager *p);
/*
 * "xenpaging dN: resident R, evicted E, page-ins P, faults/s F, store B
 * bytes (...)" into buf, F since the last line; starts the next interval.
 */
void xp_pager_stats_line(struct xp_pager *p, uint64_t now_ns, char *buf,
			 size_t size);

#endif /* XENPAGING_PAGER_H */
