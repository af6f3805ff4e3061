/*
 * The lock order of the whole hypervisor, in one place.
 *
 * A CPU may take a lock only if its rank is strictly greater than the rank
 * of every lock it already holds (re-taking a recursive lock it owns is
 * always allowed). Debug builds check this on every acquisition and panic
 * naming both locks. Lower ranks are outer locks; they are listed here in
 * rank order, outermost first.
 */
#ifndef XEN_LOCK_RANKS_H
#define XEN_LOCK_RANKS_H

enum lock_rank {
	/*
	 * domctl: serialises the sub-ops that create domains and vCPUs and
	 * count the control domain's pauses (common/domctl*.c).
	 */
	LR_DOMCTL = 4,
	/*
	 * Event channels: the global interdomain-binding lock, then domains'
	 * event locks, several of which are taken in domain-id order.
	 */
	LR_EVTCHN_BIND = 6,
	LR_EVENT = 7,
	/* A domain's shared-info mapping (outside its p2m locks). */
	LR_DOMAIN_PHYSMAP = 8,

	/*
	 * A domain's UART's IRQ line (hvm/vuart.c): held while it drives the
	 * line, so the interrupt controllers' locks come after it.
	 */
	LR_VUART_LINE = 9,

	/* Self-test locks: an outer and an inner one to provoke inversions. */
	LR_SELFTEST_OUTER = 10,
	LR_SELFTEST_INNER = 11,

	/* The list of domains, the reaper's list, domain_get() references. */
	LR_DOMLIST = 12,
	/* A domain's shutdown state (and its recorded shutdown code). */
	LR_DOMAIN_SHUTDOWN = 13,
	/*
	 * Enabling and disabling a domain's vm_event ring: held across the
	 * p2m changes that take the ring page and undo requests in flight.
	 */
	LR_VM_EVENT_CTL = 15,

	/*
	 * The p2m's global lock (write: table-wide work; read: taken by every
	 * range holder), then its 2 MiB range locks, which one CPU may hold
	 * several of when taken in key order (by p2m, then gfn). The p2ms are
	 * ordered by creation, the control domain's after all others (its
	 * pager looks up its own memory holding a guest's gfn: mm/p2m/lock.c).
	 */
	LR_P2M_GLOBAL = 20,
	LR_P2M_RANGE = 21,
	/*
	 * A domain's vm_event ring: its pointer and indices
	 * (d->paging_lock, taken under a gfn's range lock to put a request).
	 */
	LR_VM_EVENT = 30,

	/* Memory hot-add: serialises onlining of held-back ranges. */
	LR_MEMHOTPLUG = 40,
	/* struct domain page_alloc_lock: the domain's page list, counts. */
	LR_DOMAIN_PAGE_ALLOC = 50,
	/* The hypervisor's own page tables (map_pages, frame-table backing) */
	LR_MAP_PAGES = 55,
	/* heap_lock: buddy free lists and the free-page counters. */
	LR_HEAP = 60,

	/* A domain's UART registers (taken alone, or under its line lock) */
	LR_VUART = 65,

	/* A wait queue's list of sleepers. */
	LR_WAITQUEUE = 70,
	/*
	 * A domain's hypervisor-served ports (alloc_unbound_xen_evtchn()):
	 * their bindings, changed inside the event locks and read alone by
	 * notify_via_xen_evtchn(), which then wakes the peer's vCPU.
	 */
	LR_XEN_EVTCHN = 72,
	/*
	 * A domain's IOAPIC, then a vCPU's local APIC (it delivers to
	 * APICs with its own lock released; neither is held to wake a vCPU).
	 */
	LR_VIOAPIC = 73,
	LR_VLAPIC = 74,
	/* Per-CPU run queues and the scheduling state of their vCPUs. */
	LR_RUNQUEUE = 75,
	/* Per-CPU timer lists. */
	LR_TIMER = 80,
	/* Serialises cross-CPU function calls (one in flight at a time). */
	LR_CALL_FUNCTION = 85,
	/* Serialises TLB shootdowns (one in flight at a time). */
	LR_TLB_FLUSH = 86,

	/* The emulated RTCs (arch/x86/hvm/rtc.c). */
	LR_VRTC = 88,
	/* A domain's PV console output ring (common/pv_console.c). */
	LR_PV_CONSOLE = 89,

	/* Console input: the ring the control domain reads. */
	LR_CONSOLE_INPUT = 90,
	/* A guest's console line buffer. */
	LR_DOMAIN_CONSOLE = 95,
	/* The console: printk may be called holding anything. */
	LR_CONSOLE = 100,
	/* The console ring (what was printed): innermost, under the console */
	LR_CONSOLE_RING = 101,
};

#endif
