/*
 * The machine under the tool libraries' tests: the hypervisor's own
 * sources (the real hypercall table, domain.c, domctl.c, memory_op, event
 * channels, HVM params, sched_op) on the shim, with what they need of the
 * scheduler, the arch and the clock faked in world.c. vCPUs never run
 * guest code here; a hypercall runs on the thread that makes it, as the
 * vCPU it names (xen_os_host.h: the control domain's).
 *
 * A guest-virtual address is a host address, for every vCPU: the control
 * domain's hypercall buffers are the libraries' own, read where they are
 * (dom0 maps its memory 1:1). Only the first page is refused (-EFAULT),
 * so that a NULL buffer is an error rather than a crash.
 *
 * This header uses no hypervisor header, so that a test can include it
 * with <errno.h> (whose names the hypervisor's <xen/errno.h> redefines):
 * domains are named by id, Xen errors are negative XEN_E* values.
 */
#ifndef UNIT_LIBS_WORLD_H
#define UNIT_LIBS_WORLD_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The control domain's id: the first domain built, as at boot, takes the
 * lowest id (the hypervisor hands out ids from 1).
 */
#define WORLD_DOM0 1
/* dom0's gfns, and the window of them that foreign mappings use. */
#define WORLD_DOM0_GFNS 0x1000UL
#define WORLD_FOREIGN_FIRST 0x800UL

/*
 * RAM for the heap (frames [0x1000, WORLD_RAM_END): 64 MiB unless the
 * build defines WORLD_RAM_END, as tests/bench does), the control domain
 * WORLD_DOM0 ("dom0", one vCPU, a p2m of WORLD_DOM0_GFNS gfns, none
 * populated), and the transport over it.
 */
void world_init(void);
/*
 * A domain as the boot-time builder makes one, without memory: id (0:
 * the lowest free one), name,
 * a p2m of max_gfn gfns (as many pages allowed), nr_vcpus vCPUs, paused.
 */
void world_guest(uint16_t id, const char *name, unsigned long max_gfn,
		 unsigned int nr_vcpus);
/*
 * Hypercall op (a1, a2) made by vCPU vcpu of domain id (which must
 * exist): what the hypervisor returned (negative XEN_E* on error).
 */
long world_hypercall_as(uint16_t id, unsigned int vcpu, unsigned int op,
			unsigned long a1, unsigned long a2);
/* Populate gfn of domain id with a page whose bytes are all fill. */
void world_populate(uint16_t id, unsigned long gfn, uint8_t fill);
/*
 * What the CPU does when domain id uses gfn: it sets the accessed bit of
 * the nested-table leaf its walk ends at (none if gfn is not present).
 */
void world_touch(uint16_t id, unsigned long gfn);
/* Whether the CPU keeps accessed bits for domain id (EPT without A/D) */
void world_accessed_bits(uint16_t id, bool kept);
/* The host address of gfn's page in domain id (RAM), or NULL. */
uint8_t *world_gfn_page(uint16_t id, unsigned long gfn);
/* Whether domain id exists (destroyed ones are gone at once here). */
bool world_domain_exists(uint16_t id);
/* Pages domain id holds; pages free in the heap. */
unsigned long world_tot_pages(uint16_t id);
unsigned long world_free_pages(void);
/*
 * Pages free in the heap or holding the control domain's p2m tables (the
 * tables its foreign mappings need come and go with them).
 */
unsigned long world_free_or_dom0_tables(void);
/*
 * Make the libraries' hypercalls as vCPU 0 of domain id from now on, to
 * see what a domU calling them gets.
 */
void world_act_as(uint16_t id);
/*
 * Whether port of domain id is pending (its shared-info bit), which is
 * cleared, as the guest's handler would.
 */
bool world_port_take(uint16_t id, uint32_t port);
/* Domain id writes s on its console (console_io's write). */
void world_console_write(uint16_t id, const char *s);
/*
 * A hypervisor log line "(XEN) LINE" in the console ring, as printk would
 * put it there (it does not, here).
 */
void world_log_line(const char *line);
/* Domain id's vCPU 0 pause count. */
unsigned int world_pause_count(uint16_t id);

#endif
