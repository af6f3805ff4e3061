/*
 * The p2m's locks: one exclusive, recursive lock per 2 MiB of gfn space,
 * and a global lock that, held for writing, excludes every range holder.
 *
 * A range holder also counts itself as a reader of the global lock on its
 * own CPU's cache line, so holders of disjoint ranges touch no common
 * memory. A writer raises global_writing, then waits for every CPU's
 * reader count to drain. Taking a range is one locked operation (the
 * word's compare-exchange); releasing it is two stores. Both kinds make
 * the CPU atomic: nobody sleeps holding a p2m lock (fix-ups that sleep
 * run with the lock dropped).
 *
 * Operations on more than 2 MiB take the global lock for writing instead
 * of many range locks.
 *
 * The range lock words are a table of rows, one cache line (LINE_WORDS
 * words) each, a power of two of them, stored transposed: range r's word
 * is column r / rows of row r % rows. Neighbouring ranges are in
 * different rows, so CPUs on them share no line; the ranges that share a
 * line are rows apart (1/16 of the gfn space). Still 4 bytes per 2 MiB.
 *
 * The table covers the domain's RAM, not its whole address width: the
 * ranges above it (grant frames a kernel maps high, foreign mappings) all
 * share one more word, sparse_range_lock. Its key is nr_ranges, after
 * every table word, so taking ranges in gfn order stays deadlock-free;
 * two sparse ranges are one recursive word.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <xen/sched.h>
#include <asm/system.h>
#include "backend.h"

#define RANGE_SHIFT PAGE_ORDER_2M
#define OWNER_MASK 0xffffu
#define DEPTH_ONE 0x10000u
#define LINE_WORDS (64 / sizeof(u32))
/* At least two rows: neighbours always land in different rows. */
#define MIN_ROWS_SHIFT 1

/* log2 of the rows of range lock words that cover dense_gfns. */
static unsigned int rows_shift(unsigned long dense_gfns)
{
	unsigned long ranges = (dense_gfns + (1UL << RANGE_SHIFT) - 1) >>
			       RANGE_SHIFT;
	unsigned int shift = MIN_ROWS_SHIFT;

	while ((LINE_WORDS << shift) < ranges)
		shift++;
	return shift;
}

/*
 * Rounded up to whole rows, a power of two of them: the allocation is a
 * power of two of pages anyway, so this costs no memory from 4 KiB up.
 */
unsigned long p2m_lock_bytes(unsigned long dense_gfns)
{
	return (LINE_WORDS << rows_shift(dense_gfns)) * sizeof(u32);
}

void p2m_lock_words_init(struct p2m_domain *p2m, unsigned long dense_gfns)
{
	p2m->nr_ranges = (dense_gfns + (1UL << RANGE_SHIFT) - 1) >> RANGE_SHIFT;
	p2m->range_rows_shift = rows_shift(dense_gfns);
}

u32 *p2m_range_word(struct p2m_domain *p2m, unsigned long r)
{
	unsigned long rows = 1UL << p2m->range_rows_shift;

	if (r >= p2m->nr_ranges)
		return &p2m->sparse_range_lock;
	return &p2m->range_locks[(r & (rows - 1)) * LINE_WORDS +
				 (r >> p2m->range_rows_shift)];
}

bool p2m_global_locked_by_me(const struct p2m_domain *p2m)
{
	return READ_ONCE(p2m->global_writer_cpu) == smp_processor_id();
}

/*
 * Only this CPU writes its reader count, so it moves by stores, not
 * locked read-modify-writes.
 */
static unsigned int *my_readers(struct p2m_domain *p2m)
{
	return &p2m->readers[smp_processor_id()].n;
}

