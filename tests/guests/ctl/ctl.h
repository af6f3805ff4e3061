/*
 * The control plane as the ctl guest calls it: domctl and sysctl with
 * their interface versions filled in, memory_op on another domain, and
 * foreign maps into a hole of its own physmap. Each returns what the
 * hypervisor answered (0 or a count, or -errno).
 */
#ifndef CTL_H
#define CTL_H

#include <stdint.h>

#include <public/domctl.h>
#include <public/sysctl.h>

long domctl(uint32_t cmd, domid_t dom, struct xen_domctl *d);
long sysctl(uint32_t cmd, struct xen_sysctl *s);

/* A new domain: its id, or -errno. flags HVM|HAP unless given. */
long create(const char *name, domid_t id, uint32_t vcpus);
long destroy(domid_t dom);
long info(domid_t dom, struct xen_domctl_getdomaininfo *i);
long set_max_mem(domid_t dom, uint64_t kb);
/* populate_physmap of gfns [first, first + nr) of dom, order 0. */
long populate(domid_t dom, uint32_t first, uint32_t nr);
long free_pages(uint64_t *free);

/* Map gfn of dom at our empty gfn `at`; 0 or -errno. */
long map_foreign(domid_t dom, uint32_t gfn, uint32_t at);
long unmap_foreign(uint32_t at);

/*
 * The child's program for gfn 1 (at 0x1000, 32-bit flat, paging off): it
 * writes ESI to CHILD_MAGIC_AT, prints CHILD_LINE and `Test result:
 * SUCCESS` with console_io, and powers off.
 */
#define CHILD_ENTRY 0x1000u
#define CHILD_MAGIC_AT 0x1300u
#define CHILD_LINE "ctl child: built through domctl"
void child_program(uint8_t *page);

#endif /* CTL_H */
