/* The event-channel section of the hypercall guest (events.c). */
#ifndef HYPERCALL_EVENTS_H
#define HYPERCALL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether all len bytes at p are val (main.c). */
bool all_bytes(const void *p, uint8_t val, size_t len);

/*
 * add_to_physmap, hvm params, a loopback event channel, SCHEDOP_poll and
 * other domains, from vCPU 0 with interrupts off. control: the domain is
 * the control domain.
 */
void test_events(bool control);

#endif /* HYPERCALL_EVENTS_H */
