/*
 * The p2m conformance suite: the same cases run against every backend, on
 * the host (tests/unit) and inside the hypervisor (self-tests).
 */
#ifndef P2M_CONFORMANCE_H
#define P2M_CONFORMANCE_H

#include "backend.h"
#include <xen/selftest.h>

struct domain;

/* What the harness provides: two domains with room for test pages. */
struct p2m_conf_env {
	struct domain *d; /* owns the p2m and its RAM (>= 1100 pages) */
	struct domain *foreign; /* owns pages that d maps as foreign */
};

struct p2m_conf_case {
	const char *name;
	enum test_result (*fn)(const struct p2m_backend_ops *ops,
			       struct p2m_conf_env *env);
};

extern const struct p2m_conf_case p2m_conf_cases[];
extern const unsigned int p2m_conf_nr_cases;

/*
 * Run every case against ops; print a line per failure (and per case when
 * verbose). Returns how many cases failed.
 */
unsigned int p2m_conformance_run(const struct p2m_backend_ops *ops,
				 struct p2m_conf_env *env, bool verbose);

/* For tests: the raw entry of gfn at level (4..1), or NULL if none. */
u64 *pt_entry_ptr(struct p2m_domain *p2m, gfn_t gfn, unsigned int level);
/* Drop the allocation reference of 2^order pages from pg (case clean-up) */
void p2m_conf_drop_pages(struct page_info *pg, unsigned int order);
/*
 * For tests: what the CPU does when it uses gfn's translation: set the
 * accessed bit of the leaf its walk ends at (nothing if the walk faults).
 */
void pt_touch(struct p2m_domain *p2m, gfn_t gfn);

/* The accessed-bit cases (conformance_accessed.c). */
enum test_result p2m_conf_accessed_new_leaves(const struct p2m_backend_ops *ops,
					      struct p2m_conf_env *env);
enum test_result p2m_conf_accessed_superpages(const struct p2m_backend_ops *ops,
					      struct p2m_conf_env *env);
enum test_result
p2m_conf_accessed_kept_by_rewrites(const struct p2m_backend_ops *ops,
				   struct p2m_conf_env *env);
enum test_result
p2m_conf_accessed_only_present_ram(const struct p2m_backend_ops *ops,
				   struct p2m_conf_env *env);
enum test_result p2m_conf_accessed_bad_calls(const struct p2m_backend_ops *ops,
					     struct p2m_conf_env *env);

#endif
