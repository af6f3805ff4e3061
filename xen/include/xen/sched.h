/*
 * Domains and vCPUs, and the scheduler that runs vCPUs on physical CPUs.
 *
 * Every vCPU has its own hypervisor stack; switching vCPUs switches
 * stacks (context_switch), so a vCPU can stop anywhere in hypervisor code
 * that holds no lock (a wait queue) and resume there. Each physical CPU
 * has an idle vCPU, whose stack is the CPU's boot stack.
 */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H

#include <xen/cpumask.h>
#include <xen/event.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <xen/pv_console.h>
#include <xen/pvtime.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <xen/vrtc.h>
#include <xen/wait.h>
#include <public/domctl.h>
#include <public/hvm_op.h>
#include <public/sched.h>
#include <public/xen.h>

#define MAX_VCPUS 8

struct p2m_domain;
struct vm_event_domain;
struct vioapic;
struct grant_table;

enum vcpu_state {
	VCPU_RUNNABLE, /* running or waiting for a CPU */
	VCPU_BLOCKED, /* sleeping until woken (wait queue, SCHEDOP_block) */
	VCPU_OFFLINE, /* never runs again (finished, or domain dying) */
};

struct vcpu {
	unsigned int vcpu_id;
	struct domain *domain;
	bool is_idle;

	/*
	 * Scheduling state, protected by the run-queue lock of processor.
	 * A vCPU only ever sits on its own processor's run queue, and only
	 * that CPU takes vCPUs off it.
	 */
	unsigned int processor;
	cpumask_t affinity;
	enum vcpu_state state;
	bool on_runq;
	struct vcpu *runq_next;
	/* Non-zero keeps the vCPU off every CPU (atomic). */
	unsigned int pause_count;
	/* Its context is loaded on processor right now. */
	bool running;
	/* Times vcpu_wake() ended a block of this vCPU. */
	unsigned long nr_wakeups;
	/*
	 * Wake-up boost (schedule.c): boosted runs next after a wake-up,
	 * paid from boost_budget (ns), refilled up to boost_refilled.
	 */
	bool boosted;
	s_time_t boost_budget, boost_refilled;
	/* What a boost left of its slice when it preempted it (0: none). */
	s_time_t slice_left;
	s_time_t runtime; /* ns spent running */
	s_time_t last_start;

	/* Hypervisor stack, the stack pointer saved when switched out. */
	void *stack;
	unsigned long saved_rsp;
	/* What the vCPU runs on its stack; it goes offline if it returns. */
	void (*entry)(struct vcpu *v);

	/*
	 * The wait queue this vCPU sleeps on, between prepare_to_wait() and
	 * finish_wait(), and its link there (the queue's lock protects it).
	 */
	struct waitqueue_head *waitqueue;
	struct vcpu *wait_next;
	/* nr_wakeups when autoexit first saw this vCPU stuck (autoexit.c). */
	unsigned long stuck_wakeups;

	/* Vendor (SVM/VMX) state, owned by the HVM code. */
	void *hvm;

	/* Event upcall vector and one-shot timer the guest programs. */
	u8 upcall_vector;
	bool upcall_pending;
	struct timer singleshot;

	/*
	 * SCHEDOP_poll: set while the vCPU is blocked polling; poll_port is
	 * the port it waits for, 0 for any port (several were named). A
	 * port set pending wakes it (event_2l.c); so does poll_timer.
	 */
	bool polling;
	evtchn_port_t poll_port;
	struct timer poll_timer;

	/*
	 * The port each virq is bound to (0: none): the vCPU's per-vCPU
	 * virqs, and on vCPU 0 the domain's global ones. Written under the
	 * domain's event_lock, read without (send_guest_*_virq()).
	 */
	evtchn_port_t virq_to_evtchn[NR_VIRQS];

	/* vcpu_info, runstate, periodic timer (xen/pvtime.h). */
	struct vcpu_pvtime pvtime;
};

/*
 * What a domain built from a boot module must do to pass (autoexit):
 * print SUCCESS and power off, be crashed by the hypervisor, hang, or
 * power off with no verdict line (a stock kernel).
 */
enum domain_expect {
	EXPECT_SUCCESS,
	EXPECT_CRASH,
	EXPECT_HANG,
	EXPECT_POWEROFF
};
/* The text expect=crash:TEXT requires in the crash reason, with its NUL. */
#define EXPECT_REASON_MAX 48

struct domain {
	domid_t domain_id;
	char name[32];
	/* The control domain (see is_control_domain()). */
	bool is_privileged;

	/* Protects page_list, tot_pages and overalloc_reported. */
	spinlock_t page_alloc_lock;
	struct page_list_head page_list;
	unsigned long tot_pages;
	unsigned long max_pages;
	bool overalloc_reported;

