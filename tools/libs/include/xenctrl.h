/*
 * libxenctrl: the control domain's library for domains and the host, with
 * libxc's names and conventions. It runs in dom0 (tools/minios) and, for
 * tests, on the host over the in-process transport (xen_os.h).
 *
 * Errors, as libxc: a function that fails returns -1 (NULL for
 * xc_interface_open) with errno set to the hypervisor's error, mapped by
 * name (XEN_ESRCH is ESRCH, ...). Common ones:
 *
 *   EPERM    the caller is not the control domain (nor, where a domain is
 *            named, a domain allowed to act on it by set_target)
 *   ESRCH    the domain does not exist (or is being destroyed)
 *   EINVAL   an argument the hypervisor or this library refuses
 *   EFAULT   a buffer the hypervisor cannot reach
 *
 * Each function below lists the errors of its own. The library checks the
 * interface versions itself, so that EACCES (a domctl or sysctl of another
 * version) does not reach its callers.
 *
 * A handle may be used by one thread at a time; several handles may be
 * open at once.
 */
#ifndef TOOLS_XENCTRL_H
#define TOOLS_XENCTRL_H

#include <stddef.h>
#include <stdint.h>

#include <public/domctl.h>
#include <public/hvm_op.h>
#include <public/hvm_vcpu.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/xen.h>

typedef struct xc_interface_core xc_interface;
/* A domain's state, Xen's layout (modern libxc's xc_domaininfo_t). */
typedef struct xen_domctl_getdomaininfo xc_domaininfo_t;
typedef struct xen_sysctl_physinfo xc_physinfo_t;

/*
 * A handle for the other calls. logger and dombuild_logger must be NULL
 * (there are no loggers: errors come back through errno) and open_flags
 * 0. NULL with errno EINVAL if they are not, ENOMEM if there is no memory
 * for the handle.
 */
xc_interface *xc_interface_open(void *logger, void *dombuild_logger,
				unsigned int open_flags);
/* Free the handle (NULL: nothing). Returns 0. */
int xc_interface_close(xc_interface *xch);

/*
 * Create a domain as config says (flags: XEN_DOMCTL_CDF_hvm |
 * XEN_DOMCTL_CDF_hap; max_vcpus; handle; name: printable, no spaces, ""
 * for "dN"). *pdomid is the id it should have, 0 for the lowest free one
 * (ids start at 1); the id it got is written back. The domain starts
 * paused (one pause, undone by xc_domain_unpause()), with no memory and
 * no room for any (xc_domain_setmaxmem() first) and no vCPU until
 * xc_vcpu_setcontext() starts one. EINVAL: bad flags, vCPU count or name,
 * or *pdomid is no domain id; EEXIST: the id or the name is taken;
 * ENOSPC: no id left; ENOMEM.
 */
int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
		     struct xen_domctl_createdomain *config);
/*
 * Destroy domid: it stops at once and is gone; its pages are freed when
 * nothing holds them (a foreign mapping keeps its frames until it is
 * unmapped). EINVAL: the caller's own domain.
 */
int xc_domain_destroy(xc_interface *xch, uint32_t domid);
/* One pause more (they count); EINVAL for the caller's own domain. */
int xc_domain_pause(xc_interface *xch, uint32_t domid);
/* Undo one pause of xc_domain_pause's (or creation's); EINVAL: none. */
int xc_domain_unpause(xc_interface *xch, uint32_t domid);
/*
 * Ask domid to shut down with reason (SHUTDOWN_poweroff ... _crash), as
 * if it had asked itself (SCHEDOP_remote_shutdown). A domain made by
 * xc_domain_create() stays, shut down (XEN_DOMINF_shutdown and the reason
 * in its info), until xc_domain_destroy(); one built at boot goes.
 * EINVAL: an unknown reason.
 */
int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason);

/* The state of domid into *info. */
int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid,
			     xc_domaininfo_t *info);
/*
 * The states of up to max_domains domains, those with ids from
 * first_domain up in increasing order, into info[]: how many were
 * written (0 if there are none). EINVAL if max_domains is 0; EFAULT.
 */
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
			  unsigned int max_domains, xc_domaininfo_t *info);
/*
 * The name of domid, NUL-terminated, into name[size] (at most
 * XEN_DOMAIN_NAME_MAX bytes are needed). ERANGE if it does not fit.
 */
