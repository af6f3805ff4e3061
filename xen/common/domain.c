/*
 * Domain lifecycle: create, pause, shut down (or crash), and destroy once
 * none of its vCPUs runs any more and nobody holds a domain_get()
 * reference. Destruction happens in the reaper (domain_reap, run by the
 * reaper vCPU, reaper.c), never on the dying domain's own stacks; a domain
 * whose build failed is destroyed at once by its builder.
 */
#include <xen/autoexit.h>
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/vm_event.h>
#include <asm/stack.h>

/* Protects domain_list, dying_list and each domain's refcnt and reaping. */
static DEFINE_SPINLOCK(domlist_lock, LR_DOMLIST);
static struct domain *domain_list, *dying_list;
static unsigned int nr_domains;

/* The domain of that id, or NULL; the caller holds domlist_lock. */
static struct domain *domain_find_locked(domid_t id)
{
	struct domain *d;

	for (d = domain_list; d && d->domain_id != id; d = d->next_in_list)
		;
	return d;
}

/*
 * Xen's choice of an id: the first one after the last handed out that no
 * domain has, wrapping from DOMID_SELF - 1 to 1, so that a destroyed
 * domain's id is not given to the next domain at once (a tool still
 * naming the old one would reach the new one). With no domain at all the
 * count starts again at 1. DOMID_SELF if no id is left. The caller holds
 * domlist_lock, which also covers last_id.
 */
static domid_t next_free_id(void)
{
	static domid_t last_id;

	if (!domain_list)
		last_id = 0;
	for (unsigned int n = 1; n < DOMID_SELF; n++) {
		domid_t id = last_id % (DOMID_SELF - 1) + 1;

		last_id = id;
		if (!domain_find_locked(id))
			return id;
	}
	return DOMID_SELF;
}

struct domain *domain_create(domid_t id, const char *name,
			     unsigned int nr_vcpus, unsigned long max_pages,
			     int *err)
{
	struct domain *d;

	*err = -EINVAL;
	if (!nr_vcpus || nr_vcpus > MAX_VCPUS || id >= DOMID_IDLE)
		return NULL;
	*err = -ENOMEM;
	d = alloc_xenheap_page();
	if (!d)
		return NULL;
	BUILD_BUG_ON(sizeof(*d) > PAGE_SIZE);
	memset(d, 0, sizeof(*d));
	domain_mem_init(d, id, max_pages);
	strlcpy(d->name, name, sizeof(d->name));
	d->max_vcpus = nr_vcpus;
	d->recorded_shutdown_code = -1;
	spin_lock_init(&d->shutdown_lock, "shutdown_lock", LR_DOMAIN_SHUTDOWN);
	spin_lock_init(&d->console_lock, "domain_console", LR_DOMAIN_CONSOLE);
	spin_lock_init(&d->vm_event_ctl_lock, "vm_event_ctl", LR_VM_EVENT_CTL);
	spin_lock_init(&d->paging_lock, "paging_ring", LR_VM_EVENT);
	init_waitqueue_head(&d->paging_wq);
	*err = evtchn_domain_init(d);
	if (*err) {
		free_xenheap_page(d);
		return NULL;
	}

	/* The id is chosen (or checked) and taken in one go. */
	spin_lock(&domlist_lock);
	if (!id)
		id = next_free_id();
	if (id >= DOMID_SELF)
		*err = -ENOSPC;
	else if (domain_find_locked(id))
		*err = -EEXIST;
	if (!*err) {
		d->domain_id = id;
		d->next_in_list = domain_list;
		domain_list = d;
		nr_domains++;
	}
	spin_unlock(&domlist_lock);
	if (*err) {
		evtchn_domain_destroy(d);
		free_xenheap_page(d);
		return NULL;
	}
	return d;
}