	unsigned int max_vcpus;
	struct vcpu *vcpu[MAX_VCPUS];
	struct p2m_domain *p2m;

	/* Lifecycle: protected by shutdown_lock. */
	spinlock_t shutdown_lock;
	bool is_shutting_down;
	unsigned int shutdown_code;
	/* SCHEDOP_shutdown_code's, for the shutdown to come; -1 if none. */
	int recorded_shutdown_code;
	/*
	 * Why the hypervisor crashed d (domain_crash(), or "hung"), set
	 * with the shutdown it began; "" if the guest shut itself down.
	 */
	char crash_reason[128];
	/*
	 * XEN_DOMCTL_destroydomain was called (is_dying), before the domain
	 * shut down (killed: its reason is "destroyed"). Both shutdown_lock.
	 */
	bool is_dying, killed;
	/*
	 * Created by XEN_DOMCTL_createdomain: after its shutdown it stays (for
	 * the tools to read its state) until destroydomain, or until there is
	 * no control domain left (reaper.c).
	 */
	bool kept_after_shutdown;
	/* XEN_DOMCTL_set_target: it holds a reference on it (domlist_lock). */
	struct domain *target;
	/* What createdomain was given, for getdomaininfo. */
	xen_domain_handle_t handle;
	u32 ssidref;
	bool destroyed_pending; /* queued for the reaper */
	/* domain_get() references and the reaper's pick (domlist_lock). */
	unsigned int refcnt;
	bool reaping;

	/* Event channels (xen/event.h has the locking). */
	spinlock_t event_lock;
	struct evtchn *evtchn[EVTCHN_NR_BUCKETS];
	/* Ports the hypervisor serves: see alloc_unbound_xen_evtchn(). */
	struct xen_evtchn xen_evtchns[NR_XEN_EVTCHNS];
	spinlock_t xen_evtchn_lock;
	/* notify callbacks running for d's ports (atomic). */
	unsigned int xen_evtchn_calls;
	/* The shared-info page, its layout, where the guest mapped it. */
	void *shared_info;
	bool shinfo_compat; /* 32-bit layout */
	/* The wall clock is written for layout 1 (64-bit), 2 (32-bit), 0 none */
	u8 wallclock_layout;
	spinlock_t physmap_lock; /* shared_info_map(), grant frames */
	unsigned long shared_info_gfn; /* ~0UL: not mapped */
	/* Its grant table (xen/grant_table.h): NULL until frame 0 exists. */
	struct grant_table *grant_table;
	/* GNTTABOP_* not provided that it asked for: each logged once. */
	unsigned long gnttab_unsupported_logged;

	/* HVM parameters (hvm/params.c); protected by event_lock. */
	u64 hvm_params[HVM_NR_PARAMS];
	/* The IOAPIC (arch/x86/hvm/vioapic.c). */
	struct vioapic *vioapic;

	/*
	 * Memory paging (docs/paging.md). paging_ring is the pager's ring
	 * (xen/vm_event.h), NULL while there is none; paging_ring_gen
	 * counts the rings enabled, so that a slot claimed on one ring is
	 * never filled on the next. Both change under paging_lock, which
	 * also protects the ring's indices. paging_wq holds this domain's
	 * vCPUs waiting for a ring slot or for a gfn to come back; they
	 * wake whenever paging_events (atomic) moves.
	 */
	spinlock_t vm_event_ctl_lock; /* serialises enable and disable */
	spinlock_t paging_lock;
	struct vm_event_domain *paging_ring;
	unsigned long paging_ring_gen;
	struct waitqueue_head paging_wq;
	unsigned long paging_events;
	/* Counts (atomic): gfns paged out now, evictions, page-ins. */
	unsigned long nr_paged, nr_evictions, nr_pageins;
	/* Pauses by XEN_DOMCTL_pausedomain not yet undone (atomic). */
	unsigned int controller_pause_count;
	/* Hypercalls restarted through a continuation (atomic). */
	unsigned long nr_continuations;
	/*
	 * Guest accesses emulated where nothing is (hvm_mmio_fault(): read
	 * ~0, writes dropped; atomic), and whether the first was logged.
	 */
	unsigned long nr_unbacked;
	bool unbacked_logged;

	/* COM1, the emulated 16550 (hvm/vuart.c); NULL before HVM init. */
	struct hvm_uart *uart;
	/* Xen's CPUID leaves read as zeros (xen_cpuid=off): set at build. */
	bool hide_xen_cpuid;
	/* A sleep type other than S5 was asked for: said once (atomic). */
	bool acpi_sleep_logged;

	/* Guest console: the line being collected (console_lock). */
	spinlock_t console_lock;
	char conbuf[160];
	unsigned int conlen;
	/* Its PV console ring, if it has one (xen/pv_console.h). */
	struct pv_console pv_console;
	/* Its RTC/CMOS (xen/vrtc.h). */
	struct vrtc vrtc;