int xc_domain_getname(xc_interface *xch, uint32_t domid, char *name,
		      size_t size);

/*
 * The most memory domid may hold, in KiB (rounded down to pages). Less
 * than it holds now is allowed: it cannot grow until it gave pages back.
 * ENOMEM: more than the host has.
 */
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb);
/*
 * Let domid act on target as the control domain may (memory_op, HVM
 * params, foreign mappings; not domctl or sysctl), until either shuts
 * down. ESRCH: either does not exist; EINVAL: target is domid, or not
 * the older of the two; EEXIST: domid has a target already.
 */
int xc_domain_set_target(xc_interface *xch, uint32_t domid, uint32_t target);

/*
 * Give domid nr_extents extents of 2^extent_order pages at the gfns in
 * extent_start[] (each aligned to the extent). They are done in order and
 * stop at the first that fails: returns how many were done (0 to
 * nr_extents); -1 with errno only when the call as a whole is refused
 * (ESRCH, EPERM, EINVAL for a bad order, EFAULT). mem_flags must be 0.
 */
int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
			       unsigned long nr_extents,
			       unsigned int extent_order,
			       unsigned int mem_flags, xen_pfn_t *extent_start);
/* The same, 0 if every extent was done; EBUSY if fewer were, as libxc. */
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
				     unsigned long nr_extents,
				     unsigned int extent_order,
				     unsigned int mem_flags,
				     xen_pfn_t *extent_start);
/*
 * Take the extents at the gfns in extent_start[] from domid, their pages
 * freed once nothing else holds them: how many were done, stopping at the
 * first that fails (not populated), as populate.
 */
int xc_domain_decrease_reservation(xc_interface *xch, uint32_t domid,
				   unsigned long nr_extents,
				   unsigned int extent_order,
				   xen_pfn_t *extent_start);
/* The same, 0 if every extent was done; EINVAL if fewer were, as libxc. */
int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
					 unsigned long nr_extents,
					 unsigned int extent_order,
					 xen_pfn_t *extent_start);

/*
 * Start vCPU vcpu of domid with the registers *ctxt: it runs when the
 * domain is unpaused. A vCPU that was started already is given them
 * instead, only while the domain is paused (EBUSY otherwise). EINVAL: vcpu
 * is not below the domain's max_vcpus, the domain is the caller's own or
 * shutting down, or a context the vCPU cannot start in (see
 * public/hvm_vcpu.h: flat segments, paging off in 32-bit mode, long mode
 * on cr3's tables). EFAULT.
 */
int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_hvm_context_t *ctxt);
/*
 * The registers of vCPU vcpu of domid into *ctxt, while the domain is
 * paused or shut down (EBUSY otherwise). ENODATA: the vCPU was never
 * started; EINVAL: no such vCPU.
 */
int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_hvm_context_t *ctxt);

/*
 * HVM parameter param (HVM_PARAM_*) of domid. EINVAL: no such parameter,
 * or a value it cannot take (CALLBACK_IRQ: only the vector type).
 */
int xc_hvm_param_get(xc_interface *xch, uint32_t domid, uint32_t param,
		     uint64_t *value);
int xc_hvm_param_set(xc_interface *xch, uint32_t domid, uint32_t param,
		     uint64_t value);

/* The host's CPUs, memory (in pages) and capabilities into *info. */
int xc_physinfo(xc_interface *xch, xc_physinfo_t *info);

/*
 * The hypervisor's log ring into buffer[*pnr_chars] (no NUL added);
 * *pnr_chars is set to how many bytes were written. Without incremental,
 * the newest bytes; with it, from *pindex on, and *pindex is set to where
 * the next call continues (pindex may be NULL without incremental).
 * clear empties the ring after reading. EINVAL: incremental without
 * pindex.
 */
int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars,
		       int clear, int incremental, uint32_t *pindex);

/*
 * Paging (docs/paging.md): the pager, in the control domain, takes gfns
 * of domain domid out to its own store and brings them back when they are
 * touched. Only the control domain may call these (EPERM), never on its
 * own domain (EINVAL); ESRCH: no such domain. xenvmevent.h serves the
 * ring these calls set up.
 *
 * The paging ring, whose page is domid's HVM_PARAM_PAGING_RING_PFN gfn
 * (RAM of domid's that the caller has mapped). enable gives it to the
 * hypervisor (out of domid's physmap) and writes to *port an unbound port
 * of domid's for the caller to bind; EBUSY: domid has a ring already;
 * EINVAL: the parameter is not set or its gfn is not domid's RAM. disable
 * takes it away: requests not answered are asked again of the next
 * pager; EINVAL: no ring. resume makes the hypervisor read the responses
 * (as a send on the port does); EINVAL: rsp_prod beyond the requests
 * sent. get_version: VM_EVENT_INTERFACE_VERSION into *version.
 */
