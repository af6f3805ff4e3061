/*
 * Ticket spinlocks, recursive spinlocks, rwlocks, the per-CPU atomic depth
 * and the lock-rank checker.
 */
#include <xen/lib.h>
#include <xen/percpu.h>
#include <xen/spinlock.h>

#define MAX_HELD_LOCKS 16

struct held_lock {
	const void *lock;
	const struct lock_debug *debug;
	unsigned long key;
};

/*
 * Owned by its CPU; only that CPU reads or writes it. Interrupt handlers
 * take locks too, so the held list changes with interrupts off: a handler
 * arriving in the middle of a change would otherwise write over an entry
 * being moved (it leaves the list as it found it, but only if it finds it
 * whole).
 */
struct lock_state {
	unsigned int depth;
	unsigned int nr_held;
	/*
	 * held[irq_base..] were taken by the interrupt handler running now
	 * (0 outside one): the rank order binds locks taken in one context.
	 * The interrupted code's locks wait until the handler is done, and
	 * a lock taken in a handler is taken with interrupts off everywhere.
	 */
	unsigned int irq_base;
	bool expect_violation;
	unsigned int violations;
	struct held_lock held[MAX_HELD_LOCKS];
};

static DEFINE_PER_CPU(struct lock_state, lock_state);

void spin_lock_init(spinlock_t *l, const char *name, unsigned int rank)
{
	*l = (spinlock_t)SPIN_LOCK_UNLOCKED(name, rank);
}

void spin_lock_init_ordered(spinlock_t *l, const char *name, unsigned int rank)
{
	spin_lock_init(l, name, rank);
	l->debug.ordered = true;
}

void rwlock_init(rwlock_t *l, const char *name, unsigned int rank)
{
	*l = (rwlock_t)RW_LOCK_UNLOCKED(name, rank);
}

void preempt_disable(void)
{
	this_cpu(lock_state).depth++;
	barrier();
}

void preempt_enable(void)
{
	barrier();
	ASSERT(this_cpu(lock_state).depth > 0);
	this_cpu(lock_state).depth--;
}

unsigned int atomic_depth(void)
{
	return this_cpu(lock_state).depth;
}

bool in_atomic(void)
{
	return atomic_depth() != 0 || !local_irq_is_enabled();
}

void lock_rank_expect_violation(bool expect)
{
	this_cpu(lock_state).expect_violation = expect;
}

unsigned int lock_rank_violations_seen(void)
{
	return this_cpu(lock_state).violations;
}

#ifndef NDEBUG
static void check_rank_key(const struct lock_debug *taking, unsigned long key)
{
	struct lock_state *ls = &this_cpu(lock_state);
	unsigned int i;

	for (i = ls->irq_base; i < ls->nr_held; i++) {
		const struct lock_debug *held = ls->held[i].debug;

		if (taking->rank > held->rank)
			continue;
		if (taking->rank == held->rank && taking->ordered &&
		    held->ordered && key > ls->held[i].key)
			continue;
		if (ls->expect_violation) {
			ls->violations++;
			return;
		}
		panic("lock order violation on CPU%u: taking %s (rank %u) "
		      "while holding %s (rank %u)\n",
		      smp_processor_id(), taking->name, taking->rank,
		      held->name, held->rank);
	}
}

static void check_rank(const struct lock_debug *taking)
{
	check_rank_key(taking, 0);
}

static void note_acquired_key(const void *lock, const struct lock_debug *debug,
			      unsigned long key)
{
	unsigned long flags = local_irq_save();
	struct lock_state *ls = &this_cpu(lock_state);

	if (ls->nr_held == MAX_HELD_LOCKS)
		panic("CPU%u holds more than %u locks (taking %s)\n",
		      smp_processor_id(), MAX_HELD_LOCKS, debug->name);
	ls->held[ls->nr_held].lock = lock;
	ls->held[ls->nr_held].debug = debug;
	ls->held[ls->nr_held].key = key;
	ls->nr_held++;
	local_irq_restore(flags);
}

static void note_acquired(const void *lock, const struct lock_debug *debug)
{
	note_acquired_key(lock, debug, 0);
}

static void note_released(const void *lock)
{
	unsigned long flags = local_irq_save();
	struct lock_state *ls = &this_cpu(lock_state);
	unsigned int i;

	/* Locks may be released out of order: find this one, close the gap. */
	for (i = ls->nr_held; i-- > 0;) {
		if (ls->held[i].lock != lock)
			continue;
		ls->nr_held--;
		for (; i < ls->nr_held; i++)
			ls->held[i] = ls->held[i + 1];
		local_irq_restore(flags);
		return;
	}
	panic("CPU%u releases a lock it does not hold\n", smp_processor_id());
}
#else
static void check_rank_key(const struct lock_debug *taking, unsigned long key)
{
}

static void check_rank(const struct lock_debug *taking)
{
}

static void note_acquired_key(const void *lock, const struct lock_debug *debug,
			      unsigned long key)
{
}

static void note_acquired(const void *lock, const struct lock_debug *debug)
{
}

static void note_released(const void *lock)
{
}
#endif

/* Called before spinning: rank check and atomic depth up. */
static void lock_enter(const void *lock, const struct lock_debug *debug)
{
	check_rank(debug);
	preempt_disable();
	note_acquired(lock, debug);
}

