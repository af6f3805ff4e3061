/*
 * libxenforeignmemory: another domain's memory mapped into the caller's
 * address space, with libxenforeignmemory's names. In dom0 the frames are
 * mapped into dom0's own physmap; on the host (the in-process transport)
 * the mapping is the machine frames themselves. Either way a write
 * through the mapping is a write to the guest's frame, and a mapping
 * holds a reference to each frame until it is unmapped: a frame the
 * guest gives up (or a guest that is destroyed) stays allocated, and
 * readable here, until then.
 *
 * Errors, as libxc: -1 (NULL for the functions returning pointers) with
 * errno set to the hypervisor's error mapped by name.
 */
#ifndef TOOLS_XENFOREIGNMEMORY_H
#define TOOLS_XENFOREIGNMEMORY_H

#include <stddef.h>
#include <stdint.h>

#include <public/memory.h>
#include <public/xen.h>

typedef struct xenforeignmemory_handle xenforeignmemory_handle;

/*
 * prot of xenforeignmemory_map(): the values of PROT_READ and PROT_WRITE
 * (<sys/mman.h>), which a caller with that header may pass instead. The
 * mapping is always writable underneath: PROT_READ alone is not enforced.
 */
#define XENFOREIGNMEMORY_PROT_READ 0x1
#define XENFOREIGNMEMORY_PROT_WRITE 0x2

/*
 * A handle for the other calls; logger must be NULL and open_flags 0
 * (EINVAL otherwise). ENOMEM: no memory for the handle.
 */
xenforeignmemory_handle *xenforeignmemory_open(void *logger,
					       unsigned int open_flags);
/*
 * Free the handle (NULL: nothing). Mappings made through it stay until
 * they are unmapped. Returns 0.
 */
int xenforeignmemory_close(xenforeignmemory_handle *fmem);

/*
 * Map the frames of domain dom at the gfns arr[0..num) at consecutive
 * pages: the address of the first.
 *
 * With err non-NULL, err[i] is 0 or the error of page i as a negative
 * errno value (-ENOENT: not populated or paged out, try again later;
 * -EINVAL: not RAM, or beyond the domain's memory); a page that failed
 * keeps its place in the range but must not be touched. The call returns
 * NULL only when nothing could be mapped at all, errno the first page's
 * error: ESRCH (no such domain), EPERM (the caller may not map dom's
 * memory: it is not the control domain, or dom is its own), EINVAL (every
 * page failed so; or num is 0, prot has other bits than PROT_READ and
 * PROT_WRITE), ENOMEM (no room for the mapping).
 *
 * With err NULL, any page that fails fails the call: NULL, nothing left
 * mapped, errno the first failed page's error.
 *
 * Unmap with xenforeignmemory_unmap(), num pages at the address returned.
 */
void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
			   int prot, size_t num, const xen_pfn_t arr[],
			   int err[]);
/*
 * Undo a map of num pages at addr (what map returned, and its num): the
 * frames' references go. EINVAL: addr is no such mapping.
 */
int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr,
			   size_t num);

#endif
