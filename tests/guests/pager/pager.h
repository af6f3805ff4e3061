/*
 * The pager's state and steps, shared by the paging loop (main.c) and the
 * hostile checks (hostile.c).
 */
#ifndef PAGER_PAGER_H
#define PAGER_PAGER_H

#include <stdbool.h>
#include <stdint.h>

#include <xtf.h>

#include "ring.h"
#include "store.h"

/* PREPPED: resident, put back by the pager unasked (mode=hostile). */
enum gfn_state { GFN_RESIDENT, GFN_PAGED, GFN_PREPPED };

struct pager {
	domid_t target;
	uint32_t nr_gfns; /* the target's gfns: 0 to maximum_gpfn at start */
	uint32_t ram; /* its pages, the ring's not counted */
	uint32_t ring_gfn; /* the target's */
	uint32_t ring_at, win; /* the pager's gfns: the ring, copies */
	evtchn_port_t port; /* the pager's end */
	struct pager_ring ring;
	uint32_t paged, hand;
	unsigned int evictions, evict_busy, refused, pageins, drops,
		evict_fails, populated, errors;
	uint8_t state[STORE_MAX_GFNS];
};

/* Map the ring, enable it and bind its port (ERROR if any step fails). */
void pager_setup(struct pager *p, domid_t target);
/* Answer every request on the ring: whether there was one. */
bool pager_serve(struct pager *p);
/* Whether the target still exists. */
bool pager_target_alive(const struct pager *p);
/* Wait for the port (or 1 ms), then clear it. */
void pager_wait(struct pager *p);
/* The next gfn round the clock that is not paged. */
uint32_t pager_next_gfn(struct pager *p);
/* Nominate, save, evict: whether gfn is now paged. */
bool pager_evict(struct pager *p, uint32_t gfn);
/* A protocol error: printed and counted (FAILURE at the end). */
void pager_error(struct pager *p, const char *fmt, ...) __printf(2, 3);

/* Checks of hostile input against the target (mode=hostile). */
void hostile_checks(struct pager *p);

#endif /* PAGER_PAGER_H */
