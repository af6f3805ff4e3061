/* Moving a pager's pages between its domain and its store (move.c). */
#ifndef XENPAGING_MOVE_H
#define XENPAGING_MOVE_H

#include "pager.h"

/*
 * Evict up to max (at most 64) gfns the policy chooses: how many went.
 * Gfns used meanwhile stay; a full store sets p->store_full.
 */
unsigned int xp_evict_batch(struct xp_pager *p, unsigned int max);
/*
 * Page gfn (XP_PAGED) in with its stored contents, evicting first if the
 * domain is at its memory limit: 0 or a negative errno (the gfn stays
 * paged and its copy stays in the store).
 */
int xp_page_in(struct xp_pager *p, uint64_t gfn);
/* Page in up to max paged gfns, lowest first: how many came back. */
unsigned int xp_page_in_batch(struct xp_pager *p, unsigned int max);

#endif /* XENPAGING_MOVE_H */
