/*
 * The pager's store: the contents of the target's evicted gfns, in the
 * pager's own RAM. A page made of at most STORE_RUNS runs of 64-bit words
 * with a constant difference (a zero page is one run) is kept in its slot
 * as (first word, difference, length) per run; any other page takes a
 * whole free page of the pager's RAM (the raw pool).
 */
#ifndef PAGER_STORE_H
#define PAGER_STORE_H

#include <stdbool.h>
#include <stdint.h>

/* The largest target the slot table covers (256 MiB). */
#define STORE_MAX_GFNS 65536u

/*
 * Take every free page of the pager's RAM but those in [skip, skip_end)
 * as the raw pool; slots for gfns below nr_gfns.
 */
void store_init(uint32_t nr_gfns, uint32_t skip, uint32_t skip_end);
/* Keep a copy of page (4096 bytes) for gfn: false if there is no room. */
bool store_save(uint32_t gfn, const void *page);
/*
 * The guest address of gfn's 4096 bytes: the raw page, or scratch (a
 * page of the caller's) decoded from the slot.
 */
uintptr_t store_contents(uint32_t gfn, void *scratch);
void store_drop(uint32_t gfn);
bool store_has(uint32_t gfn);
/* Whether a page that does not compress would still fit. */
bool store_room(void);
/* Slots held compactly, raw pages in use and free. */
void store_counts(unsigned int *compact, unsigned int *raw, unsigned int *free);

#endif /* PAGER_STORE_H */