static void lock_exit(const void *lock)
{
	note_released(lock);
	preempt_enable();
}

unsigned int lock_irq_enter(void)
{
	struct lock_state *ls = &this_cpu(lock_state);
	unsigned int old = ls->irq_base;

	ls->irq_base = ls->nr_held;
	return old;
}

void lock_irq_exit(unsigned int old)
{
	this_cpu(lock_state).irq_base = old;
}

void lock_debug_acquire(const void *lock, const struct lock_debug *debug,
			unsigned long key)
{
	check_rank_key(debug, key);
	preempt_disable();
	note_acquired_key(lock, debug, key);
}

void lock_debug_release(const void *lock)
{
	lock_exit(lock);
}

static void ticket_acquire(spinlock_t *l)
{
	u16 me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me)
		arch_lock_wait();
}

static void ticket_release(spinlock_t *l)
{
	__atomic_store_n(&l->head, (u16)(l->head + 1), __ATOMIC_RELEASE);
	arch_lock_released();
}

void spin_lock(spinlock_t *l)
{
	lock_enter(l, &l->debug);
	ticket_acquire(l);
}

void spin_lock_keyed(spinlock_t *l, unsigned long key)
{
	ASSERT(l->debug.ordered);
	lock_debug_acquire(l, &l->debug, key);
	ticket_acquire(l);
}

bool spin_trylock(spinlock_t *l)
{
	u16 head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
	u16 expected = head;

	if (__atomic_load_n(&l->tail, __ATOMIC_RELAXED) != head)
		return false;
	/* A trylock cannot deadlock, but it still orders: check the rank. */
	check_rank(&l->debug);
	if (!__atomic_compare_exchange_n(&l->tail, &expected, (u16)(head + 1),
					 false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return false;
	preempt_disable();
	note_acquired(l, &l->debug);
	return true;
}

void spin_unlock(spinlock_t *l)
{
	ASSERT(spin_is_locked(l));
	ticket_release(l);
	lock_exit(l);
}

bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->head, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->tail, __ATOMIC_RELAXED);
}

void spin_lock_recursive(spinlock_t *l)
{
	u16 me = smp_processor_id();

	if (READ_ONCE(l->recurse_cpu) != me) {
		spin_lock(l);
		WRITE_ONCE(l->recurse_cpu, me);
	}
	if (l->recurse_cnt == 0xffff)
		panic("recursive lock %s nested too deep\n", l->debug.name);
	l->recurse_cnt++;
}

void spin_unlock_recursive(spinlock_t *l)
{
	ASSERT(l->recurse_cpu == smp_processor_id() && l->recurse_cnt > 0);
	if (--l->recurse_cnt == 0) {
		WRITE_ONCE(l->recurse_cpu, SPINLOCK_NO_CPU);
		spin_unlock(l);
	}
}

unsigned long spin_lock_irqsave_flags(spinlock_t *l)
{
	unsigned long flags = local_irq_save();

	spin_lock(l);
	return flags;
}

void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}

void spin_lock_irq(spinlock_t *l)
{
	local_irq_disable();
	spin_lock(l);
}

void spin_unlock_irq(spinlock_t *l)
{
	spin_unlock(l);
	local_irq_enable();
}

#define RW_WRITER 0x80000000u
#define RW_WRITER_WAITING 0x40000000u
#define RW_READERS 0x3fffffffu

void read_lock(rwlock_t *l)
{
	lock_enter(l, &l->debug);
	for (;;) {
		u32 v = __atomic_load_n(&l->cnt, __ATOMIC_RELAXED);

		/* Waiting writers go first, so readers cannot starve them. */
		if (!(v & (RW_WRITER | RW_WRITER_WAITING)) &&
		    __atomic_compare_exchange_n(&l->cnt, &v, v + 1, true,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		arch_lock_wait();
	}
}

void read_unlock(rwlock_t *l)
{
	ASSERT(l->cnt & RW_READERS);
	__atomic_fetch_sub(&l->cnt, 1, __ATOMIC_RELEASE);
	arch_lock_released();
	lock_exit(l);
}

void write_lock(rwlock_t *l)
{
	lock_enter(l, &l->debug);
	for (;;) {
		u32 v = __atomic_load_n(&l->cnt, __ATOMIC_RELAXED);

		if (v == 0 || v == RW_WRITER_WAITING) {
			if (__atomic_compare_exchange_n(&l->cnt, &v, RW_WRITER,
							true, __ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return;
		} else if (!(v & RW_WRITER_WAITING)) {
			__atomic_fetch_or(&l->cnt, RW_WRITER_WAITING,
					  __ATOMIC_RELAXED);
		}
		arch_lock_wait();
	}
}

bool write_trylock(rwlock_t *l)
{
	u32 v = 0;

	check_rank(&l->debug);
	if (!__atomic_compare_exchange_n(&l->cnt, &v, RW_WRITER, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	preempt_disable();
	note_acquired(l, &l->debug);
	return true;
}

void write_unlock(rwlock_t *l)
{
	ASSERT(l->cnt & RW_WRITER);
	/* Keep a waiting-writer flag another CPU may have set meanwhile. */
	__atomic_fetch_and(&l->cnt, ~RW_WRITER, __ATOMIC_RELEASE);
	arch_lock_released();
	lock_exit(l);
}
