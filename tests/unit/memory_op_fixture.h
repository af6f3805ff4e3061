/*
 * The fixture of test_memory_op.c and test_physmap.c: memory.c, physmap.c,
 * physmap_foreign.c and mem_paging.c compiled into memory_op_fixture.c
 * with do_memory_op renamed (test_hypercall.c stands in for every handler
 * of the table), two domains with an NPT p2m of MAX_GFN gfns and no RAM
 * until the tests populate it, and guest-virtual addresses that are
 * offsets into guest_mem[].
 */
#ifndef MEMORY_OP_FIXTURE_H
#define MEMORY_OP_FIXTURE_H

#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/physmap.h>
#include <xen/sched.h>
#include <asm/p2m.h>
#include <public/memory.h>

#include "../../xen/arch/x86/mm/p2m/backend.h"

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x3000UL
#define MAX_GFN 0x800UL
#define RES_GVA 0x100UL /* where the reservation goes */
#define LIST_GVA 0x1000UL /* where the frame list goes */
#define DOMID_MISSING 77
/* [RO_GVA, RO_END) is read-only. */
#define RO_GVA 0x3800UL
#define RO_END 0x3900UL

long memory_op_under_test(struct vcpu *v, struct hypercall_args *args);

extern struct domain dom, other;
extern struct p2m_domain dom_p2m, other_p2m;
extern struct vcpu vcpu;
extern u8 guest_mem[0x4000];
/* need_resched()'s answer. */
extern bool resched;
/* -ERESTARTs memop() followed. */
extern unsigned int nr_restarts;
/* Free pages + p2m tables + pages of both domains: constant. */
extern unsigned long pages_total;

/* memory.c's gfns per round before a continuation. */
extern const unsigned int memop_round;
/* physmap_foreign.c's batch entries per round. */
extern const unsigned int batch_round;

unsigned long pages_now(void);
void setup(unsigned long max_pages);
/* Run the handler until it stops asking to be continued. */
long memop(unsigned long cmd, unsigned long arg, bool compat);
void put_reservation(unsigned long list, unsigned long nr, unsigned int order,
		     domid_t domid);
/* op on gfns[0..nr) of domid, 64-bit layout. */
long reserve(unsigned int op, const u64 *gfns, unsigned long nr,
	     unsigned int order, domid_t domid);
long count(unsigned int op, domid_t domid);
p2m_type_t type_of(struct p2m_domain *p2m, unsigned long gfn);
bool zeroed(struct p2m_domain *p2m, unsigned long gfn);

#endif /* MEMORY_OP_FIXTURE_H */
