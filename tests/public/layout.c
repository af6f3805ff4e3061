/*
 * The public ABI's layouts, checked at compile time: built once 64-bit and
 * once 32-bit (scripts/check-public-headers.sh), it fails to compile if a
 * structure's size or a field's offset differs from Xen's, or between the
 * two compilers.
 */
#include <stddef.h>

#include "domctl.h"
#include "errno.h"
#include "event_channel.h"
#include "grant_table.h"
#include "hvm_op.h"
#include "hvm_vcpu.h"
#include "io/console.h"
#include "memory.h"
#include "sched.h"
#include "shared_info.h"
#include "start_info.h"
#include "sysctl.h"
#include "vcpu.h"
#include "version.h"
#include "vm_event.h"
#include "xen.h"

#define SIZE(type, n) _Static_assert(sizeof(type) == (n), #type " size")
#define AT(type, field, n) \
	_Static_assert(offsetof(type, field) == (n), #type "." #field " offset")

SIZE(domid_t, 2);
SIZE(evtchn_port_t, 4);

/* Handles: 8 bytes, 8-aligned, for a 64-bit caller; 4 for a 32-bit one. */
SIZE(XEN_GUEST_HANDLE(xen_pfn_t), 8);
_Static_assert(_Alignof(XEN_GUEST_HANDLE(char)) == 8, "handle alignment");
SIZE(COMPAT_HANDLE(compat_pfn_t), 4);
_Static_assert(_Alignof(COMPAT_HANDLE(char)) == 4, "compat alignment");

SIZE(struct xen_memory_reservation, 32);
AT(struct xen_memory_reservation, nr_extents, 8);
AT(struct xen_memory_reservation, extent_order, 16);
AT(struct xen_memory_reservation, domid, 24);
SIZE(struct compat_memory_reservation, 20);
AT(struct compat_memory_reservation, domid, 16);
SIZE(struct xen_add_to_physmap, 24);
AT(struct xen_add_to_physmap, space, 4);
AT(struct xen_add_to_physmap, idx, 8);
AT(struct xen_add_to_physmap, gpfn, 16);
SIZE(struct compat_add_to_physmap, 16);
AT(struct compat_add_to_physmap, gpfn, 12);
SIZE(struct xen_add_to_physmap_batch, 32);
AT(struct xen_add_to_physmap_batch, space, 2);
AT(struct xen_add_to_physmap_batch, size, 4);
AT(struct xen_add_to_physmap_batch, u.foreign_domid, 6);
AT(struct xen_add_to_physmap_batch, idxs, 8);
AT(struct xen_add_to_physmap_batch, gpfns, 16);
AT(struct xen_add_to_physmap_batch, errs, 24);
SIZE(struct compat_add_to_physmap_batch, 20);
AT(struct compat_add_to_physmap_batch, u.foreign_domid, 6);
AT(struct compat_add_to_physmap_batch, idxs, 8);
AT(struct compat_add_to_physmap_batch, gpfns, 12);
AT(struct compat_add_to_physmap_batch, errs, 16);
SIZE(struct xen_remove_from_physmap, 16);
AT(struct xen_remove_from_physmap, gpfn, 8);
SIZE(struct compat_remove_from_physmap, 8);
AT(struct compat_remove_from_physmap, gpfn, 4);

SIZE(struct sched_shutdown, 4);
SIZE(struct sched_remote_shutdown, 8);
AT(struct sched_remote_shutdown, reason, 4);
SIZE(struct sched_poll, 24);
AT(struct sched_poll, nr_ports, 8);
AT(struct sched_poll, timeout, 16);
SIZE(struct compat_sched_poll, 16);
AT(struct compat_sched_poll, timeout, 8);

SIZE(struct vcpu_set_singleshot_timer, 12);
AT(struct vcpu_set_singleshot_timer, flags, 8);

SIZE(struct xen_hvm_get_time, 8);
SIZE(struct xen_hvm_param, 16);
AT(struct xen_hvm_param, index, 4);
AT(struct xen_hvm_param, value, 8);
AT(struct xen_hvm_evtchn_upcall_vector, vector, 4);

SIZE(struct xen_compile_info, 144);
SIZE(struct xen_platform_parameters, 8);
SIZE(struct compat_platform_parameters, 4);
SIZE(struct xen_feature_info, 8);

SIZE(struct evtchn_bind_virq, 12);
SIZE(struct evtchn_bind_ipi, 8);
SIZE(struct evtchn_alloc_unbound, 8);
AT(struct evtchn_alloc_unbound, port, 4);
SIZE(struct evtchn_bind_interdomain, 12);
AT(struct evtchn_bind_interdomain, remote_port, 4);
SIZE(struct evtchn_bind_vcpu, 8);
SIZE(struct evtchn_status, 24);
AT(struct evtchn_status, port, 4);
AT(struct evtchn_status, status, 8);
AT(struct evtchn_status, vcpu, 12);
AT(struct evtchn_status, u, 16);
AT(struct evtchn_status, u.interdomain.port, 20);

SIZE(struct vcpu_time_info, 32);
AT(struct vcpu_time_info, tsc_to_system_mul, 24);
AT(struct vcpu_time_info, tsc_shift, 28);
AT(struct vcpu_time_info, flags, 29);
SIZE(struct vcpu_info, 64);
AT(struct vcpu_info, evtchn_pending_sel, 8);
AT(struct vcpu_info, time, 32);
SIZE(struct compat_vcpu_info, 64);
AT(struct compat_vcpu_info, evtchn_pending_sel, 4);
AT(struct compat_vcpu_info, time, 32);
AT(struct shared_info, evtchn_pending, 2048);
AT(struct shared_info, evtchn_mask, 2560);
AT(struct shared_info, wc_version, 3072);
AT(struct compat_shared_info, evtchn_pending, 2048);
AT(struct compat_shared_info, evtchn_mask, 2176);
AT(struct compat_shared_info, wc_version, 2304);
AT(struct shared_info, wc_sec_hi, 3084);

SIZE(struct vcpu_runstate_info, 48);
AT(struct vcpu_runstate_info, state_entry_time, 8);
AT(struct vcpu_runstate_info, time, 16);
SIZE(struct compat_vcpu_runstate_info, 44);
AT(struct compat_vcpu_runstate_info, state_entry_time, 4);
AT(struct compat_vcpu_runstate_info, time, 12);
SIZE(struct vcpu_register_runstate_memory_area, 8);
SIZE(struct compat_vcpu_register_runstate_memory_area, 4);
SIZE(struct vcpu_set_periodic_timer, 8);
SIZE(struct vcpu_register_vcpu_info, 16);
AT(struct vcpu_register_vcpu_info, offset, 8);

AT(struct xencons_interface, out, 1024);
AT(struct xencons_interface, in_cons, 3072);
AT(struct xencons_interface, in_prod, 3076);
AT(struct xencons_interface, out_cons, 3080);
AT(struct xencons_interface, out_prod, 3084);
AT(struct xencons_interface, connection, 3088);

SIZE(struct hvm_start_info, 56);
AT(struct hvm_start_info, modlist_paddr, 16);
AT(struct hvm_start_info, memmap_paddr, 40);
AT(struct hvm_start_info, memmap_entries, 48);
SIZE(struct hvm_modlist_entry, 32);
SIZE(struct hvm_memmap_table_entry, 24);
AT(struct hvm_memmap_table_entry, type, 16);

SIZE(struct xen_mem_paging_op, 24);
AT(struct xen_mem_paging_op, domain, 2);
AT(struct xen_mem_paging_op, buffer, 8);
AT(struct xen_mem_paging_op, gfn, 16);
SIZE(struct xen_mem_paging_batch, 24);
AT(struct xen_mem_paging_batch, gfns, 8);
AT(struct xen_mem_paging_batch, nr, 16);
SIZE(struct xen_mem_paging_accessed, 24);
AT(struct xen_mem_paging_accessed, domain, 2);
AT(struct xen_mem_paging_accessed, nr, 4);
AT(struct xen_mem_paging_accessed, bitmap, 8);
AT(struct xen_mem_paging_accessed, gfn, 16);

SIZE(struct xen_domctl, 144);
AT(struct xen_domctl, interface_version, 4);
AT(struct xen_domctl, domain, 8);
AT(struct xen_domctl, u, 16);
SIZE(struct xen_domctl_createdomain, 96);
AT(struct xen_domctl_createdomain, handle, 4);
AT(struct xen_domctl_createdomain, flags, 20);
AT(struct xen_domctl_createdomain, max_vcpus, 28);
AT(struct xen_domctl_createdomain, cpupool_id, 52);
AT(struct xen_domctl_createdomain, arch, 56);
AT(struct xen_domctl_createdomain, name, 64);
SIZE(struct xen_domctl_getdomaininfo, 112);
AT(struct xen_domctl_getdomaininfo, flags, 4);
AT(struct xen_domctl_getdomaininfo, tot_pages, 8);
AT(struct xen_domctl_getdomaininfo, paged_pages, 40);
AT(struct xen_domctl_getdomaininfo, cpu_time, 56);
AT(struct xen_domctl_getdomaininfo, nr_online_vcpus, 64);
AT(struct xen_domctl_getdomaininfo, handle, 76);
AT(struct xen_domctl_getdomaininfo, cpupool, 92);
AT(struct xen_domctl_getdomaininfo, gpaddr_bits, 96);
AT(struct xen_domctl_getdomaininfo, arch_config, 104);
SIZE(struct xen_domctl_vcpucontext, 16);
AT(struct xen_domctl_vcpucontext, ctxt, 8);
SIZE(struct vcpu_hvm_x86_32, 120);
AT(struct vcpu_hvm_x86_32, efer, 56);
AT(struct vcpu_hvm_x86_32, cs_base, 64);
AT(struct vcpu_hvm_x86_32, cs_ar, 104);
SIZE(struct vcpu_hvm_x86_64, 112);
AT(struct vcpu_hvm_x86_64, rip, 64);
AT(struct vcpu_hvm_x86_64, efer, 104);
SIZE(struct vcpu_hvm_context, 128);
AT(struct vcpu_hvm_context, cpu_regs, 8);
SIZE(struct xen_sysctl, 136);
AT(struct xen_sysctl, u, 8);
SIZE(struct xen_sysctl_readconsole, 24);
AT(struct xen_sysctl_readconsole, index, 4);
AT(struct xen_sysctl_readconsole, buffer, 8);
AT(struct xen_sysctl_readconsole, count, 16);
SIZE(struct xen_sysctl_physinfo, 112);
AT(struct xen_sysctl_physinfo, capabilities, 28);
AT(struct xen_sysctl_physinfo, total_pages, 40);
AT(struct xen_sysctl_physinfo, free_pages, 48);
AT(struct xen_sysctl_physinfo, hw_cap, 80);
SIZE(struct xen_sysctl_getdomaininfolist, 24);
AT(struct xen_sysctl_getdomaininfolist, max_domains, 4);
AT(struct xen_sysctl_getdomaininfolist, buffer, 8);
AT(struct xen_sysctl_getdomaininfolist, num_domains, 16);
SIZE(struct xen_domctl_vm_event_op, 12);
AT(struct xen_domctl_vm_event_op, u.enable.port, 8);

SIZE(vm_event_request_t, 400);
AT(vm_event_request_t, vcpu_id, 12);
AT(vm_event_request_t, altp2m_idx, 16);
AT(vm_event_request_t, u.mem_paging.gfn, 24);
AT(vm_event_request_t, u.mem_paging.flags, 36);
AT(struct vm_event_sring, ring, 64);
_Static_assert(sizeof(struct vm_event_sring) <= 4096, "ring fits a page");

SIZE(struct grant_entry_v1, 8);
AT(struct grant_entry_v1, domid, 2);
AT(struct grant_entry_v1, frame, 4);
SIZE(struct gnttab_setup_table, 24);
AT(struct gnttab_setup_table, nr_frames, 4);
AT(struct gnttab_setup_table, status, 8);
AT(struct gnttab_setup_table, frame_list, 16);
SIZE(struct compat_gnttab_setup_table, 16);
AT(struct compat_gnttab_setup_table, frame_list, 12);
SIZE(struct gnttab_query_size, 16);
AT(struct gnttab_query_size, max_nr_frames, 8);
AT(struct gnttab_query_size, status, 12);
SIZE(struct gnttab_set_version, 4);
SIZE(struct gnttab_get_version, 8);
AT(struct gnttab_get_version, version, 4);
