/*
 * Ticket spinlocks, recursive spinlocks and rwlocks.
 *
 * Every lock carries a rank from <xen/lock-ranks.h> and a name; debug builds
 * check the rank order on each acquisition. Holding any lock makes the CPU
 * atomic (in_atomic()), which is what wait queues check before sleeping.
 */
#ifndef XEN_SPINLOCK_H
#define XEN_SPINLOCK_H

#include <xen/lock-ranks.h>
#include <xen/types.h>
#include <asm/system.h>

/* Bookkeeping shared by all lock kinds. */
struct lock_debug {
	const char *name;
	u16 rank;
	/*
	 * Locks of one rank that may be held together, taken in increasing
	 * key order (range locks: by p2m, then gfn).
	 */
	bool ordered;
};

typedef struct spinlock {
	/* Tickets: a CPU takes tail and waits until head reaches it. */
	u16 head;
	u16 tail;
	/* Owner and depth for the recursive forms; NO_CPU when unowned. */
	u16 recurse_cpu;
	u16 recurse_cnt;
	struct lock_debug debug;
} spinlock_t;

typedef struct rwlock {
	/* Bit 31: writer holds it; bit 30: writer waiting; low bits: readers */
	u32 cnt;
	struct lock_debug debug;
} rwlock_t;

#define SPINLOCK_NO_CPU 0xffffu

#define SPIN_LOCK_UNLOCKED(nm, rk)                   \
	{                                            \
		.recurse_cpu = SPINLOCK_NO_CPU,      \
		.debug = { .name = nm, .rank = rk }, \
	}
#define DEFINE_SPINLOCK(l, rk) spinlock_t l = SPIN_LOCK_UNLOCKED(#l, rk)
#define RW_LOCK_UNLOCKED(nm, rk)                     \
	{                                            \
		.debug = { .name = nm, .rank = rk }, \
	}
#define DEFINE_RWLOCK(l, rk) rwlock_t l = RW_LOCK_UNLOCKED(#l, rk)

void spin_lock_init(spinlock_t *l, const char *name, unsigned int rank);
void rwlock_init(rwlock_t *l, const char *name, unsigned int rank);
/*
 * A lock of an ordered rank: several may be held together when taken
 * with spin_lock_keyed() in increasing key order.
 */
void spin_lock_init_ordered(spinlock_t *l, const char *name, unsigned int rank);

void spin_lock(spinlock_t *l);
void spin_lock_keyed(spinlock_t *l, unsigned long key);
bool spin_trylock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_is_locked(const spinlock_t *l);

void spin_lock_recursive(spinlock_t *l);
void spin_unlock_recursive(spinlock_t *l);

unsigned long spin_lock_irqsave_flags(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
#define spin_lock_irqsave(l, f) ((f) = spin_lock_irqsave_flags(l))
void spin_lock_irq(spinlock_t *l);
void spin_unlock_irq(spinlock_t *l);

void read_lock(rwlock_t *l);
void read_unlock(rwlock_t *l);
void write_lock(rwlock_t *l);
void write_unlock(rwlock_t *l);
bool write_trylock(rwlock_t *l);

/*
 * Atomic depth of this CPU: locks held plus explicit preempt_disable()s.
 * in_atomic() is also true with interrupts off.
 */
void preempt_disable(void);
void preempt_enable(void);
unsigned int atomic_depth(void);
bool in_atomic(void);

/*
 * For lock kinds built elsewhere (the p2m's range and global locks): check
 * the rank (with key for ordered ranks), account the atomic depth and
 * record the lock as held; and the reverse.
 */
void lock_debug_acquire(const void *lock, const struct lock_debug *debug,
			unsigned long key);
void lock_debug_release(const void *lock);

/*
 * Lock-rank checking (debug builds). A self-test that provokes an inversion
 * on purpose brackets it with lock_rank_expect_violation(true/false); while
 * expected, a violation is counted instead of panicking.
 */
void lock_rank_expect_violation(bool expect);
/*
 * Around an interrupt handler (with interrupts off): its locks are ranked
 * among themselves, not against those of the code it interrupted.
 */
unsigned int lock_irq_enter(void);
void lock_irq_exit(unsigned int old);
unsigned int lock_rank_violations_seen(void);

#endif
