/*
 * The p2m: per-domain translation of guest frames (gfn) to machine frames
 * (mfn), each entry with a type and an access right. docs/p2m.md has the
 * types, the legal transitions, the locking rules and the API contract.
 */
#ifndef ASM_P2M_H
#define ASM_P2M_H

#include <xen/compiler.h>
#include <xen/config.h>
#include <xen/frame-num.h>
#include <xen/spinlock.h>
#include <xen/types.h>

struct domain;
struct page_info;

/* Entry types. Stored in 4 software bits of every entry. */
typedef enum {
	p2m_invalid = 0, /* nothing mapped (an empty entry) */
	p2m_ram_rw, /* normal read/write guest RAM */
	p2m_ram_ro, /* read-only guest RAM */
	p2m_ram_logdirty, /* RAM, write-protected to log dirty pages */
	p2m_mmio_direct, /* machine MMIO passed through */
	p2m_map_foreign, /* another domain's page (holds a reference) */
	p2m_populate_on_demand, /* no memory yet: populated on first use */
	p2m_ram_paging_out, /* nominated for eviction; still readable */
	p2m_ram_paged, /* evicted to the pager: no frame */
	p2m_ram_paging_in, /* on its way back from the pager: no frame */
	p2m_ram_shared, /* shared copy-on-write page: read-only */
	p2m_grant_map_rw, /* granted page, writable */
	p2m_grant_map_ro, /* granted page, read-only */
	p2m_nr_types
} p2m_type_t;

/* Access rights: a mask of read, write, execute. */
typedef enum {
	p2m_access_n = 0,
	p2m_access_r = 1,
	p2m_access_w = 2,
	p2m_access_rw = 3,
	p2m_access_x = 4,
	p2m_access_rx = 5,
	p2m_access_wx = 6,
	p2m_access_rwx = 7,
} p2m_access_t;

#define P2M_R 1u
#define P2M_W 2u
#define P2M_X 4u

/*
 * What a lookup may do to the entry it finds (flags). Readers ask for
 * ALLOC, writers (the hypervisor's writes into guest memory, guest write
 * faults) for UNSHARE. A caller that cannot sleep (a foreign mapping, a
 * copy under a lock) adds NOWAIT: the fix-up is started, not waited for,
 * and the lookup fails with -EAGAIN so that the caller retries later.
 */
typedef unsigned int p2m_query_t;
#define P2M_QUERY 0u /* report the state as it is */
#define P2M_ALLOC (1u << 0) /* populate PoD, page in (may sleep) */
#define P2M_UNSHARE (P2M_ALLOC | (1u << 1)) /* and also break sharing */
#define P2M_NOWAIT (1u << 2) /* start a fix-up, never sleep for it */

/* The fix-up an entry's state needs before a lookup may return it. */
enum p2m_fixup {
	P2M_FIXUP_NONE,
	P2M_FIXUP_POD, /* populate-on-demand: give it memory */
	P2M_FIXUP_PAGE_IN, /* paged out (or on its way): bring it back */
	P2M_FIXUP_UNSHARE, /* shared: give it a private copy */
};

/* Entry sizes: 4 KiB, 2 MiB, 1 GiB. */
#define PAGE_ORDER_4K 0
#define PAGE_ORDER_2M 9
#define PAGE_ORDER_1G 18

/* Type properties (mm/p2m/types.c). */
const char *p2m_type_name(p2m_type_t t);
/* The type's entries carry a machine frame. */
bool p2m_type_has_mfn(p2m_type_t t);
/* Rights the type allows at most (before the access right narrows it). */
unsigned int p2m_type_perms(p2m_type_t t);
bool p2m_is_ram(p2m_type_t t);
bool p2m_is_paging(p2m_type_t t);
/* May an entry of type from become type to? (the one transition table) */
bool p2m_transition_ok(p2m_type_t from, p2m_type_t to);
/* Rights an entry of type t with access a grants (read needed for any). */
unsigned int p2m_effective_perms(p2m_type_t t, p2m_access_t a);
/* The fix-up a lookup with q needs for an entry of type t (types.c). */
enum p2m_fixup p2m_fixup_needed(p2m_type_t t, p2m_query_t q);

/*
 * Secondary users of translations. Before a translation is removed or
 * weakened (type or frame change, split, teardown), every notifier is
 * called with the affected gfn range, under the p2m lock covering it, and
 * before any frame it mapped can be freed or reused.
 */
