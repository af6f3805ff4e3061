/* xen/common/lib/bitmap.c and <xen/bitops.h> against a naive model. */
#include <stdlib.h>

#include <xen/bitmap.h>
#include <xen/lib.h>

#include "harness.h"
#include "shim.h"

static const unsigned int sizes[] = { 1,   2,	31,  63,  64,	65,
				      127, 128, 129, 200, 1000, 4097 };

/*
 * A random bitmap of nbits bits and its model. The words are an exact-size
 * heap block (AddressSanitizer catches reads past them); the bits past
 * nbits in the last word are random too, and must never matter.
 */
struct bm {
	unsigned int nbits;
	unsigned long *w;
	bool *model;
};

static void bm_random(struct bm *b, unsigned int nbits, uint64_t *seed)
{
	/* Sparse, dense or in between. */
	unsigned int density = rnd_below(seed, 5), i;

	b->nbits = nbits;
	b->w = malloc(BITS_TO_LONGS(nbits) * sizeof(long));
	b->model = calloc(nbits, sizeof(bool));
	if (!b->w || !b->model)
		FAIL("out of memory");
	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		b->w[i] = rnd(seed);
	for (i = 0; i < nbits; i++) {
		bool set = density == 0 ? rnd_below(seed, 97) == 0 :
			   density == 4 ? rnd_below(seed, 97) != 0 :
					  rnd_below(seed, 4) < density;

		b->model[i] = set;
		if (set)
			__set_bit(i, b->w);
		else
			__clear_bit(i, b->w);
	}
}

static void bm_free(struct bm *b)
{
	free(b->w);
	free(b->model);
}

/* Whether bits [0, nbits) of w equal the model. */
static bool bm_matches(const unsigned long *w, const bool *model,
		       unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < nbits; i++)
		if (test_bit(i, w) != model[i])
			return false;
	return true;
}

static unsigned long model_next(const struct bm *b, unsigned long off,
				bool value)
{
	for (; off < b->nbits; off++)
		if (b->model[off] == value)
			return off;
	return b->nbits;
}

TEST(find_next_bit_against_model)
{
	uint64_t seed = test_seed();
	unsigned int s, round;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (round = 0; round < 20; round++) {
			struct bm b;
			unsigned long off, n = 0, bit;

			bm_random(&b, sizes[s], &seed);
			for (off = 0; off <= b.nbits + 70; off++) {
				CHECK_EQ(find_next_bit(b.w, b.nbits, off),
					 model_next(&b, off, true));
				CHECK_EQ(find_next_zero_bit(b.w, b.nbits, off),
					 model_next(&b, off, false));
			}
			CHECK_EQ(find_first_bit(b.w, b.nbits),
				 model_next(&b, 0, true));
			CHECK_EQ(find_first_zero_bit(b.w, b.nbits),
				 model_next(&b, 0, false));
			for_each_set_bit(bit, b.w, b.nbits) {
				CHECK(b.model[bit]);
				n++;
			}
			CHECK_EQ(n, bitmap_weight(b.w, b.nbits));
			bm_free(&b);
		}
	}
}

TEST(bitmap_weight_empty_full_equal_ignore_tail)
{
	uint64_t seed = test_seed();
	unsigned int s, round, i;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (round = 0; round < 20; round++) {
			struct bm a, b;
			unsigned int weight = 0, pos, words;
			bool empty = true, full = true;

			bm_random(&a, sizes[s], &seed);
			bm_random(&b, sizes[s], &seed);
			for (i = 0; i < a.nbits; i++) {
				weight += a.model[i];
				empty &= !a.model[i];
				full &= a.model[i];
			}
			CHECK_EQ(bitmap_weight(a.w, a.nbits), weight);
			CHECK_EQ(bitmap_empty(a.w, a.nbits), empty);
			CHECK_EQ(bitmap_full(a.w, a.nbits), full);

			/* Same bits, other tails: equal; one bit off: not */
			for (i = 0; i < a.nbits; i++)
				if (a.model[i])
					__set_bit(i, b.w);
				else
					__clear_bit(i, b.w);
			b.w[BITS_TO_LONGS(a.nbits) - 1] ^=
				~0UL << 1 << ((a.nbits - 1) % BITS_PER_LONG);
			CHECK(bitmap_equal(a.w, b.w, a.nbits));
			pos = rnd_below(&seed, a.nbits);
			b.w[BIT_WORD(pos)] ^= BIT_MASK(pos);
			CHECK(!bitmap_equal(a.w, b.w, a.nbits));

			/* All clear or all set within nbits, tail all set. */
			bitmap_zero(a.w, a.nbits);
			CHECK(bitmap_empty(a.w, a.nbits));
			CHECK_EQ(bitmap_weight(a.w, a.nbits), 0);
			a.w[BITS_TO_LONGS(a.nbits) - 1] |=
				~0UL << 1 << ((a.nbits - 1) % BITS_PER_LONG);
			CHECK(bitmap_empty(a.w, a.nbits));
			CHECK(!bitmap_full(a.w, a.nbits));
			__set_bit(pos, a.w);
			CHECK(!bitmap_empty(a.w, a.nbits));
			bitmap_fill(a.w, a.nbits);
			CHECK(bitmap_full(a.w, a.nbits));
			CHECK_EQ(bitmap_weight(a.w, a.nbits), a.nbits);
			/* fill leaves the tail clear */
			words = BITS_TO_LONGS(a.nbits);
			CHECK_EQ(find_next_bit(a.w, words * BITS_PER_LONG,
					       a.nbits),
				 words * BITS_PER_LONG);
			__clear_bit(pos, a.w);
			CHECK(!bitmap_full(a.w, a.nbits));
			CHECK_EQ(bitmap_weight(a.w, a.nbits), a.nbits - 1);
			bm_free(&a);
			bm_free(&b);
		}
	}
	CHECK(bitmap_empty(NULL, 0));
	CHECK(bitmap_full(NULL, 0));
	CHECK_EQ(bitmap_weight(NULL, 0), 0);
}

