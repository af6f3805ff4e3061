/*
 * xenpaging's page store: the contents of a domain's evicted gfns, in the
 * pager's (dom0's) own memory. A page is kept the smallest way that holds
 * it exactly: a zero page as a mark, a page that compresses as its
 * compressed bytes, any other page as a copy. The store belongs to the
 * domain, not to a pager thread: a pager that dies leaves it to the next.
 *
 * Not thread-safe: one pager uses a store at a time.
 */
#ifndef XENPAGING_STORE_H
#define XENPAGING_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XP_PAGE_SIZE 4096u

struct xp_store;

struct xp_store_stats {
	uint64_t pages; /* gfns held */
	uint64_t zero; /* of them: zero pages (no bytes) */
	uint64_t compressed; /* of them: held compressed */
	uint64_t raw; /* of them: held as a copy */
	uint64_t bytes; /* memory the contents take, overhead included */
	uint64_t limit; /* the size limit in bytes (0: none) */
	uint64_t puts, gets; /* calls that succeeded, since creation */
	uint64_t full; /* puts refused for want of room */
};

/*
 * A store for gfns [0, nr_gfns) holding at most limit_bytes of contents
 * (0: no limit but dom0's memory): NULL with errno ENOMEM.
 */
struct xp_store *xp_store_create(uint64_t nr_gfns, uint64_t limit_bytes);
/* Free the store and everything in it (NULL: nothing). */
void xp_store_destroy(struct xp_store *s);
/*
 * Keep a copy of page (XP_PAGE_SIZE bytes) for gfn, replacing any held:
 * 0; -ENOSPC: over the limit or out of memory (the old copy, if any, is
 * kept); -EINVAL: gfn out of range.
 */
int xp_store_put(struct xp_store *s, uint64_t gfn, const void *page);
/* Mark gfn as a zero page (lazy start: RAM nothing was loaded into). */
int xp_store_put_zero(struct xp_store *s, uint64_t gfn);
/* gfn's contents into page: 0; -ENOENT: none held; -EINVAL: range. */
int xp_store_get(struct xp_store *s, uint64_t gfn, void *page);
bool xp_store_has(const struct xp_store *s, uint64_t gfn);
/* Forget gfn's copy (none held: nothing). */
void xp_store_drop(struct xp_store *s, uint64_t gfn);
void xp_store_get_stats(const struct xp_store *s, struct xp_store_stats *st);

#endif /* XENPAGING_STORE_H */