enum p2m_change {
	P2M_CHANGE_ENTRY, /* type, access or frame of entries changed */
	P2M_CHANGE_SPLIT, /* a superpage was split (translation kept) */
	P2M_CHANGE_MERGE, /* entries were rebuilt as a superpage */
	P2M_CHANGE_TEARDOWN, /* the whole table goes */
};

struct p2m_domain;
struct p2m_notifier {
	void (*fn)(struct p2m_notifier *n, struct p2m_domain *p2m, gfn_t first,
		   unsigned long nr, enum p2m_change why);
	struct p2m_notifier *next;
};

/*
 * The fix-ups of ALLOC and UNSHARE lookups (PoD, paging and sharing
 * provide them). fixup() is called with no p2m lock held, and never in
 * atomic context without P2M_NOWAIT in q (the lookup adds it there). With
 * NOWAIT it must not sleep: it starts the work and returns -EAGAIN, or 0
 * if it is done. Otherwise it may sleep, and returns 0 once it changed
 * the entry (the lookup then looks again) or -errno.
 */
struct p2m_fixup_ops {
	int (*fixup)(struct p2m_domain *p2m, gfn_t gfn, enum p2m_fixup kind,
		     p2m_query_t q);
};

struct p2m_backend_ops;

/* Per-CPU reader counts of the global lock, each on its own cache line. */
struct p2m_reader_count {
	unsigned int n;
} __aligned(64);

struct p2m_domain {
	struct domain *domain;
	/* Orders range locks of different p2ms (assigned at p2m_init). */
	unsigned int lock_id;
	const struct p2m_backend_ops *ops;
	/* Root table of the backend's tree. */
	mfn_t root;
	/* gfns at or above this are refused (the guest's address width). */
	unsigned long max_gfn;

	/*
	 * The global lock: held for writing it excludes every range holder
	 * (table-wide work); range holders hold it for reading. Readers
	 * count per CPU, so disjoint ranges share no cache line.
	 */
	spinlock_t global_writer; /* serialises writers; rank P2M_GLOBAL */
	unsigned int global_writer_cpu; /* holder, or SPINLOCK_NO_CPU */
	unsigned int global_write_depth;
	bool global_writing;
	struct p2m_reader_count *readers; /* [NR_CPUS] */

	/*
	 * One lock word per 2 MiB of gfn space: owner CPU + 1 in the low 16
	 * bits, recursion depth in the high 16 (0 when free). Stored as
	 * 1 << range_rows_shift cache lines, transposed so that neighbouring
	 * ranges are on different lines (p2m_range_word(), lock.c). The
	 * table covers the first nr_ranges ranges (the domain's RAM); every
	 * range above them, sparse (grant frames, foreign mappings), shares
	 * sparse_range_lock, which orders after all of the table's words.
	 */
	struct lock_debug range_debug;
	u32 *range_locks;
	unsigned long nr_ranges;
	unsigned int range_rows_shift;
	u32 sparse_range_lock;

	/*
	 * Changed with the global lock held for writing. A notifier belongs
	 * to one p2m. The last one is always the hardware TLB flush.
	 */
	struct p2m_notifier *notifiers;
	struct p2m_notifier hw_tlb_notifier;
	/* Bumped after every notification (secondary-MMU fault retries). */
	unsigned long change_seq;

	const struct p2m_fixup_ops *fixups;
	/* Fix-ups asked for in atomic context and not waited for. */
	unsigned long nr_atomic_fixups;

	/* Table pages; replaceable by tests to inject allocation failures. */
	struct page_info *(*alloc_table)(struct p2m_domain *p2m);
	void (*free_table)(struct p2m_domain *p2m, struct page_info *pg);

	/* Table pages in use (atomic: CPUs on different ranges add them). */
	unsigned long nr_tables;
	/* Flush generation: bumped (atomically) by every hardware flush. */
	unsigned long nr_flushes;
	/*
	 * Set by the HVM code: make CPUs running this p2m's vCPUs drop
	 * translations of generations before nr_flushes, and wait for them.
	 */
	void (*flush_cpus)(struct p2m_domain *p2m);
	/*
	 * The CPUs set the leaves' accessed bits (p2m_init: the format has
	 * one; the HVM code clears it when the CPU does not set it).
	 */
	bool accessed_bits;
};