TEST(bitmap_logic_copy_and_ranges)
{
	uint64_t seed = test_seed();
	unsigned int s, round, i;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (round = 0; round < 20; round++) {
			struct bm a, b, d;
			unsigned int start, len;
			bool *want = calloc(sizes[s], sizeof(bool));

			if (!want)
				FAIL("out of memory");
			bm_random(&a, sizes[s], &seed);
			bm_random(&b, sizes[s], &seed);
			bm_random(&d, sizes[s], &seed);

			bitmap_and(d.w, a.w, b.w, d.nbits);
			for (i = 0; i < d.nbits; i++)
				want[i] = a.model[i] && b.model[i];
			CHECK(bm_matches(d.w, want, d.nbits));
			bitmap_or(d.w, a.w, b.w, d.nbits);
			for (i = 0; i < d.nbits; i++)
				want[i] = a.model[i] || b.model[i];
			CHECK(bm_matches(d.w, want, d.nbits));
			bitmap_andnot(d.w, a.w, b.w, d.nbits);
			for (i = 0; i < d.nbits; i++)
				want[i] = a.model[i] && !b.model[i];
			CHECK(bm_matches(d.w, want, d.nbits));
			bitmap_copy(d.w, b.w, d.nbits);
			CHECK(bm_matches(d.w, b.model, d.nbits));

			/* Ranges change exactly [start, start + len). */
			start = rnd_below(&seed, a.nbits + 1);
			len = rnd_below(&seed, a.nbits - start + 1);
			bitmap_set_range(a.w, start, len);
			for (i = start; i < start + len; i++)
				a.model[i] = true;
			CHECK(bm_matches(a.w, a.model, a.nbits));
			start = rnd_below(&seed, a.nbits + 1);
			len = rnd_below(&seed, a.nbits - start + 1);
			bitmap_clear_range(a.w, start, len);
			for (i = start; i < start + len; i++)
				a.model[i] = false;
			CHECK(bm_matches(a.w, a.model, a.nbits));

			free(want);
			bm_free(&a);
			bm_free(&b);
			bm_free(&d);
		}
	}
}

TEST(bitops_single_bits)
{
	unsigned long w[3] = { 0, 0, 0 };
	uint64_t seed = test_seed();
	unsigned int i, b;

	CHECK(!test_and_set_bit(130, w));
	CHECK(test_and_set_bit(130, w));
	CHECK_EQ(w[2], 1UL << 2);
	CHECK(test_bit(130, w) && test_bit_acquire(130, w));
	CHECK(test_and_clear_bit(130, w));
	CHECK(!test_and_clear_bit(130, w));
	set_bit(63, w);
	__set_bit(64, w);
	CHECK_EQ(w[0], 1UL << 63);
	CHECK_EQ(w[1], 1);
	clear_bit(63, w);
	__clear_bit(64, w);
	CHECK(!w[0] && !w[1] && !w[2]);

	for (i = 0; i < 10000; i++) {
		unsigned long x = rnd(&seed) >> rnd_below(&seed, 64);
		unsigned int lo = BITS_PER_LONG, hi = 0;

		if (!x)
			continue;
		for (b = 0; b < BITS_PER_LONG; b++) {
			if (!(x & (1UL << b)))
				continue;
			lo = min(lo, b);
			hi = b;
		}
		CHECK_EQ(ffsl0(x), lo);
		CHECK_EQ(flsl0(x), hi);
	}
}

#define ATOMIC_THREADS 4
#define ATOMIC_BITS 256

struct atomic_ctx {
	unsigned long map[BITS_TO_LONGS(ATOMIC_BITS)];
	unsigned int id;
	unsigned int errors;
};

/* Thread t owns the bits b with b % ATOMIC_THREADS == t, all words shared */
static void atomic_worker(void *arg)
{
	struct atomic_ctx *ctx = arg;
	unsigned int t = __atomic_fetch_add(&ctx->id, 1, __ATOMIC_RELAXED);
	unsigned int round, b;

	for (round = 0; round < 300; round++) {
		for (b = t; b < ATOMIC_BITS; b += ATOMIC_THREADS)
			if (test_and_set_bit(b, ctx->map))
				__atomic_fetch_add(&ctx->errors, 1,
						   __ATOMIC_RELAXED);
		for (b = t; b < ATOMIC_BITS; b += ATOMIC_THREADS)
			if (!test_bit(b, ctx->map))
				__atomic_fetch_add(&ctx->errors, 1,
						   __ATOMIC_RELAXED);
		for (b = t; b < ATOMIC_BITS; b += ATOMIC_THREADS)
			if (!test_and_clear_bit(b, ctx->map))
				__atomic_fetch_add(&ctx->errors, 1,
						   __ATOMIC_RELAXED);
	}
	for (b = t; b < ATOMIC_BITS; b += ATOMIC_THREADS)
		set_bit(b, ctx->map);
}

TEST(bitops_atomic_no_lost_update)
{
	static struct atomic_ctx ctx;
	pthread_t t[ATOMIC_THREADS];
	unsigned int i;

	for (i = 0; i < ATOMIC_THREADS; i++)
		t[i] = shim_thread_start(atomic_worker, &ctx);
	for (i = 0; i < ATOMIC_THREADS; i++)
		shim_thread_join(t[i]);
	CHECK_EQ(ctx.errors, 0);
	CHECK(bitmap_full(ctx.map, ATOMIC_BITS));
}