int vcpu_create_pinned(struct domain *d, unsigned int id,
		       void (*entry)(struct vcpu *v), unsigned int cpu)
{
	struct vcpu *v;

	if (id >= d->max_vcpus || d->vcpu[id] ||
	    !cpumask_test_cpu(cpu, &cpu_online_map))
		return -EINVAL;
	v = alloc_xenheap_page();
	if (!v)
		return -ENOMEM;
	BUILD_BUG_ON(sizeof(*v) > PAGE_SIZE);
	memset(v, 0, sizeof(*v));
	v->stack = stack_alloc_vcpu(d->domain_id, id);
	if (!v->stack) {
		free_xenheap_page(v);
		return -ENOMEM;
	}
	v->vcpu_id = id;
	v->domain = d;
	v->entry = entry;
	v->state = VCPU_RUNNABLE;
	v->pause_count = 1; /* created paused: domain_unpause starts it */
	v->processor = cpu;
	cpumask_set_cpu(cpu, &v->affinity);
	arch_vcpu_stack_init(v);
	d->vcpu[id] = v;
	return 0;
}

int vcpu_create(struct domain *d, unsigned int id,
		void (*entry)(struct vcpu *v))
{
	static unsigned int next_cpu;
	unsigned int n, cpu;
	int rc;

	/* Spread vCPUs over the guest CPUs; any of them may run it. */
	n = cpumask_weight(&guest_cpu_map);
	if (!n)
		return -ENODEV;
	n = __atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED) % n;
	for (cpu = cpumask_first(&guest_cpu_map); n--;)
		cpu = cpumask_next(cpu, &guest_cpu_map);
	rc = vcpu_create_pinned(d, id, entry, cpu);
	if (rc)
		return rc;
	cpumask_copy(&d->vcpu[id]->affinity, &guest_cpu_map);
	printk(XENLOG_INFO "d%uv%u: placed on CPU%u\n", d->domain_id, id, cpu);
	return 0;
}

void vcpu_destroy_unstarted(struct vcpu *v)
{
	v->domain->vcpu[v->vcpu_id] = NULL;
	arch_vcpu_destroy(v);
	stack_free(v->stack);
	free_xenheap_page(v);
}

void domain_pause(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			vcpu_pause(d->vcpu[i]);
}

void domain_unpause(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			vcpu_unpause(d->vcpu[i]);
}

const char *domain_shutdown_reason(const struct domain *d)
{
	static const char *const names[] = { "poweroff", "reboot", "suspend",
					     "crash" };

	if (d->hung)
		return "hung";
	if (d->killed)
		return "destroyed";
	return d->shutdown_code < ARRAY_SIZE(names) ? names[d->shutdown_code] :
						      "unknown";
}

/* The set_target references d holds and those held on d go. */
static void drop_targets(struct domain *d)
{
	struct domain *x;

	spin_lock(&domlist_lock);
	if (d->target) {
		d->target->refcnt--;
		d->target = NULL;
	}
	for (x = domain_list; x; x = x->next_in_list)
		if (x->target == d) {
			x->target = NULL;
			d->refcnt--;
		}
	spin_unlock(&domlist_lock);
}

/* Hand d to the reaper (once). */
static void queue_for_reaper(struct domain *d)
{
	spin_lock(&domlist_lock);
	if (!d->destroyed_pending) {
		d->next_dying = dying_list;
		dying_list = d;
		d->destroyed_pending = true;
	}
	spin_unlock(&domlist_lock);
	reaper_kick();
}

/* Stop every vCPU; one may be the caller, which stops on its way out. */
static void stop_vcpus(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = READ_ONCE(d->vcpu[i]);

		if (!v)
			continue;
		__atomic_fetch_add(&v->pause_count, 1, __ATOMIC_SEQ_CST);
		if (v != current && v->running)
			send_event_check(v->processor);
	}
}

/*
 * A code the domain recorded (SCHEDOP_shutdown_code) replaces the reason,
 * unless the hypervisor is crashing the domain: then why (non-NULL) says
 * what for, and is kept in crash_reason if this shutdown is the first.
 * kill: XEN_DOMCTL_destroydomain, which also ends a domain that was kept
 * after its shutdown (kept_after_shutdown) and stops one still running.
 */
