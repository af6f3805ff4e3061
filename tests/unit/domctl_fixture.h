/*
 * The fixture of test_domctl.c and test_sysctl.c: domain.c, domctl.c,
 * domctl_create.c, domain_info.c, sysctl.c and hvm/vcpu_context.c
 * compiled into domctl_fixture.c (handlers renamed, as test_hypercall.c
 * stands in for every handler of the table; domain.c's functions renamed
 * too, other tests fake them). Under them: the real page allocator, event
 * channels and NPT p2m; a fake scheduler that counts pauses (a vCPU
 * "runs" while its pause count is 0), and a fake reaper that the tests
 * run by hand (reap()). The control domain (id 1) calls; guest-virtual
 * addresses are offsets into dc_mem[].
 */
#ifndef DOMCTL_FIXTURE_H
#define DOMCTL_FIXTURE_H

#include <xen/domctl.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <asm/hvm.h>
#include <public/sysctl.h>

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define DC_GVA 0x100UL /* where the domctl or sysctl goes */
#define BUF_GVA 0x1000UL /* buffers they point at */
#define BUF_SIZE 0x3000UL
#define GUEST_MEM_SIZE (BUF_GVA + BUF_SIZE)

extern u8 dc_mem[GUEST_MEM_SIZE];
/* The control domain (d1) and a plain one (d2), built by dc_setup(). */
extern struct domain *ctl, *plain;
/* VIRQ_DOM_EXC notes (control_domain_note_exc()) so far. */
extern unsigned int nr_exc;

long domctl_under_test(struct vcpu *v, struct hypercall_args *args);
long sysctl_under_test(struct vcpu *v, struct hypercall_args *args);
struct domain *dc_domain_get(domid_t id);
struct domain *dc_domain_find(domid_t id);
void dc_domain_put(struct domain *d);
void dc_domain_shutdown(struct domain *d, unsigned int reason);
unsigned int dc_domain_count(void);

/* Heap, the two domains; free_pages() is taken after. */
void dc_setup(void);
/* The domctl dc (cmd, version, domain set by the caller) from d's vCPU 0 */
long domctl_as(struct domain *d, struct xen_domctl *dc);
/* cmd on dom from the control domain; *dc in and out. */
long dctl(u32 cmd, domid_t dom, struct xen_domctl *dc);
long sctl(u32 cmd, struct xen_sysctl *s);
/* createdomain: the id or -errno. */
long create(const char *name, domid_t id, u32 vcpus);
/* Destroy (domctl) and run the reaper. */
void destroy(domid_t id);
/* What the reaper does: destroy dead domains (domain_reap()). */
void reap(void);
/* populate_physmap of nr gfns from 0 of d (order 0), as memory_op would */
long populate(struct domain *d, unsigned long nr);
/* Free pages + pages that domains own + p2m tables: the memory in use. */
unsigned long free_pages(void);

#endif