	/* Test verdict bookkeeping (autoexit), for domains built from modules */
	bool has_verdict;
	enum domain_expect expect;
	/* expect=crash:TEXT: crash_reason must contain it ("": any reason). */
	char expect_reason[EXPECT_REASON_MAX];
	bool printed_success;
	/* The guest's verdict line was FAILURE or ERROR: a FAIL, always. */
	bool printed_failure;
	bool printed_verdict;
	/* Shut down by autoexit because it could never run again. */
	bool hung;

	struct domain *next_in_list; /* domlist_lock */
	struct domain *next_dying; /* reaper list */
};

DECLARE_PER_CPU(struct vcpu *, curr_vcpu);
#define current (this_cpu(curr_vcpu))

/* Initialise the memory fields of a domain being created. */
void domain_mem_init(struct domain *d, domid_t id, unsigned long max_pages);
/* Free every page the domain still owns; returns how many were freed. */
unsigned long domain_relinquish_pages(struct domain *d);

/*
 * Domains (common/domain.c). domain_create: id 0 takes the next free id
 * after the last one handed out (from 1, as the boot builder and
 * XEN_DOMCTL_createdomain both do; ids are not reused at once, as in
 * Xen); a given id must be free (-EEXIST). -ENOSPC if no id is left.
 */
struct domain *domain_create(domid_t id, const char *name,
			     unsigned int nr_vcpus, unsigned long max_pages,
			     int *err);
/* A vCPU that runs entry(v) on its own stack; created paused. */
int vcpu_create(struct domain *d, unsigned int id,
		void (*entry)(struct vcpu *v));
/* The same, on cpu only (an online CPU). */
int vcpu_create_pinned(struct domain *d, unsigned int id,
		       void (*entry)(struct vcpu *v), unsigned int cpu);
/* Undo vcpu_create() of a vCPU that never ran. */
void vcpu_destroy_unstarted(struct vcpu *v);
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
/*
 * Stop the domain with a reason (SHUTDOWN_*); it is destroyed later (a
 * domain kept_after_shutdown when domain_kill() is called).
 */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Stop d if it runs, and destroy it once nothing holds it (destroydomain). */
