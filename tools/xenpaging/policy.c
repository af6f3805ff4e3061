/* Choosing the gfns to evict: see policy.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

/* Accessed bits are read this many gfns at a time, as the hand comes. */
#define WINDOW 4096u
/* The last page-ins, which no sweep chooses however it goes. */
#define RECENT 64u

struct xp_policy {
	enum xp_policy_kind kind;
	uint64_t nr_gfns;
	xp_accessed_fn accessed; /* NULL: none, or the hypervisor has none */
	void *ctx;
	uint8_t *used; /* a bit per gfn: used since the hand passed */
	uint8_t *recent; /* a bit per gfn: in recent_gfns[] */
	uint64_t recent_gfns[RECENT];
	unsigned int recent_next;
	uint64_t hand;
	uint64_t window_end; /* accessed bits read for [.., window_end) */
	uint64_t rng;
};

bool xp_policy_parse(const char *name, enum xp_policy_kind *kind)
{
	if (!strcmp(name, "clock"))
		*kind = XP_POLICY_CLOCK;
	else if (!strcmp(name, "random"))
		*kind = XP_POLICY_RANDOM;
	else
		return false;
	return true;
}

const char *xp_policy_name(enum xp_policy_kind kind)
{
	return kind == XP_POLICY_CLOCK ? "clock" : "random";
}

static bool test_bit(const uint8_t *map, uint64_t i)
{
	return map[i / 8] & (1u << (i % 8));
}

static void set_bit(uint8_t *map, uint64_t i)
{
	map[i / 8] |= (uint8_t)(1u << (i % 8));
}

static void clear_bit(uint8_t *map, uint64_t i)
{
	map[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

struct xp_policy *xp_policy_create(enum xp_policy_kind kind, uint64_t nr_gfns,
				   xp_accessed_fn accessed, void *ctx,
				   uint64_t seed)
{
	struct xp_policy *pol = calloc(1, sizeof(*pol));
	size_t bytes = (nr_gfns + 7) / 8 + 1;

	if (!pol)
		goto nomem;
	*pol = (struct xp_policy){ .kind = kind,
				   .nr_gfns = nr_gfns,
				   .accessed = kind == XP_POLICY_CLOCK ?
						       accessed :
						       NULL,
				   .ctx = ctx,
				   .rng = seed | 1 };
	pol->used = calloc(1, bytes);
	pol->recent = calloc(1, bytes);
	for (unsigned int i = 0; i < RECENT; i++)
		pol->recent_gfns[i] = UINT64_MAX; /* none yet */
	if (pol->used && pol->recent && nr_gfns)
		return pol;
	xp_policy_destroy(pol);
nomem:
	errno = ENOMEM;
	return NULL;
}

void xp_policy_destroy(struct xp_policy *pol)
{
	if (!pol)
		return;
	free(pol->used);
	free(pol->recent);
	free(pol);
}

bool xp_policy_uses_accessed(const struct xp_policy *pol)
{
	return pol->accessed;
}

void xp_policy_paged_in(struct xp_policy *pol, uint64_t gfn)
{
	uint64_t *slot = &pol->recent_gfns[pol->recent_next];

	if (gfn >= pol->nr_gfns)
		return;
	set_bit(pol->used, gfn);
	if (test_bit(pol->recent, gfn))
		return;
	/* The oldest of the last RECENT page-ins may be chosen again. */
	if (*slot != UINT64_MAX)
		clear_bit(pol->recent, *slot);
	*slot = gfn;
	set_bit(pol->recent, gfn);
	pol->recent_next = (pol->recent_next + 1) % RECENT;
}

/* OR the hypervisor's accessed bits for the window at the hand into used. */
static void read_window(struct xp_policy *pol)
{
	uint8_t bitmap[WINDOW / 8];
	uint64_t first = pol->hand, nr = pol->nr_gfns - first;

	if (nr > WINDOW)
		nr = WINDOW;
	pol->window_end = first + nr;
	if (!pol->accessed)
		return;
	if (pol->accessed(pol->ctx, first, (uint32_t)nr, bitmap)) {
		/* No bits to read (or none now): page-ins alone count. */
		pol->accessed = NULL;
		return;
	}
	for (uint64_t i = 0; i < nr; i++)
		if (test_bit(bitmap, i))
			set_bit(pol->used, first + i);
}

static bool chosen(const uint64_t *out, unsigned int n, uint64_t gfn)
{
	for (unsigned int i = 0; i < n; i++)
		if (out[i] == gfn)
			return true;
	return false;
}

/*
 * Whether gfn may be chosen now: eligible, not a recent page-in, not
 * chosen already, and (with second_chance) not used since the last look,
 * which this look forgets.
 */
static bool take(struct xp_policy *pol, uint64_t gfn, bool second_chance,
		 bool (*eligible)(void *, uint64_t), void *ctx,
		 const uint64_t *out, unsigned int n)
{
	if (!eligible(ctx, gfn) || test_bit(pol->recent, gfn) ||
	    chosen(out, n, gfn))
		return false;
	if (second_chance && test_bit(pol->used, gfn)) {
		clear_bit(pol->used, gfn);
		return false;
	}
	return true;
}

/*
 * Sweep: one lap giving second chances, then (if still short, every gfn
 * having been used) a lap that takes any eligible gfn.
 */
static unsigned int choose_clock(struct xp_policy *pol,
				 bool (*eligible)(void *, uint64_t), void *ctx,
				 uint64_t *out, unsigned int max)
{
	unsigned int n = 0;

	for (int lap = 0; lap < 2 && n < max; lap++) {
		for (uint64_t seen = 0; seen < pol->nr_gfns && n < max;
		     seen++) {
			uint64_t gfn;

			if (pol->hand >= pol->window_end)
				read_window(pol);
			gfn = pol->hand;
			if (++pol->hand == pol->nr_gfns)
				pol->hand = pol->window_end = 0;
			if (take(pol, gfn, lap == 0, eligible, ctx, out, n))
				out[n++] = gfn;
		}
	}
	return n;
}

static uint64_t next_random(struct xp_policy *pol)
{
	/* xorshift64 */
	pol->rng ^= pol->rng << 13;
	pol->rng ^= pol->rng >> 7;
	pol->rng ^= pol->rng << 17;
	return pol->rng;
}

/*
 * Random draws, then (a domain with few eligible gfns left) a walk from a
 * random gfn so that whatever is eligible is found.
 */
static unsigned int choose_random(struct xp_policy *pol,
				  bool (*eligible)(void *, uint64_t), void *ctx,
				  uint64_t *out, unsigned int max)
{
	uint64_t start, tries = 16ull * max;
	unsigned int n = 0;

	while (n < max && tries--) {
		uint64_t gfn = next_random(pol) % pol->nr_gfns;

		if (take(pol, gfn, true, eligible, ctx, out, n))
			out[n++] = gfn;
	}
	start = next_random(pol) % pol->nr_gfns;
	for (uint64_t i = 0; i < pol->nr_gfns && n < max; i++) {
		uint64_t gfn = (start + i) % pol->nr_gfns;

		if (take(pol, gfn, false, eligible, ctx, out, n))
			out[n++] = gfn;
	}
	return n;
}

unsigned int xp_policy_choose(struct xp_policy *pol,
			      bool (*eligible)(void *ctx, uint64_t gfn),
			      void *ctx, uint64_t *out, unsigned int max)
{
	if (pol->kind == XP_POLICY_CLOCK)
		return choose_clock(pol, eligible, ctx, out, max);
	return choose_random(pol, eligible, ctx, out, max);
}
