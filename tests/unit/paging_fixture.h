/*
 * The domains of the paging tests (test_paging*.c) and of the paging
 * benchmark (tests/bench/paging_bench.c): a target dom (d1) with an NPT
 * p2m of PG_MAX_GFN gfns and the paging fix-ups, vCPUs dom_vcpu[], and a
 * control domain ctl (d0) whose vCPU is current unless a test makes a
 * vCPU of dom current. The ring page is PG_RING_GFN.
 */
#ifndef UNIT_PAGING_FIXTURE_H
#define UNIT_PAGING_FIXTURE_H

#include <xen/mm.h>
#include <xen/sched.h>
#include <asm/p2m.h>
#include <public/vm_event.h>

#define PG_MAX_GFN 0x400UL
#define PG_RING_GFN 0x3ffUL
#define PG_NR_VCPUS 4

extern struct domain pg_dom, pg_ctl;
extern struct p2m_domain pg_p2m;
extern struct vcpu pg_dom_vcpu[PG_NR_VCPUS], pg_ctl_vcpu;
/* Notifications sent on the ring's channel (notify_via_xen_evtchn). */
extern unsigned long pg_notifications;

/* Some RAM for the heap, then the domains with PG_MAX_GFN gfns. */
void pg_setup(void);
/*
 * The domains alone, on RAM the caller gave the heap: max_gfn gfns
 * (above PG_RING_GFN), as many pages allowed to each.
 */
void pg_setup_domains(unsigned long max_gfn);
/* Free pages + p2m tables + both domains' pages (constant). */
unsigned long pg_pages_now(void);
/* A page of dom at gfn, every byte fill. */
struct page_info *pg_populate(unsigned long gfn, u8 fill);
p2m_type_t pg_type(unsigned long gfn);
/* The first byte of gfn's page (ram_rw). */
u8 pg_byte(unsigned long gfn);
/* XEN_VM_EVENT_* by ctl on dom. */
long pg_ring_op(unsigned int op);
/* A ring page at PG_RING_GFN and ENABLE: the shared ring. */
struct vm_event_sring *pg_ring_enable(void);
/* The pager's side: the next request into *req (false: none). */
bool pg_take_request(struct vm_event_sring *s, unsigned int *cons,
		     vm_event_request_t *req);
/* The pager's response for req (put, then RESUME). */
long pg_respond(struct vm_event_sring *s, const vm_event_request_t *req);
/* prep of gfn with a page of fill, as the pager's memory_op does it. */
int pg_prep(unsigned long gfn, u8 fill);

#endif
