/*
 * The in-process transport: xen_os.h implemented on the host, over the
 * hypervisor's sources linked into the runner (world.h).
 *
 *   hypercalls      hypercall_dispatch() with the control domain's vCPU
 *                   current, continuations re-run as the arch would; one
 *                   at a time, as on dom0's single vCPU
 *   foreign maps    XENMEM_add_to_physmap_batch (gmfn_foreign) into a
 *                   window of dom0's own gfns, then each frame mapped at
 *                   its place in a fresh host range from the arena's
 *                   shared-memory file: writes through the mapping are
 *                   writes to the guest's frame. Unmapping removes the
 *                   entries (XENMEM_remove_from_physmap), which drops the
 *                   frames' references.
 *   event channels  the control domain's upcall (arch_vcpu_raise_upcall)
 *                   scans its shared-info page as a guest would: a port
 *                   attached to a handle that is pending and not masked
 *                   is masked, cleared and queued on the handle
 */
#ifndef UNIT_LIBS_XEN_OS_HOST_H
#define UNIT_LIBS_XEN_OS_HOST_H

struct vcpu;

/*
 * Remap the shim's machine memory (still empty) onto a shared-memory
 * file, so that its frames can be mapped a second time elsewhere.
 */
void xen_os_host_share_arena(void);
/*
 * Make hypercalls as caller, a vCPU of the control domain, and map
 * foreign frames at its gfns [window, window + window_nr), which must be
 * free: 0 or -errno.
 */
int xen_os_host_init(struct vcpu *caller, unsigned long window,
		     unsigned long window_nr);
/* Make the hypercalls as v from now on (see world_act_as()). */
void xen_os_host_set_caller(struct vcpu *v);

#endif
