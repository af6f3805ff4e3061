/*
 * The shared-info page over a page of pagetest's RAM, as a stock Linux
 * puts it on the first free low gfn at boot: with a pager the page is
 * likely paged out, and the domain gives that RAM up (the pager is told
 * to drop its copy). The gfn then reads as shared info; taken out again
 * with remove_from_physmap and given fresh RAM with populate_physmap, it
 * reads as zeros.
 */
#ifndef PAGETEST_SHINFO_H
#define PAGETEST_SHINFO_H

#include <stdint.h>

/* Do that at gfn (FAILURE if any step goes wrong); gfn is RAM after. */
void shared_info_over(uint32_t gfn);

#endif /* PAGETEST_SHINFO_H */
