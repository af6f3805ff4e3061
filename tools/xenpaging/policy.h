/*
 * Which resident gfns xenpaging evicts next.
 *
 *   clock    second chance: a hand sweeps the gfns; a gfn used since the
 *            hand last passed (the accessed bits of the domain's nested
 *            tables, read and cleared a window at a time, or a page-in)
 *            is passed over once, the others are chosen. Without accessed
 *            bits from the hypervisor (shadow paging, EPT without A/D)
 *            only page-ins count as use.
 *   random   any resident gfn, but a gfn paged in since it was last
 *            chosen is passed over once.
 *
 * Either way a gfn just paged in is never chosen straight away again.
 */
#ifndef XENPAGING_POLICY_H
#define XENPAGING_POLICY_H

#include <stdbool.h>
#include <stdint.h>

enum xp_policy_kind { XP_POLICY_CLOCK, XP_POLICY_RANDOM };

/*
 * Read and clear the accessed bits of gfns [first, first + nr): bit i of
 * bitmap (LSB first) for gfn first + i. 0, or a negative errno (-EOPNOTSUPP:
 * the domain's p2m keeps none).
 */
typedef int (*xp_accessed_fn)(void *ctx, uint64_t first, uint32_t nr,
			      uint8_t *bitmap);

struct xp_policy;

/* "clock" or "random" into *kind: false for any other name. */
bool xp_policy_parse(const char *name, enum xp_policy_kind *kind);
const char *xp_policy_name(enum xp_policy_kind kind);

/* NULL with errno ENOMEM. accessed may be NULL (no accessed bits). */
struct xp_policy *xp_policy_create(enum xp_policy_kind kind, uint64_t nr_gfns,
				   xp_accessed_fn accessed, void *ctx,
				   uint64_t seed);
void xp_policy_destroy(struct xp_policy *pol);

/* gfn was paged in: it counts as used. */
void xp_policy_paged_in(struct xp_policy *pol, uint64_t gfn);

/*
 * Up to max gfns for which eligible(ctx, gfn) holds (resident and
 * pageable, as the pager knows), into out[]: how many. Fewer than max
 * when a whole sweep found no more.
 */
unsigned int xp_policy_choose(struct xp_policy *pol,
			      bool (*eligible)(void *ctx, uint64_t gfn),
			      void *ctx, uint64_t *out, unsigned int max);

/* Whether the accessed bits are read (false: none to read, or clock off). */
bool xp_policy_uses_accessed(const struct xp_policy *pol);

#endif /* XENPAGING_POLICY_H */
