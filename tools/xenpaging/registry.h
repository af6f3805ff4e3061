/*
 * The paged domains: a slot per domain holds its pager and the state of
 * the thread that runs it (registry.c). Slots live in dom0 (the shell's
 * commands and the pager threads share them); cooperative threads make
 * every change here atomic with respect to the others.
 */
#ifndef XENPAGING_REGISTRY_H
#define XENPAGING_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "pager.h"

struct xp_slot {
	struct xp_slot *next;
	uint32_t domid;
	struct xp_pager *pager; /* owned by the slot */
	bool running; /* a thread runs the pager's steps */
	bool stop; /* asked to: the thread ends at its next step */
	bool busy; /* the last step moved pages: no wait in the next */
};

struct xp_slot *xp_slot_find(uint32_t domid);
/* A slot for pager (which it takes), its thread started: NULL on error. */
struct xp_slot *xp_slot_start(struct xp_pager *pager);
/* Start a thread again for a slot whose thread stopped: 0 or -errno. */
int xp_slot_restart(struct xp_slot *s);
/* Ask the slot's thread to stop where it is and wait until it has. */
void xp_slot_stop(struct xp_slot *s);
/* Remove the slot (its thread stopped) and free its pager. */
void xp_slot_free(struct xp_slot *s);

#endif /* XENPAGING_REGISTRY_H */
