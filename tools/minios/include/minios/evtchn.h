/*
 * Event channels, Xen's 2-level ABI in the shared-info page (64-bit
 * layout: 4096 ports). Each port may have a handler, run from the upcall
 * with interrupts off: it may wake threads, never sleep. A port that
 * fires without a handler is masked and left pending, so an event that
 * comes before its handler is set is delivered once it is.
 */
#ifndef MINIOS_EVTCHN_H
#define MINIOS_EVTCHN_H

#include <stdbool.h>

#include <public/event_channel.h>
#include <public/shared_info.h>

#define EVTCHN_NR_PORTS EVTCHN_2L_NR_PORTS

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *arg);

/* Map the shared-info page and set the upcall vector; panics on failure. */
void evtchn_init(void);
/* The upcall: clear, collect and run the pending, unmasked ports. */
void evtchn_do_upcall(void);

/* Set port's handler, then unmask it (an event already there runs it). */
void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *arg);
void evtchn_clear_handler(evtchn_port_t port);

/* Each returns the port (the local one), or a negative Xen errno. */
long evtchn_bind_virq(unsigned int virq, unsigned int vcpu, evtchn_handler_t fn,
		      void *arg);
long evtchn_alloc_unbound(domid_t remote);
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port);

/* 0 or a negative Xen errno. close also clears the handler. */
long evtchn_send(evtchn_port_t port);
long evtchn_close(evtchn_port_t port);
/* Through the hypervisor, which delivers an event that is pending. */
long evtchn_unmask(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
bool evtchn_is_masked(evtchn_port_t port);

#endif /* MINIOS_EVTCHN_H */