static void __domain_shutdown(struct domain *d, unsigned int reason,
			      const char *why, bool kill)
{
	bool first;

	spin_lock(&d->shutdown_lock);
	first = !d->is_shutting_down;
	if ((kill && d->is_dying) || (!kill && !first)) {
		spin_unlock(&d->shutdown_lock);
		return;
	}
	if (kill)
		d->is_dying = true;
	if (first) {
		d->is_shutting_down = true;
		d->killed = kill;
		if (why)
			strlcpy(d->crash_reason, why, sizeof(d->crash_reason));
		else if (d->recorded_shutdown_code >= 0 && !kill)
			reason = d->recorded_shutdown_code;
		d->shutdown_code = reason;
	}
	spin_unlock(&d->shutdown_lock);

	if (kill)
		printk("d%u (%s): destroyed\n", d->domain_id, d->name);
	else
		printk("d%u (%s): shutdown: %s\n", d->domain_id, d->name,
		       domain_shutdown_reason(d));
	if (first) {
		/* The flag before the vCPUs: see start_new_vcpu(). */
		smp_mb();
		stop_vcpus(d);
		/* vCPUs waiting for paged gfns give up (paging.c). */
		paging_wake(d);
		drop_targets(d);
		control_domain_note_exc();
	}
	if (kill || !d->kept_after_shutdown)
		queue_for_reaper(d);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	__domain_shutdown(d, reason, NULL, false);
}

void domain_kill(struct domain *d)
{
	__domain_shutdown(d, SHUTDOWN_crash, NULL, true);
}

void __domain_crash(struct domain *d, const char *file, int line,
		    const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printk(XENLOG_ERR "domain_crash called from %s:%d: d%u (%s): %s\n",
	       file, line, d->domain_id, d->name, why);
	if (current->domain == d)
		arch_vcpu_show_state(current);
	__domain_shutdown(d, SHUTDOWN_crash, why, false);
}

void domain_shutdown_hung(struct domain *d)
{
	printk(XENLOG_ERR "d%u (%s): hung: every vCPU halted with interrupts "
			  "off (or down, or waiting for a pager), no timer or "
			  "event pending, no other domain left to wake it\n",
	       d->domain_id, d->name);
	d->hung = true;
	__domain_shutdown(d, SHUTDOWN_crash, "hung", false);
}

struct domain *domain_find(domid_t id)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	d = domain_find_locked(id);
	spin_unlock(&domlist_lock);
	return d;
}

struct domain *domain_find_name(const char *name)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	for (d = domain_list; d; d = d->next_in_list)
		if (!d->is_dying && !strcmp(d->name, name))
			break;
	spin_unlock(&domlist_lock);
	return d;
}

struct domain *domain_get(domid_t id)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	for (d = domain_list; d && d->domain_id != id; d = d->next_in_list)
		;
	if (d && d->reaping)
		d = NULL;
	if (d)
		d->refcnt++;
	spin_unlock(&domlist_lock);
	return d;
}

struct domain *domain_get_from(domid_t from)
{
	struct domain *d, *best = NULL;

	spin_lock(&domlist_lock);
	for (d = domain_list; d; d = d->next_in_list)
		if (d->domain_id >= from && !d->reaping &&
		    (!best || d->domain_id < best->domain_id))
			best = d;
	if (best)
		best->refcnt++;
	spin_unlock(&domlist_lock);
	return best;
}

int domain_set_target(struct domain *d, struct domain *t)
{
	int rc = 0;

	spin_lock(&domlist_lock);
	if (d == t || d->is_shutting_down || t->is_shutting_down)
		rc = -EINVAL;
	else if (d->target)
		rc = -EEXIST;
	else {
		d->target = t;
		t->refcnt++;
	}
	spin_unlock(&domlist_lock);
	return rc;
}

void domain_put(struct domain *d)
{
	bool reap;

	spin_lock(&domlist_lock);
	reap = !--d->refcnt && d->destroyed_pending;
	spin_unlock(&domlist_lock);
	/* The reaper waited for us. */
	if (reap)
		reaper_kick();
}