void domain_kill(struct domain *d);
#define domain_crash(d, fmt, ...) \
	__domain_crash(d, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
void __domain_crash(struct domain *d, const char *file, int line,
		    const char *fmt, ...) __printf(4, 5);
/* Why d shut down: "poweroff", ..., "crash", or "hung" (autoexit). */
const char *domain_shutdown_reason(const struct domain *d);
struct domain *domain_find(domid_t id);
/*
 * A reference to domain id that keeps it from being destroyed until
 * domain_put() (NULL if there is no such domain, or it is being destroyed).
 */
struct domain *domain_get(domid_t id);
void domain_put(struct domain *d);
/* The same for the domain of the lowest id >= from (NULL: none). */
struct domain *domain_get_from(domid_t from);
/* The domain of that name that is not being destroyed, or NULL. */
struct domain *domain_find_name(const char *name);
/*
 * d may act on t as the control domain does (may_control()) until either
 * shuts down; d holds a reference on t meanwhile. -EINVAL (d is t, or
 * either is shutting down), -EEXIST (d has a target).
 */
int domain_set_target(struct domain *d, struct domain *t);
unsigned int domain_count(void);
/*
 * The domain after d in the list of domains (the first if d is NULL), or
 * NULL. Only the reaper may keep the result, as only it destroys domains.
 */
struct domain *domain_next(struct domain *d);
/*
 * Destroy a domain whose build failed, at once and on the caller's stack:
 * its vCPUs never ran. The caller holds a domain_get() reference, which
 * this drops; it waits until the others are dropped too.
 */
void domain_destroy_unbuilt(struct domain *d);
/* Autoexit found d can never run again: say so and shut it down. */
void domain_shutdown_hung(struct domain *d);
/*
 * Destroy shut-down domains whose vCPUs have all stopped and that no
 * domain_get() reference holds. Run by the reaper (reaper.c).
 */
void domain_reap(void);

/*
 * The reaper: a hypervisor-only vCPU on CPU0, time-sliced like any other,
 * that runs domain_reap() and the autoexit checks when kicked.
 */
void reaper_init(void);
/* Make the reaper look again (any context, no lock of rank >= 75 held). */
void reaper_kick(void);
/* v just left its CPU (the scheduler, interrupts off). */
void reaper_vcpu_stopped(struct vcpu *v);

/*
 * The control domain may act on other domains and read the hypervisor's
 * console and command line (common/control_domain.c chooses it).
 */
static inline bool is_control_domain(const struct domain *d)
{
	return d->is_privileged;
}
/*
 * Whether caller may act on d as the control domain does (memory_op on
 * it, foreign maps, paging ops, HVM params): it is the control domain,
 * or d is its target (XEN_DOMCTL_set_target).
 */
static inline bool may_control(const struct domain *caller,
			       const struct domain *d)
{
	return is_control_domain(caller) || READ_ONCE(caller->target) == d;
}
/*
 * A domain shut down or was destroyed: the control domain's VIRQ_DOM_EXC
 * is sent by the reaper (control_domain_send_exc()). Any context.
 */
void control_domain_note_exc(void);
void control_domain_send_exc(void);
/*
 * The reaper: with no control domain, destroy the domains that stay only
 * for it (kept_after_shutdown) once they shut down, and those it left
 * paused (nobody else can unpause them).
 */
void control_domain_sweep_orphans(void);
/* Called by the builder for each domain, in boot-module order. */
void control_domain_offer(struct domain *d);
/* A domain of this name, offered now, would become the control domain. */
bool control_domain_would_take(const char *name);
/* The control domain, or NULL (none, or destroyed): see control_domain.c */
struct domain *control_domain(void);
/* The reaper, before it frees d (it runs on CPU0). */
void control_domain_gone(struct domain *d);
/* Called by the builder after the last domain: log if there is none. */
void control_domain_report(void);

/* Scheduler (common/schedule.c). */
void scheduler_init(void);
/* Make the running context this CPU's idle vCPU. */
void scheduler_init_cpu(unsigned int cpu);
/* Pick the next vCPU for this CPU and switch to it. No lock may be held */
void schedule(void);
/* A scheduling point: switch if this CPU's time slice is over. */
void cond_resched(void);
bool need_resched(void);
/* When this CPU's current time slice ends (for hardware timers). */
s_time_t sched_slice_end(void);
/* Ask for a switch if this CPU's time slice is over. */
void sched_check_slice(void);
/* Make cpu pass a scheduling point soon (an IPI unless it is this CPU). */
void send_event_check(unsigned int cpu);
void vcpu_wake(struct vcpu *v);
/* Block the current vCPU until vcpu_wake(). */
void vcpu_block(void);
/* The two halves of blocking, for callers that check a condition between. */
void vcpu_set_blocked(struct vcpu *v);
void vcpu_cancel_block(struct vcpu *v);
/* Take a paused, stopped vCPU off its run queue for good. */
void sched_remove_vcpu(struct vcpu *v);
void vcpu_yield(void);
void vcpu_pause(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);
/* Wait until v is off every CPU (v must not be current). */
void vcpu_sleep_sync(struct vcpu *v);
/*
 * Whether v's context is on a CPU, or a CPU has picked v to run: read
 * under v's run-queue lock, so once v is paused a false answer stays false.
 */
bool vcpu_is_running(struct vcpu *v);
/* Restrict v to mask's CPUs that can run guests; -EINVAL if none can. */
int vcpu_set_affinity(struct vcpu *v, const cpumask_t *mask);
bool vcpu_runnable(const struct vcpu *v);
/*
 * Whether v is blocked and off its CPU, read under its run-queue lock,
 * with its nr_wakeups at that moment in *wakeups.
 */
bool vcpu_blocked_off_cpu(struct vcpu *v, unsigned long *wakeups);
/* Where a new vCPU starts (called by the arch's first switch-in). */
__noreturn void vcpu_first_run(void);
/* The idle loop of every CPU. */
__noreturn void idle_loop(void);

/* Arch: free what the vendor code attached to a vCPU or domain. */
void arch_vcpu_destroy(struct vcpu *v);
void arch_domain_destroy(struct domain *d);
/* Arch: log a vCPU's registers (domain_crash). */
void arch_vcpu_show_state(struct vcpu *v);
/*
 * Arch, for guest vCPUs (v->hvm set). Raise v's event upcall: it is woken
 * if it sleeps, made to exit if it runs on another CPU, and the vector is
 * delivered at its next entry that the guest's interrupt flag allows.
 */
void arch_vcpu_raise_upcall(struct vcpu *v);
/* Block v, the current vCPU, until an upcall is pending (HLT, SCHEDOP_block) */
void arch_vcpu_halt(struct vcpu *v);
/* Whether the guest takes interrupts now (x86: its RFLAGS.IF). */
bool arch_vcpu_irqs_enabled(const struct vcpu *v);
/* The wait queue v sleeps on while brought down (VCPUOP_down). */
struct waitqueue_head *arch_vcpu_down_wq(struct vcpu *v);
/* Guest console: bytes from d, printed a line at a time as "(dN) ..." */
void domain_console_write(struct domain *d, const char *buf, size_t len);

/* Arch: prepare v's stack so that its first switch-in runs entry. */
int arch_vcpu_stack_init(struct vcpu *v);
/* Arch: switch from prev's stack to next's (interrupts off). */
void context_switch(struct vcpu *prev, struct vcpu *next);

#endif
