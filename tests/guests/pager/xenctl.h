/*
 * The control domain's calls on another domain that the pager makes:
 * domctl, the paging ops, foreign maps into its own physmap and the
 * target's reservation. Each returns 0 (or what the call gives) or
 * -errno, as the hypervisor answered.
 */
#ifndef PAGER_XENCTL_H
#define PAGER_XENCTL_H

#include <stdint.h>

#include <public/domctl.h>
#include <public/memory.h>

/* Any domctl: cmd, the interface version and domain are filled in. */
long domctl(uint32_t cmd, domid_t dom, struct xen_domctl *d);
/* A domctl with interface version `version` (to test that check). */
long domctl_version(uint32_t cmd, uint32_t version, domid_t dom,
		    struct xen_domctl *d);
/* vm_event_op of mode PAGING; *out gets the port or version (or NULL). */
long vm_event_op(domid_t dom, uint32_t op, uint32_t *out);

/* nominate, evict and prep (buffer: 4096 bytes of the pager's, or 0). */
long paging_op(uint8_t op, domid_t dom, uint64_t gfn, uintptr_t buffer);
/* populate_evicted of gfns[0..*nr); on error *nr is the failed index. */
long populate_evicted(domid_t dom, uint64_t *gfns, uint64_t *nr);

/*
 * Map gfn of dom at gfn `at` of the pager (an empty gfn): the batch's
 * rc, and the gfn's own result in *err.
 */
long foreign_map(domid_t dom, uint32_t gfn, uint32_t at, int32_t *err);
/* Empty the pager's gfn `at` (a foreign map goes, its reference too). */
long foreign_unmap(uint32_t at);

/* A new zeroed page at an empty gfn of dom. */
long populate_gfn(domid_t dom, uint32_t gfn);

#endif /* PAGER_XENCTL_H */