unsigned int domain_count(void)
{
	return READ_ONCE(nr_domains);
}

struct domain *domain_next(struct domain *d)
{
	struct domain *next;

	spin_lock(&domlist_lock);
	next = d ? d->next_in_list : domain_list;
	spin_unlock(&domlist_lock);
	return next;
}

static void domain_destroy(struct domain *d)
{
	struct domain **pp;
	unsigned int i;

	control_domain_gone(d);
	console_input_domain_gone(d);
	/* Off every CPU first: the p2m teardown looks at the vCPUs. */
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		if (!v)
			continue;
		vcpu_sleep_sync(v);
		sched_remove_vcpu(v);
		/* Their functions use v and d: none may still be running. */
		kill_timer(&v->singleshot);
		kill_timer(&v->poll_timer);
		kill_timer(&v->pvtime.periodic);
	}
	/* Paging rings it has or serves, while the ports still exist. */
	vm_event_domain_gone(d);
	/* Before the vCPUs go: a peer's send reaches them until then. */
	evtchn_domain_destroy(d);
	/* The vCPUs are stopped: nothing reads the frames any more. */
	gnttab_domain_destroy(d);
	arch_domain_destroy(d);
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		if (!v)
			continue;
		d->vcpu[i] = NULL;
		arch_vcpu_destroy(v);
		stack_free(v->stack);
		free_xenheap_page(v);
	}
	domain_relinquish_pages(d);
	if (d->nr_continuations)
		printk("d%u (%s): %lu hypercall continuations\n", d->domain_id,
		       d->name, d->nr_continuations);
	if (d->nr_unbacked)
		printk("d%u (%s): %lu accesses where nothing is (read ~0, "
		       "writes dropped)\n",
		       d->domain_id, d->name, d->nr_unbacked);
	autoexit_domain_gone(d);
	control_domain_note_exc();

	spin_lock(&domlist_lock);
	for (pp = &domain_list; *pp != d; pp = &(*pp)->next_in_list)
		;
	*pp = d->next_in_list;
	nr_domains--;
	spin_unlock(&domlist_lock);
	free_xenheap_page(d);
}

static bool vcpus_stopped(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && vcpu_is_running(d->vcpu[i]))
			return false;
	return true;
}

void domain_reap(void)
{
	for (;;) {
		struct domain *d, **pp;

		spin_lock(&domlist_lock);
		for (pp = &dying_list;
		     (d = *pp) && (d->refcnt || !vcpus_stopped(d));
		     pp = &d->next_dying)
			;
		if (d) {
			*pp = d->next_dying;
			d->reaping = true;
		}
		spin_unlock(&domlist_lock);
		/*
		 * Those left are looked at again when the reaper is kicked:
		 * by a domain_put() of the last reference, or by the
		 * scheduler once a vCPU of a dying domain left its CPU.
		 */
		if (!d)
			return;
		domain_destroy(d);
	}
}

void domain_destroy_unbuilt(struct domain *d)
{
	struct domain **pp;
	unsigned int refs;

	/* From here no shutdown (a remote one) queues it for the reaper. */
	spin_lock(&d->shutdown_lock);
	d->is_shutting_down = true;
	spin_unlock(&d->shutdown_lock);

	spin_lock(&domlist_lock);
	/* One came before: the builder's reference kept the reaper off. */
	if (d->destroyed_pending) {
		for (pp = &dying_list; *pp != d; pp = &(*pp)->next_dying)
			;
		*pp = d->next_dying;
	}
	d->reaping = true; /* domain_get() fails from now */
	d->refcnt--;
	spin_unlock(&domlist_lock);

	/* Hypercalls of running domains that hold it let go soon. */
	for (;;) {
		spin_lock(&domlist_lock);
		refs = d->refcnt;
		spin_unlock(&domlist_lock);
		if (!refs)
			break;
		cpu_relax();
	}
	domain_destroy(d);
}