/* Take word l for this CPU (me), spinning while another CPU holds it. */
static void take_word(u32 *l, u32 me)
{
	for (;;) {
		u32 free = 0;

		if (__atomic_compare_exchange_n(l, &free, me | DEPTH_ONE, true,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			cpu_relax();
	}
}

void p2m_global_lock(struct p2m_domain *p2m)
{
	unsigned int cpu, me = smp_processor_id();

	if (p2m_global_locked_by_me(p2m)) {
		p2m->global_write_depth++;
		return;
	}
	if (p2m->readers[me].n)
		panic("p2m global lock: CPU%u holds a range lock of the p2m "
		      "(cannot upgrade)\n",
		      me);
	spin_lock(&p2m->global_writer);
	__atomic_store_n(&p2m->global_writing, true, __ATOMIC_SEQ_CST);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		while (__atomic_load_n(&p2m->readers[cpu].n, __ATOMIC_ACQUIRE))
			cpu_relax();
	WRITE_ONCE(p2m->global_writer_cpu, me);
	p2m->global_write_depth = 1;
}

void p2m_global_unlock(struct p2m_domain *p2m)
{
	ASSERT(p2m_global_locked_by_me(p2m) && p2m->global_write_depth);
	if (--p2m->global_write_depth)
		return;
	WRITE_ONCE(p2m->global_writer_cpu, SPINLOCK_NO_CPU);
	__atomic_store_n(&p2m->global_writing, false, __ATOMIC_RELEASE);
	spin_unlock(&p2m->global_writer);
}

/* gfn's range; every sparse range is nr_ranges, the word they share. */
static unsigned long range_of(struct p2m_domain *p2m, gfn_t gfn)
{
	BUG_ON(gfn_x(gfn) >= p2m->max_gfn);
	return min(gfn_x(gfn) >> RANGE_SHIFT, p2m->nr_ranges);
}

unsigned long p2m_lock_order(const struct p2m_domain *p2m)
{
	bool control = p2m->domain && is_control_domain(p2m->domain);

	return ((unsigned long)control << 31) | p2m->lock_id;
}

bool p2m_locks_before(const struct p2m_domain *a, const struct p2m_domain *b)
{
	return p2m_lock_order(a) < p2m_lock_order(b);
}

static unsigned long range_key(const struct p2m_domain *p2m, unsigned long r)
{
	return (p2m_lock_order(p2m) << 32) | r;
}

/*
 * Take word l for this CPU (me) as a reader of the global lock. Already a
 * reader (holding another range of this p2m): no writer gets in before
 * this CPU lets go, and stepping back for one that waits for it would
 * deadlock. Otherwise the count must be visible before global_writing is
 * read, as a writer reads the counts after raising global_writing. The
 * word's compare-exchange, between the two, is a full barrier on x86:
 * either the writer sees the count or this CPU sees the flag and steps
 * back. The count itself therefore moves by a plain store.
 */
static void take_word_reading(struct p2m_domain *p2m, u32 *l, u32 me)
{
	unsigned int *n = my_readers(p2m);
	unsigned int nested = __atomic_load_n(n, __ATOMIC_RELAXED);

	if (nested) {
		__atomic_store_n(n, nested + 1, __ATOMIC_RELAXED);
		take_word(l, me);
		return;
	}
	for (;;) {
		__atomic_store_n(n, 1, __ATOMIC_RELAXED);
		take_word(l, me);
		smp_mb__after_atomic();
		if (!__atomic_load_n(&p2m->global_writing, __ATOMIC_ACQUIRE))
			return;
		/* A writer is in or coming: step back until it is done. */
		__atomic_store_n(l, 0, __ATOMIC_RELEASE);
		__atomic_store_n(n, 0, __ATOMIC_RELEASE);
		while (__atomic_load_n(&p2m->global_writing, __ATOMIC_ACQUIRE))
			cpu_relax();
	}
}

/*
 * After the range's word: a writer that sees the count drop sees what
 * this CPU wrote under the lock. A release store is enough.
 */
static void unread_global(struct p2m_domain *p2m)
{
	unsigned int *n = my_readers(p2m);

	__atomic_store_n(n, __atomic_load_n(n, __ATOMIC_RELAXED) - 1,
			 __ATOMIC_RELEASE);
}

static u32 *lock_one_range(struct p2m_domain *p2m, unsigned long r)
{
	u32 *l = p2m_range_word(p2m, r);
	u32 me = smp_processor_id() + 1;
	u32 v = __atomic_load_n(l, __ATOMIC_RELAXED);

	if ((v & OWNER_MASK) == me) {
		if ((v >> 16) == 0xffff)
			panic("p2m range lock nested too deep\n");
		/* Only the owner writes a held lock word. */
		__atomic_store_n(l, v + DEPTH_ONE, __ATOMIC_RELAXED);
		return l;
	}
	lock_debug_acquire(l, &p2m->range_debug, range_key(p2m, r));
	take_word_reading(p2m, l, me);
	return l;
}

u32 *p2m_lock_gfn(struct p2m_domain *p2m, gfn_t gfn)
{
	/* The global writer already excludes everyone. */
	if (p2m_global_locked_by_me(p2m))
		return NULL;
	return lock_one_range(p2m, range_of(p2m, gfn));
}

void p2m_unlock_word(struct p2m_domain *p2m, u32 *l)
{
	u32 v;

	if (!l)
		return;
	v = __atomic_load_n(l, __ATOMIC_RELAXED);
	ASSERT((v & OWNER_MASK) == smp_processor_id() + 1u && (v >> 16));
	if ((v >> 16) > 1) {
		__atomic_store_n(l, v - DEPTH_ONE, __ATOMIC_RELAXED);
		return;
	}
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
	lock_debug_release(l);
	unread_global(p2m);
}

void p2m_lock_range(struct p2m_domain *p2m, gfn_t gfn, unsigned int order)
{
	if (order > RANGE_SHIFT)
		p2m_global_lock(p2m);
	else
		p2m_lock_gfn(p2m, gfn);
}

void p2m_unlock_range(struct p2m_domain *p2m, gfn_t gfn, unsigned int order)
{
	if (order > RANGE_SHIFT)
		p2m_global_unlock(p2m);
	else if (!p2m_global_locked_by_me(p2m))
		p2m_unlock_word(p2m, p2m_range_word(p2m, range_of(p2m, gfn)));
}

bool p2m_range_locked_by_me(struct p2m_domain *p2m, gfn_t gfn)
{
	if (p2m_global_locked_by_me(p2m))
		return true;
	return gfn_x(gfn) < p2m->max_gfn &&
	       (READ_ONCE(*p2m_range_word(p2m, range_of(p2m, gfn))) &
		OWNER_MASK) == smp_processor_id() + 1u;
}