int xc_mem_paging_enable(xc_interface *xch, uint32_t domid, uint32_t *port);
int xc_mem_paging_disable(xc_interface *xch, uint32_t domid);
int xc_mem_paging_resume(xc_interface *xch, uint32_t domid);
int xc_mem_paging_get_version(xc_interface *xch, uint32_t domid,
			      uint32_t *version);
/*
 * One gfn; each needs domid's ring (ENODEV without one).
 *
 * nominate: present -> nominated; the caller may read the page (map it)
 * and evict it. EINVAL: gfn beyond domid's memory, or a kind that is
 * never paged (a hole, MMIO, shared info); EBUSY: held by someone (a
 * foreign mapping) or paging already.
 *
 * evict: nominated -> paged out, its frame freed (domid's paged_pages
 * counts it). EBUSY: used since nominate (it is present again; a gfn
 * never nominated looks the same); EINVAL: not present (a hole, paged
 * already).
 *
 * load: paged out -> present, with the 4096 bytes at buffer, in one
 * call: the gfn never shows a blank page. EINVAL: buffer is NULL or gfn
 * is not paged out; EFAULT; ENOMEM: domid is at its memory limit.
 *
 * prep: Xen's load without contents, which this hypervisor refuses (a
 * page is never made present blank): EINVAL for any gfn, ring or not
 * being checked first (ENODEV). Kept for Xen's tools; use load.
 */
int xc_mem_paging_nominate(xc_interface *xch, uint32_t domid, uint64_t gfn);
int xc_mem_paging_evict(xc_interface *xch, uint32_t domid, uint64_t gfn);
int xc_mem_paging_prep(xc_interface *xch, uint32_t domid, uint64_t gfn);
int xc_mem_paging_load(xc_interface *xch, uint32_t domid, uint64_t gfn,
		       void *buffer);
/*
 * Page out the nr gfns at gfns[] without nominate (the caller has their
 * contents, or they are holes: start-up demand paging, a restore): each
 * hole or pageable present gfn becomes paged out, one paged out already
 * stays so. No ring is needed. The hypervisor does them in order, in
 * rounds that it continues by itself, so a batch may be of any size.
 *
 * It stops at the first gfn that cannot be paged: EINVAL (a kind never
 * paged, the ring gfn, beyond domid's memory) or EBUSY (in transit, or
 * held by a mapping); then, with failed non-NULL, *failed is that gfn's
 * index: the gfns before it are paged out, it and those after untouched.
 * For the errors of the call as a whole (ESRCH, EPERM, EFAULT: a gfn
 * array it cannot read, EINVAL: nr too large) the ABI does not tell how
 * far it got: *failed is nr.
 */
int xc_mem_paging_populate_evicted(xc_interface *xch, uint32_t domid,
				   const xen_pfn_t *gfns, unsigned long nr,
				   unsigned long *failed);
/*
 * Which of the nr gfns from first_gfn domid used since the last call
 * that asked about them (or since they were made present): bit i of
 * bitmap (LSB first in each byte, (nr + 7) / 8 bytes, all written) is
 * gfn first_gfn + i; the call clears what it reports, so the next call
 * sees only uses after this one. Gfns that are not present RAM (holes,
 * paged out, MMIO) read 0; a 2 MiB or 1 GiB mapping answers with one bit
 * for all its gfns (and clears it for all). No ring is needed; nr 0 does
 * nothing. EOPNOTSUPP: the CPU keeps no accessed bits for domid (VMX
 * without EPT A/D flags); EINVAL: nr above XENMEM_PAGING_ACCESSED_MAX_NR
 * (32768) or gfns beyond domid's memory (nothing cleared); EFAULT:
 * bitmap is not writable (nothing cleared).
 */
int xc_mem_paging_accessed(xc_interface *xch, uint32_t domid,
			   uint64_t first_gfn, uint32_t nr, uint8_t *bitmap);

#endif