/*
 * The page-table formats a p2m can be kept in: those the CPUs walk for
 * nested paging (a shadow backend will be chosen here too, per domain).
 */
enum p2m_format { P2M_FORMAT_NPT, P2M_FORMAT_EPT };
const struct p2m_backend_ops *p2m_backend(enum p2m_format format);

/*
 * A p2m that takes gfns below max_gfn, with a range lock of its own for
 * each 2 MiB below dense_gfns (the rest share one): 0 or -errno.
 * p2m_init() is the dense form, dense_gfns = max_gfn.
 */
int p2m_init_sparse(struct p2m_domain *p2m, struct domain *d,
		    const struct p2m_backend_ops *ops, unsigned long max_gfn,
		    unsigned long dense_gfns);
int p2m_init(struct p2m_domain *p2m, struct domain *d,
	     const struct p2m_backend_ops *ops, unsigned long max_gfn);

/* The root table's frame: what the CPU's nested page-table base names. */
static inline mfn_t p2m_root(const struct p2m_domain *p2m)
{
	return p2m->root;
}

/*
 * The hardware flush generation: a vCPU whose TLB reflects an older one
 * must flush before it enters its guest again (see flush_cpus).
 */
static inline unsigned long p2m_flush_generation(const struct p2m_domain *p2m)
{
	return __atomic_load_n(&p2m->nr_flushes, __ATOMIC_SEQ_CST);
}
/* Drop every entry (and foreign reference) and free every table. */
void p2m_teardown(struct p2m_domain *p2m);

/*
 * Map [gfn, gfn + 2^order) to [mfn, ...) with type t and access a. order is
 * 0, 9 or 18; gfn (and mfn, for types with one) aligned to it. Splits
 * superpages as needed (-ENOMEM leaves the table unchanged). Refused with
 * -EINVAL: bad arguments or an illegal type transition for any entry in
 * the range. Takes the locks itself (recursively if the caller holds them).
 */
int p2m_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
		  unsigned int order, p2m_type_t t, p2m_access_t a);
/* Change every entry of type from to type to (global lock, one flush). */
int p2m_change_type_global(struct p2m_domain *p2m, p2m_type_t from,
			   p2m_type_t to);

/*
 * Changes that share one notification (one flush): p2m_set_entry() of
 * entries to a type without a frame (ram_paged, ...; never invalid, which
 * could free a table), notified as one change over the range they span by
 * p2m_batch_flush(). Frames the old entries mapped may be freed only
 * after that. Changes that split or merge superpages are notified at once
 * (they flush, for the batch too).
 */
struct p2m_batch {
	struct p2m_domain *p2m;
	bool pending;
	unsigned long first, last; /* gfns changed and not yet notified */
};
int p2m_set_entry_batched(struct p2m_batch *b, gfn_t gfn, mfn_t mfn,
			  unsigned int order, p2m_type_t t, p2m_access_t a);
void p2m_batch_flush(struct p2m_batch *b);

/* Result of a lookup. */
struct p2m_lookup {
	mfn_t mfn;
	p2m_type_t t;
	p2m_access_t a;
	unsigned int order; /* of the mapping that covers the gfn */
};

/*
 * Look gfn up with q, fixing the entry up first if q asks for it (the
 * range lock is dropped for that and the lookup retried). Always returns
 * holding gfn's range lock; call put_gfn() exactly once afterwards. On
 * success a reference is held on the page (if the frame is RAM) until
 * put_gfn. Errors: -EINVAL (gfn out of range), -ENOENT (no fix-up for the
 * state), -EAGAIN (a fix-up started and not waited for: NOWAIT, or a
 * caller in atomic context), or what the fix-up returned; the lookup then
 * reports p2m_invalid and INVALID_MFN.
 */
int p2m_get_gfn(struct p2m_domain *p2m, gfn_t gfn, p2m_query_t q,
		struct p2m_lookup *res);
mfn_t get_gfn_type_access(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
			  p2m_access_t *a, p2m_query_t q, unsigned int *order);
void put_gfn(struct p2m_domain *p2m, gfn_t gfn);

static inline mfn_t get_gfn(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t)
{
	return get_gfn_type_access(p2m, gfn, t, NULL, P2M_ALLOC, NULL);
}

static inline mfn_t get_gfn_query(struct p2m_domain *p2m, gfn_t gfn,
				  p2m_type_t *t)
{
	return get_gfn_type_access(p2m, gfn, t, NULL, P2M_QUERY, NULL);
}

