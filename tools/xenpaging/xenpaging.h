/*
 * xenpaging: dom0's pager. Each paged domain has a pager (pager.h) run by
 * a thread of its own, so several domains are paged at once beside the
 * shell. The command line:
 *
 *   xenpaging -d DOMID -m MAX_KB [-p clock|random] [-s STORE_KB] [-v]
 *   xenpaging -d DOMID --detach | --stats | --kill
 *
 * A killed pager's thread stops where it is; its ring, store and counts
 * stay, and the next `xenpaging -d DOMID -m ...` takes them up.
 */
#ifndef XENPAGING_H
#define XENPAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The command (argv[0] is "xenpaging"): 0, 1 (failed) or 2 (usage). */
int xenpaging_main(int argc, char **argv);

/*
 * Lazy start (xl create lazy=1): page domid, built with all of its RAM
 * paged out and its contents in store (taken over, freed on failure),
 * with a target of target_kb: 0, or -1 with the reason in why[size].
 */
int xenpaging_lazy_start(uint32_t domid, struct xp_store *store,
			 uint64_t target_kb, char *why, size_t size);

/*
 * domid was destroyed: its pager, live or killed, lets go of it (its
 * ring mapping would keep the domain from being freed).
 */
void xenpaging_domain_destroyed(uint32_t domid);

/* Whether domid has a pager (live or killed). */
bool xenpaging_has_pager(uint32_t domid);

#endif /* XENPAGING_H */
