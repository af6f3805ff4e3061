/*
 * What a p2m backend provides, and the page-table formats the generic
 * engine (pt.c) is driven by. Private to mm/p2m/ (and its host tests).
 */
#ifndef P2M_BACKEND_H
#define P2M_BACKEND_H

#include <asm/p2m.h>

/* What a software walk of the table finds for one access. */
enum p2m_walk_fault {
	P2M_WALK_OK,
	P2M_WALK_NOT_PRESENT, /* a level without the right bits */
	P2M_WALK_DENIED, /* present, but not for this access */
	P2M_WALK_RESERVED, /* reserved bits set, or a misconfiguration */
};

struct p2m_walk {
	enum p2m_walk_fault fault;
	unsigned int level; /* where the walk stopped (4..1) */
	unsigned int perms; /* rights granted by all levels (P2M_R/W/X) */
	mfn_t mfn; /* 4 KiB frame the gfn translates to */
	unsigned int order; /* size of the leaf */
};

/* In entry_perms(): the entry is present (rights may still be none). */
#define P2M_PRESENT 8u

/* The deepest table any format has (array sizes in the engine). */
#define PT_MAX_LEVELS 4

/*
 * A page-table format, as data plus three small encoders. Every format
 * has 512 entries a table and leaves of 4 KiB at level 1 and superpages
 * (2 MiB, 1 GiB) at levels 2 and 3, and keeps software bits 52-58 free
 * (where the engine keeps the p2m type and access of every leaf).
 */
struct pt_format {
	const char *name;
	unsigned int levels; /* of tables, the root's included */
	u64 addr_mask; /* the frame bits of an entry */
	u64 superpage_bit; /* marks a leaf at levels 2 and 3 */
	/*
	 * The leaf bit the CPU sets when a walk uses the leaf (never written
	 * by leaf_bits(): a new leaf has not been used). Kept when an entry
	 * is rewritten with its frame (split, merge, global type change).
	 */
	u64 accessed_bit;
	/* Bits of a table (non-leaf) entry besides the frame. */
	u64 table_bits;
	/* Hardware bits of a leaf granting perms (P2M_R/W/X), for type t. */
	u64 (*leaf_bits)(unsigned int perms, p2m_type_t t);
	/* P2M_PRESENT and the rights e grants a walk through it, or 0. */
	unsigned int (*entry_perms)(u64 e, bool leaf);
	/* Are e's reserved bits clear and its configuration valid? */
	bool (*entry_valid)(u64 e, unsigned int level, bool leaf);
};

struct p2m_backend_ops {
	const char *name;
	const struct pt_format *fmt;
	int (*init)(struct p2m_domain *p2m);
	void (*teardown)(struct p2m_domain *p2m);
	/* Caller holds the locks and checked arguments and transitions. */
	int (*set_entry)(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
			 unsigned int order, p2m_type_t t, p2m_access_t a);
	/* The frame, or INVALID_MFN if the entry's type has none. */
	mfn_t (*get_entry)(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
			   p2m_access_t *a, unsigned int *order);
	/* Caller holds the global lock for writing. Returns entries changed */
	unsigned long (*change_type_global)(struct p2m_domain *p2m,
					    p2m_type_t from, p2m_type_t to);
	/* Make the hardware forget cached translations of this p2m. */
	void (*flush)(struct p2m_domain *p2m);
	/* Walk as the hardware would, for an access of rights need. */
	void (*walk)(struct p2m_domain *p2m, gfn_t gfn, unsigned int need,
		     struct p2m_walk *w);
	/*
	 * Caller holds gfn's range lock. Was the leaf covering gfn used
	 * since it was made or last asked? Clears that. Only present RAM
	 * answers (anything else: false, untouched). *order: the size of
	 * the leaf or empty slot found; the answer holds for all of it.
	 */
	bool (*test_clear_accessed)(struct p2m_domain *p2m, gfn_t gfn,
				    unsigned int *order);
};

extern const struct p2m_backend_ops p2m_npt_ops, p2m_ept_ops;

/*
 * The order in which different p2ms' range locks are taken (lock.c):
 * creation order, except that the control domain's come after every other
 * domain's, as Xen biases the control domain's mm locks. Its pager copies
 * from its own memory (a lookup in its own p2m) while it holds a guest's
 * gfn lock, and the control domain is usually built first.
 */
unsigned long p2m_lock_order(const struct p2m_domain *p2m);
/* Size the range-lock table of a new p2m to cover dense_gfns (lock.c). */
void p2m_lock_words_init(struct p2m_domain *p2m, unsigned long dense_gfns);
/*
 * Range r's lock word: neighbouring ranges are on different cache lines;
 * r at or above nr_ranges: the shared sparse_range_lock.
 */
u32 *p2m_range_word(struct p2m_domain *p2m, unsigned long r);
/*
 * p2m_lock_range() of gfn's 2 MiB range for the lookups (get-gfn.c): the
 * lock word taken, which p2m_unlock_word() releases, or NULL when this
 * CPU holds the global lock (which covers the range; nothing to release).
 */
u32 *p2m_lock_gfn(struct p2m_domain *p2m, gfn_t gfn);
void p2m_unlock_word(struct p2m_domain *p2m, u32 *word);

/*
 * Before this CPU changes [gfn, gfn + nr) of p2m (p2m_set_entry): its own
 * holds there whose frame the entry alone kept alive take a page
 * reference, as the change may drop the frame's last one (get-gfn.c).
 * Nobody else can change an entry this CPU holds.
 */
void p2m_holds_take_refs(struct p2m_domain *p2m, gfn_t gfn, unsigned long nr);

/* For the engine: tell the notifiers (core, p2m.c). */
void p2m_notify(struct p2m_domain *p2m, gfn_t first, unsigned long nr,
		enum p2m_change why);
/*
 * The hardware backends' flush: bump the flush generation, then make the
 * CPUs running the p2m's vCPUs honour it (flush_cpus).
 */
void p2m_flush_hw(struct p2m_domain *p2m);
/* For the engine: a leaf was removed or replaced (after notification). */
void p2m_leaf_removed(struct p2m_domain *p2m, mfn_t mfn, p2m_type_t t);

/* The generic engine's implementations of the ops. */
int pt_init(struct p2m_domain *p2m);
void pt_teardown(struct p2m_domain *p2m);
int pt_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
		 unsigned int order, p2m_type_t t, p2m_access_t a);
mfn_t pt_get_entry(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
		   p2m_access_t *a, unsigned int *order);
unsigned long pt_change_type_global(struct p2m_domain *p2m, p2m_type_t from,
				    p2m_type_t to);
void pt_walk(struct p2m_domain *p2m, gfn_t gfn, unsigned int need,
	     struct p2m_walk *w);
bool pt_test_clear_accessed(struct p2m_domain *p2m, gfn_t gfn,
			    unsigned int *order);

/* A hardware backend: the generic engine over a format, the core flush. */
#define PT_HW_BACKEND(n, format)                                    \
	{                                                           \
		.name = n, .fmt = format, .init = pt_init,          \
		.teardown = pt_teardown, .set_entry = pt_set_entry, \
		.get_entry = pt_get_entry,                          \
		.change_type_global = pt_change_type_global,        \
		.flush = p2m_flush_hw, .walk = pt_walk,             \
		.test_clear_accessed = pt_test_clear_accessed,      \
	}

#endif
