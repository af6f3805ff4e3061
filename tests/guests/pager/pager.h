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
	unsigned int requests; /* page-in requests (not notices) */
	unsigned int ring_full; /* serve rounds that found 8 unread */
	unsigned int readahead; /* paged gfns after a request to map */
	uint32_t ra_next; /* where read-ahead starts (0: none due) */
	uint32_t hot; /* hot=N: gfns below N evicted before each page-in */
	/*
	 * Per gfn below hot: evicts that failed busy, less the EVICT_FAIL
	 * notices since. Paged again before its notice comes (it may be
	 * behind the request served now), such a gfn is paged when it does.
	 */
	uint32_t hot_busy[64];
	uint32_t last_evict_fail; /* the gfn of the last EVICT_FAIL notice */
	/* mode=restart: page-in requests unanswered when the ring went. */
	uint32_t outstanding[VM_EVENT_RING_SIZE];
	unsigned int nr_outstanding, resent;
	uint64_t restarted_at; /* ms, when the new ring came (0: not yet) */
	uint8_t state[STORE_MAX_GFNS];
};

/*
 * Wait for the target (and pause it at once if `pause`), take the
 * pager's holes and map its shared info, set up the store (ERROR if any
 * step fails).
 */
void pager_attach(struct pager *p, domid_t target, bool pause);
/* Populate the ring gfn, map it, enable the ring and bind its port. */
void pager_ring_up(struct pager *p);
/* Disable the ring, unmap it and close the port: a pager that went. */
void pager_ring_down(struct pager *p);
/* pausedomain / unpausedomain of the target (FAILURE if refused). */
void pager_pause(struct pager *p, bool pause);
/* Answer every request on the ring: whether there was one. */
bool pager_serve(struct pager *p);
/* Whether the target still exists. */
bool pager_target_alive(const struct pager *p);
/* Wait for the port (or 1 ms), then clear it. */
void pager_wait(struct pager *p);
/* The next gfn round the clock that is not paged. */
uint32_t pager_next_gfn(struct pager *p);
/* Copy gfn of the target into the store through the window: success. */
bool pager_save(struct pager *p, uint32_t gfn);
/* Nominate, save, evict: whether gfn is now paged. */
bool pager_evict(struct pager *p, uint32_t gfn);
/*
 * populate_evicted of g[0, n): the gfns it paged (all, or those before
 * the one it refused) are marked paged; returns how many.
 */
uint64_t pager_populate(struct pager *p, uint64_t *g, uint64_t n);
/*
 * With the target paused: save every RAM gfn not paged yet and page them
 * all out with populate_evicted, in long batches (lazy.c).
 */
void pager_page_out_all(struct pager *p);
/* Sleep ms milliseconds (the ring is not served meanwhile). */
void pager_sleep_ms(unsigned int ms);
/* A protocol error: printed and counted (FAILURE at the end). */
void pager_error(struct pager *p, const char *fmt, ...) __printf(2, 3);

/*
 * Checks of hostile input against the target (mode=hostile): with the
 * target paused (by pager_attach), before and after the ring is set up;
 * the target runs again when it returns.
 */
void hostile_checks(struct pager *p);
/*
 * The other modes (modes.c); each returns when the target is gone (die:
 * never), the counts checked by the caller.
 */
/* mode=lazy: start-up demand paging, then page-ins only. */
void mode_lazy(struct pager *p);
/*
 * mode=restart, once mid-run: stop serving, note the requests left on
 * the ring, disable it, sleep, and set up a new ring.
 */
void pager_restart(struct pager *p);
/* The time in ms (the hypervisor's clock). */
uint64_t now_ms(void);
/* mode=die: most of the target paged out, then the pager shuts down. */
void mode_die(struct pager *p);
/* mode=bench: sets up pagetest's bench=N rounds and serves them (bench.c). */
void mode_bench(struct pager *p);
/*
 * mode=outlive: the target's pages the pager maps stay intact after the
 * target dies, until the pager unmaps them (outlive.c). Never returns.
 */
void mode_outlive(struct pager *p);
/*
 * mode=accessed: the target's accessed bits against what pagetest
 * accessed=1 touches (accessed.c). Never returns.
 */
noreturn void mode_accessed(struct pager *p);
/* Empty the pager's own page at pa (balloon it out): its gfn. */
uint32_t pager_take_hole(uint32_t pa);

#endif /* PAGER_PAGER_H */