static inline mfn_t get_gfn_unshare(struct p2m_domain *p2m, gfn_t gfn,
				    p2m_type_t *t)
{
	return get_gfn_type_access(p2m, gfn, t, NULL, P2M_UNSHARE, NULL);
}

/*
 * Two gfns, possibly in two p2ms, both locked in a fixed order (by p2m,
 * then gfn). Fix-ups run with neither lock held; both are looked up again
 * until both are stable. Release with put_two_gfns(). On error (-EINVAL
 * for a gfn out of range, or a fix-up's error) nothing is held.
 */
struct two_gfns {
	struct p2m_domain *p2m[2];
	gfn_t gfn[2];
	struct p2m_lookup res[2];
};
int get_two_gfns(struct p2m_domain *pa, gfn_t ga, p2m_query_t qa,
		 struct p2m_domain *pb, gfn_t gb, p2m_query_t qb,
		 struct two_gfns *out);
void put_two_gfns(struct two_gfns *tg);

/*
 * Memory paging (mm/p2m/paging.c, docs/paging.md), for the paging ops and
 * the vm_event ring. The domain's p2m gets p2m_domain_fixups, whose
 * PAGE_IN fix-up sends the request and puts the vCPU to sleep.
 */
extern const struct p2m_fixup_ops p2m_domain_fixups;
/* populate_evicted's gfns per call (and per flush). */
#define MEM_PAGING_BATCH 64
int p2m_mem_paging_nominate(struct domain *d, unsigned long gfn);
int p2m_mem_paging_evict(struct domain *d, unsigned long gfn);
/* Map pg (d's new page holding the contents) at a paged gfn. */
int p2m_mem_paging_prep(struct domain *d, unsigned long gfn,
			struct page_info *pg);
/*
 * Page out gfns[0..nr) (nr <= MEM_PAGING_BATCH) with one flush: *done
 * says how many were done, the return the error of gfns[*done].
 */
int p2m_mem_paging_populate_evicted(struct domain *d, const u64 *gfns,
				    unsigned int nr, unsigned int *done);
/*
 * gfn's RAM given up (decrease_reservation, a special page mapped over
 * it): 1 if it was paged (now a hole, the pager told to drop its copy),
 * else 0. No lock held: d's own vCPU may sleep for a slot on the ring.
 */
int p2m_mem_paging_drop(struct domain *d, unsigned long gfn);
/* The ring went: requests out are undone (ram_paging_in -> ram_paged). */
void p2m_mem_paging_ring_gone(struct domain *d);

/*
 * The pager's accessed bits (mm/p2m/accessed.c): for gfns [first, first +
 * nr), set bit i of bits (LSB first, (nr + 7) / 8 bytes, zeroed here) if
 * the guest used first + i since the entry was made or last asked, and
 * clear that; anything but present RAM reads 0. A superpage answers for
 * all its gfns, and clearing it clears them all. One flush if anything
 * was cleared. -EOPNOTSUPP: the CPUs do not set accessed bits in this
 * p2m; -EINVAL: the range goes beyond max_gfn.
 */
int p2m_test_clear_accessed(struct p2m_domain *p2m, unsigned long first,
			    unsigned long nr, u8 *bits);

void p2m_register_notifier(struct p2m_domain *p2m, struct p2m_notifier *n);
void p2m_unregister_notifier(struct p2m_domain *p2m, struct p2m_notifier *n);

/* Locks (mm/p2m/lock.c); see the rules in docs/p2m.md. */
void p2m_lock_range(struct p2m_domain *p2m, gfn_t gfn, unsigned int order);
/*
 * Whether a's range locks come before b's in the lock order, so that one
 * CPU may hold a gfn of a while it takes one of b (foreign maps).
 */
bool p2m_locks_before(const struct p2m_domain *a, const struct p2m_domain *b);
void p2m_unlock_range(struct p2m_domain *p2m, gfn_t gfn, unsigned int order);
void p2m_global_lock(struct p2m_domain *p2m);
void p2m_global_unlock(struct p2m_domain *p2m);
bool p2m_range_locked_by_me(struct p2m_domain *p2m, gfn_t gfn);
bool p2m_global_locked_by_me(const struct p2m_domain *p2m);
/* Bytes of range-lock memory for a p2m whose table covers dense_gfns. */
unsigned long p2m_lock_bytes(unsigned long dense_gfns);

#endif
