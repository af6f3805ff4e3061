/*
 * The p2m model test's reference model (p2m_model.c): a plain map of one
 * entry per gfn beside a real p2m, the operations applied to both and
 * checked (return codes, notifications, lookups, the walker, the tables),
 * and the model's setup and teardown. test_p2m_model.c generates the
 * operations (themes, campaigns, focus regions) and runs it per backend.
 */
#ifndef UNIT_P2M_MODEL_H
#define UNIT_P2M_MODEL_H

#include <stdio.h>
#include <stdlib.h>

#include <xen/errno.h>
#include <xen/mm.h>
#include "../../xen/arch/x86/mm/p2m/conformance.h"
#include <xen/sched.h>

/* The harness's CHECK, not the self-tests' one (which returns TEST_FAIL) */
#undef CHECK
#include "harness.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x10000UL

/* Not a multiple of 2 MiB: the last region and slot are cut short. */
#define MAX_GFN ((3UL << PAGE_ORDER_1G) + 777)
/* The model covers whole 1 GiB slots; entries past MAX_GFN stay empty. */
#define NR_1G 4UL
#define MODEL_GFNS (NR_1G << PAGE_ORDER_1G)
#define NR_2M (MODEL_GFNS >> PAGE_ORDER_2M)
#define SLOT_REGIONS (1UL << (PAGE_ORDER_1G - PAGE_ORDER_2M))
/* Regions entirely below MAX_GFN. */
#define FULL_2M (MAX_GFN >> PAGE_ORDER_2M)

/* Frames past the arena have no page_info: nobody takes references. */
#define FAKE_FIRST (SHIM_MEM_SIZE >> PAGE_SHIFT)
#define NR_FOREIGN 32
#define NR_FOCUS 8
#define SWEEP_EVERY 50000UL
#define NO_MFN 0xffffffffu
#define CAMPAIGN_PASSES 3
#define CAMPAIGN_POKES 32

/* The model's entry: empty is { NO_MFN, p2m_invalid, p2m_access_n }. */
struct ment {
	u32 mfn; /* NO_MFN for types without a frame */
	u8 t;
	u8 a;
};

struct set_op {
	unsigned long gfn, mfn;
	unsigned int order, t, a; /* raw: may be out of range on purpose */
	bool global; /* under p2m_global_lock() */
	bool hold; /* inside a get_gfn of the same 2 MiB range */
};

/* What a region (or slot) should become, entry by entry. */
struct theme {
	p2m_type_t t;
	p2m_access_t a;
	unsigned long mfn; /* frame of the region's first entry */
};

/* Operations that fill a region 4 KiB at a time, or a slot 2 MiB at a time */
enum campaign_kind { CAMP_NONE, CAMP_2M, CAMP_1G };

struct campaign {
	enum campaign_kind kind;
	unsigned long first; /* gfn */
	struct theme th;
	unsigned int pass, next; /* filling: order[next] is the next unit */
	unsigned int order[SLOT_REGIONS];
	unsigned int pokes; /* then taking a unit out and putting it back */
	unsigned long poked;
};

struct stats {
	unsigned long sets_ok, sets_refused, sets_noop, lookups, type_changes,
		type_changes_refused, foreign_maps, split_2m, split_1g,
		merge_2m, merge_1g, predicted_merges, sweeps, campaigns;
};

struct model {
	const struct p2m_backend_ops *ops;
	struct p2m_domain p2m;
	struct p2m_notifier rec;
	struct domain d, foreign;
	u64 rng;
	unsigned long op;
	char what[200];

	struct ment *m; /* [MODEL_GFNS] */
	/* Is the region (slot) uniform? Recomputed when dirty. */
	bool *dirty_2m, *uni_2m; /* [NR_2M] */
	bool dirty_1g[NR_1G], uni_1g[NR_1G];
	struct theme *theme_2m; /* [NR_2M] */
	struct theme theme_1g[NR_1G];

	struct page_info *pool; /* 512 pages of d, 2 MiB aligned */
	struct page_info *foreign_pg[NR_FOREIGN];
	unsigned long foreign_maps[NR_FOREIGN]; /* entries mapping each */
	struct page_info *unowned; /* allocated, no owner */

	/* Notifications during the current operation. */
	unsigned int notes;
	bool entry_noted; /* a P2M_CHANGE_ENTRY covering its range */
	unsigned long note_first, note_nr;
	unsigned int teardowns;

	unsigned long focus[NR_FOCUS];
	struct campaign camp;
	struct stats n;
};

#define MFAIL(w, fmt, ...)                                               \
	FAIL("%s op %lu (%s): " fmt, (w)->ops->name, (w)->op, (w)->what, \
	     ##__VA_ARGS__)
#define MCHECK(w, cond)                                      \
	do {                                                 \
		if (!(cond))                                 \
			MFAIL(w, "check failed: %s", #cond); \
	} while (0)

u64 model_rn(struct model *w, u64 n);
bool model_chance(struct model *w, unsigned int per_mille);
unsigned long model_page_mfn(const struct page_info *pg);
/* Does entry b (at gfn gb) continue entry a (at ga) in one mapping? */
bool model_continues(const struct ment *a, unsigned long ga,
		     const struct ment *b, unsigned long gb);
/*
 * Look g up with q and compare with the model: type, access, frame, and
 * an order that is an entry size over which the model is uniform.
 */
unsigned int model_check_lookup(struct model *w, unsigned long g,
				p2m_query_t q);
void model_full_sweep(struct model *w);
void model_do_set(struct model *w, const struct set_op *op);
void model_do_type_global(struct model *w, unsigned int from, unsigned int to);
void model_init(struct model *w, const struct p2m_backend_ops *ops);
void model_finish(struct model *w);
/* A random theme for a region of that order (test_p2m_model.c). */
void random_theme(struct model *w, struct theme *th, unsigned int order);

#endif
