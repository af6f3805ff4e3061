/* The event-channel section of the hypercall guest (events.c). */
#ifndef HYPERCALL_EVENTS_H
#define HYPERCALL_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * add_to_physmap, hvm params, a loopback event channel, SCHEDOP_poll and
 * other domains, from vCPU 0 with interrupts off. control: the domain is
 * the control domain. ram_end: the end of its RAM (bytes).
 */
void test_events(bool control, uint32_t ram_end);

#endif /* HYPERCALL_EVENTS_H */
