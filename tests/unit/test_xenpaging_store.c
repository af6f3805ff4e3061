/*
 * tools/xenpaging/store.c and compress.c: what the pager puts comes back
 * byte for byte, kept the smallest way (zero pages as a mark, pagetest's
 * pattern pages in a few bytes, random pages as a copy); a full store
 * refuses a page and keeps the old copy; the stats count what happened;
 * and no stream, however corrupt, makes the decoder write outside its
 * page or read outside its input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compress.h"
#include "harness.h"
#include "pattern_page.h"
#include "store.h"

#define PAGE XP_PAGE_SIZE

static void random_page(uint8_t *page, uint64_t *seed)
{
	for (unsigned int i = 0; i < PAGE; i += 8) {
		uint64_t w = rnd(seed);

		memcpy(page + i, &w, 8);
	}
}

/* A data page of an image: a few strings and a table, then zeros. */
static void mostly_zero_page(uint8_t *page)
{
	static const char text[] = "pagetest: pass %u of %u, %u mismatches\n";

	memset(page, 0, PAGE);
	memcpy(page + 64, text, sizeof(text));
	for (unsigned int i = 0; i < 32; i++)
		page[512 + 4 * i] = (uint8_t)(i * 7);
}

/* A code page: x86 code of this runner (/proc/self/exe), page n. */
static bool code_page(uint8_t *page, unsigned int n)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	bool ok = f && !fseek(f, (long)n * PAGE, SEEK_SET) &&
		  fread(page, 1, PAGE, f) == PAGE;

	if (f)
		fclose(f);
	return ok;
}

static struct xp_store_stats stats(const struct xp_store *s)
{
	struct xp_store_stats st;

	xp_store_get_stats(s, &st);
	return st;
}

/* The bytes of an empty store for nr gfns. */
static uint64_t empty_bytes(uint64_t nr)
{
	struct xp_store *s = xp_store_create(nr, 0);
	uint64_t bytes;

	CHECK(s);
	bytes = stats(s).bytes;
	xp_store_destroy(s);
	return bytes;
}

static void check_holds(struct xp_store *s, uint64_t gfn, const uint8_t *want)
{
	uint8_t got[PAGE];

	CHECK(xp_store_has(s, gfn));
	CHECK_EQ(xp_store_get(s, gfn, got), 0);
	CHECK(!memcmp(got, want, PAGE));
}

/* Each kind of page comes back intact and takes the bytes it should. */
TEST(xp_store_round_trip_kinds)
{
	struct xp_store *s = xp_store_create(16, 0);
	uint64_t seed = test_seed(), base;
	uint8_t zero[PAGE] = { 0 }, pat[PAGE], pat1[PAGE], data[PAGE],
		rand[PAGE];

	CHECK(s);
	base = stats(s).bytes;
	CHECK(base > 16 * sizeof(void *));

	CHECK_EQ(xp_store_put(s, 0, zero), 0);
	check_holds(s, 0, zero);
	CHECK_EQ(stats(s).zero, 1);
	CHECK_EQ(stats(s).bytes, base);

	pattern_page(pat, 5, 3);
	CHECK_EQ(xp_store_put(s, 1, pat), 0);
	check_holds(s, 1, pat);
	CHECK_EQ(stats(s).compressed, 1);
	CHECK(stats(s).bytes - base <= 24);

	/* One byte changed: two word runs and the byte between them. */
	memcpy(pat1, pat, PAGE);
	pat1[1234] ^= 0x40;
	CHECK_EQ(xp_store_put(s, 2, pat1), 0);
	check_holds(s, 2, pat1);
	CHECK_EQ(stats(s).compressed, 2);
	CHECK(stats(s).bytes - base <= 24 + 64);

	mostly_zero_page(data);
	base = stats(s).bytes;
	CHECK_EQ(xp_store_put(s, 3, data), 0);
	check_holds(s, 3, data);
	CHECK_EQ(stats(s).compressed, 3);
	CHECK(stats(s).bytes - base <= 128);

	random_page(rand, &seed);
	base = stats(s).bytes;
	CHECK_EQ(xp_store_put(s, 4, rand), 0);
	check_holds(s, 4, rand);
	CHECK_EQ(stats(s).raw, 1);
	CHECK_EQ(stats(s).bytes - base, PAGE);

	/* The others are untouched by the later puts. */
	check_holds(s, 0, zero);
	check_holds(s, 1, pat);
	CHECK_EQ(stats(s).pages, 5);
	xp_store_destroy(s);
}

/* Pages of real x86 code round trip, and most of them shrink. */
TEST(xp_store_code_pages)
{
	enum { N = 64 };
	struct xp_store *s = xp_store_create(N, 0);
	uint8_t page[PAGE];
	uint64_t base = stats(s).bytes;

	for (unsigned int i = 0; i < N; i++) {
		CHECK(code_page(page, i + 1));
		CHECK_EQ(xp_store_put(s, i, page), 0);
	}
	for (unsigned int i = 0; i < N; i++) {
		CHECK(code_page(page, i + 1));
		check_holds(s, i, page);
	}
	CHECK(stats(s).compressed + stats(s).zero >= N / 2);
	CHECK(stats(s).bytes - base < N * PAGE * 3 / 4);
	xp_store_destroy(s);
}

/* A put over a held page replaces it, freeing the old block's bytes. */
TEST(xp_store_replace)
{
	struct xp_store *s = xp_store_create(4, 0);
	uint64_t seed = test_seed(), base = stats(s).bytes, pat_bytes;
	uint8_t rand[PAGE], pat[PAGE], zero[PAGE] = { 0 };

	pattern_page(pat, 1, 1);
	random_page(rand, &seed);
	CHECK_EQ(xp_store_put(s, 2, pat), 0);
	pat_bytes = stats(s).bytes - base;
	xp_store_drop(s, 2);
	CHECK_EQ(stats(s).bytes, base);

	CHECK_EQ(xp_store_put(s, 2, rand), 0);
	CHECK_EQ(stats(s).bytes, base + PAGE);
	CHECK_EQ(xp_store_put(s, 2, pat), 0);
	check_holds(s, 2, pat);
	CHECK_EQ(stats(s).bytes, base + pat_bytes);
	CHECK_EQ(stats(s).pages, 1);
	CHECK_EQ(stats(s).raw, 0);
	CHECK_EQ(stats(s).compressed, 1);

	CHECK_EQ(xp_store_put_zero(s, 2), 0);
	check_holds(s, 2, zero);
	CHECK_EQ(stats(s).bytes, base);
	CHECK_EQ(stats(s).compressed, 0);
	CHECK_EQ(stats(s).zero, 1);

	CHECK_EQ(xp_store_put(s, 2, rand), 0);
	check_holds(s, 2, rand);
	CHECK_EQ(stats(s).zero, 0);
	xp_store_drop(s, 2);
	xp_store_drop(s, 2);
	CHECK(!xp_store_has(s, 2));
	CHECK_EQ(xp_store_get(s, 2, rand), -ENOENT);
	CHECK_EQ(stats(s).pages, 0);
	CHECK_EQ(stats(s).bytes, base);
	xp_store_destroy(s);
}

/* Over the limit: -ENOSPC, the old copy kept, bytes never past it. */
TEST(xp_store_limit)
{
	uint64_t seed = test_seed(), limit = empty_bytes(4) + PAGE + 64;
	struct xp_store *s = xp_store_create(4, limit);
	uint8_t a[PAGE], b[PAGE], pat[PAGE], zero[PAGE] = { 0 };

	random_page(a, &seed);
	random_page(b, &seed);
	pattern_page(pat, 9, 0);
	CHECK_EQ(stats(s).limit, limit);

	CHECK_EQ(xp_store_put(s, 0, a), 0);
	CHECK_EQ(xp_store_put(s, 1, b), -ENOSPC);
	CHECK(!xp_store_has(s, 1));
	CHECK_EQ(stats(s).full, 1);
	CHECK_EQ(xp_store_put(s, 1, pat), 0);
	CHECK_EQ(xp_store_put(s, 1, b), -ENOSPC);
	check_holds(s, 1, pat);
	CHECK_EQ(stats(s).full, 2);
	/* A raw page over a raw page: the old one's room is reused. */
	CHECK_EQ(xp_store_put(s, 0, b), 0);
	check_holds(s, 0, b);
	/* Zero pages take no room: they always fit. */
	CHECK_EQ(xp_store_put(s, 2, zero), 0);
	CHECK_EQ(xp_store_put_zero(s, 3), 0);
	CHECK(stats(s).bytes <= limit);
	CHECK_EQ(stats(s).pages, 4);
	CHECK_EQ(stats(s).puts, 5);

	/* Room made by a drop is usable again. */
	xp_store_drop(s, 0);
	CHECK_EQ(xp_store_put(s, 1, a), 0);
	check_holds(s, 1, a);
	xp_store_destroy(s);
}

TEST(xp_store_gfn_range)
{
	struct xp_store *s = xp_store_create(8, 0);
	uint8_t page[PAGE] = { 1 };
	uint64_t bad[] = { 8, 9, 1ull << 32, ~0ull };

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(xp_store_put(s, bad[i], page), -EINVAL);
		CHECK_EQ(xp_store_put_zero(s, bad[i]), -EINVAL);
		CHECK_EQ(xp_store_get(s, bad[i], page), -EINVAL);
		CHECK(!xp_store_has(s, bad[i]));
		xp_store_drop(s, bad[i]);
	}
	CHECK_EQ(xp_store_get(s, 7, page), -ENOENT);
	CHECK_EQ(xp_store_put(s, 7, page), 0);
	check_holds(s, 7, page);
	CHECK_EQ(stats(s).pages, 1);
	CHECK_EQ(stats(s).puts, 1);
	xp_store_destroy(s);

	/* An index larger than the address space: no store, ENOMEM. */
	errno = 0;
	CHECK(!xp_store_create(~0ull / 4, 0));
	CHECK_EQ(errno, ENOMEM);
	xp_store_destroy(NULL);
}

TEST(xp_store_stats_count)
{
	struct xp_store *s = xp_store_create(32, 0);
	struct xp_store_stats st = stats(s);
	uint64_t seed = test_seed();
	uint8_t page[PAGE];

	CHECK_EQ(st.pages + st.zero + st.compressed + st.raw, 0);
	CHECK_EQ(st.puts + st.gets + st.full + st.limit, 0);
	CHECK_EQ(st.bytes, empty_bytes(32));
	for (unsigned int g = 0; g < 10; g++) {
		pattern_page(page, g, 0);
		CHECK_EQ(xp_store_put(s, g, page), 0);
	}
	for (unsigned int g = 10; g < 13; g++) {
		random_page(page, &seed);
		CHECK_EQ(xp_store_put(s, g, page), 0);
	}
	for (unsigned int g = 13; g < 20; g++)
		CHECK_EQ(xp_store_put_zero(s, g), 0);
	for (unsigned int g = 0; g < 25; g++)
		xp_store_get(s, g, page);
	st = stats(s);
	CHECK_EQ(st.pages, 20);
	CHECK_EQ(st.compressed, 10);
	CHECK_EQ(st.raw, 3);
	CHECK_EQ(st.zero, 7);
	CHECK_EQ(st.puts, 20);
	CHECK_EQ(st.gets, 20);
	CHECK_EQ(st.full, 0);
	/* A pattern page is one 20-byte block: its length and one op. */
	CHECK_EQ(st.bytes, empty_bytes(32) + 10 * 20 + 3 * PAGE);
	xp_store_destroy(s);
}

/* A stream decoded into the middle of guard pages: 0 or -EINVAL, guards
 * untouched (and ASan sees any read past the exact-sized input). */
static int decode_guarded(const uint8_t *stream, size_t len, uint8_t *out)
{
	uint8_t *in = malloc(len ? len : 1), *buf = malloc(3 * PAGE);
	int rc;

	CHECK(in && buf);
	memcpy(in, stream, len);
	memset(buf, 0xa5, 3 * PAGE);
	rc = xp_decompress(in, len, buf + PAGE);
	CHECK(rc == 0 || rc == -EINVAL);
	for (unsigned int i = 0; i < PAGE; i++)
		CHECK(buf[i] == 0xa5 && buf[2 * PAGE + i] == 0xa5);
	if (out)
		memcpy(out, buf + PAGE, PAGE);
	free(in);
	free(buf);
	return rc;
}

/* Hand-made malformed streams are refused. */
TEST(xp_codec_rejects)
{
	static const struct {
		const char *what;
		uint8_t s[8];
		size_t len;
	} bad[] = {
		{ "empty", { 0 }, 0 },
		/* FILL 4096 of 0, then a byte too many */
		{ "left over", { 0x81, 0x80, 0x01, 0x00, 0x00 }, 5 },
		/* FILL 4097 */
		{ "past the page", { 0x85, 0x80, 0x01, 0x00 }, 4 },
		/* LIT 1, x, COPY 4095 from 2 back */
		{ "copy before the page", { 0x04, 0x11, 0xfe, 0x7f, 0x02 }, 5 },
		/* LIT 1, x, COPY 4095 from 0 back */
		{ "copy distance 0", { 0x04, 0x11, 0xfe, 0x7f, 0x00 }, 5 },
		/* FILL 0 */
		{ "empty op", { 0x01, 0x00 }, 2 },
		/* a 4-byte varint */
		{ "long varint", { 0x81, 0x80, 0x80, 0x00, 0x00 }, 5 },
		/* STEP 512 with 6 of a and b's 16 bytes */
		{ "short step", { 0x83, 0x10, 1, 2, 3, 4, 5, 6 }, 8 },
		/* LIT 4096 with 5 bytes */
		{ "short literal", { 0x80, 0x80, 0x01, 1, 2, 3, 4, 5 }, 8 },
	};
	/* FILL 4096 of 0x11; LIT 1 0x22, COPY 4095 from 1 back. */
	static const uint8_t fill[] = { 0x81, 0x80, 0x01, 0x11 };
	static const uint8_t copy[] = { 0x04, 0x22, 0xfe, 0x7f, 0x01 };
	uint8_t out[PAGE];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (decode_guarded(bad[i].s, bad[i].len, NULL) != -EINVAL)
			FAIL("accepted: %s", bad[i].what);
	CHECK_EQ(decode_guarded(fill, sizeof(fill), out), 0);
	CHECK(out[0] == 0x11 && out[PAGE - 1] == 0x11);
	CHECK_EQ(decode_guarded(copy, sizeof(copy), out), 0);
	CHECK(out[0] == 0x22 && out[PAGE - 1] == 0x22);
}

/*
 * A page of random pieces: fills, copies of earlier bytes (overlapping
 * too), word runs at any offset, random bytes.
 */
static void mixed_page(uint8_t *page, uint64_t *seed)
{
	size_t i = 0, n, k, dist;
	uint64_t a, b;

	for (; i < PAGE; i += n) {
		n = 1 + rnd_below(seed, 300);
		n = n < PAGE - i ? n : PAGE - i;
		switch (rnd_below(seed, 4)) {
		case 0:
			memset(page + i, (int)rnd_below(seed, 3), n);
			break;
		case 1: /* from dist back, repeating if dist < n */
			dist = 1 + rnd_below(seed, i ? i : 1);
			for (k = 0; k < n; k++)
				page[i + k] = i ? page[i + k - dist] : 0;
			break;
		case 2: /* 64-bit words a + k * b (b often 0) */
			a = rnd(seed);
			b = rnd_below(seed, 4) ? rnd(seed) : 0;
			n = n < 8 ? 1 : n / 8 * 8;
			for (k = 0; k + 8 <= n; k += 8, a += b)
				memcpy(page + i + k, &a, 8);
			page[i] = n < 8 ? (uint8_t)a : page[i];
			break;
		default:
			for (k = 0; k < n; k++)
				page[i + k] = (uint8_t)rnd(seed);
		}
	}
}

/* The encoder's streams decode to what it was given. */
TEST(xp_codec_round_trip_mixed)
{
	static struct xp_compress_work work;
	uint64_t seed = test_seed();
	uint8_t page[PAGE], stream[PAGE], out[PAGE];
	unsigned int packed = 0;

	for (unsigned int round = 0; round < 3000; round++) {
		size_t len;

		mixed_page(page, &seed);
		len = xp_compress(page, stream, sizeof(stream), &work);
		if (!len)
			continue;
		packed++;
		CHECK_EQ(decode_guarded(stream, len, out), 0);
		CHECK(!memcmp(out, page, PAGE));
	}
	CHECK(packed > 1000);
}

/* Corrupt s[0, len) (room for 16 bytes more): its new length. */
static size_t corrupt(uint8_t *s, size_t len, uint64_t *seed)
{
	size_t k, n;

	switch (rnd_below(seed, 4)) {
	case 0: /* bit flips */
		for (k = rnd_below(seed, 4) + 1; k; k--)
			s[rnd_below(seed, len)] ^= 1u << rnd_below(seed, 8);
		return len;
	case 1: /* a random byte */
		s[rnd_below(seed, len)] = (uint8_t)rnd(seed);
		return len;
	case 2: /* cut short */
		return rnd_below(seed, len);
	default: /* bytes added */
		n = len + 1 + rnd_below(seed, 16);
		for (k = len; k < n; k++)
			s[k] = (uint8_t)rnd(seed);
		return n;
	}
}

/* Corrupted streams of every kind of page never write out of bounds. */
TEST(xp_codec_fuzz)
{
	static struct xp_compress_work work;
	uint64_t seed = test_seed();
	uint8_t page[PAGE], stream[PAGE], bad[PAGE + 16], out[PAGE];
	unsigned int accepted = 0, refused = 0;

	for (unsigned int round = 0; round < 400; round++) {
		size_t len, bad_len;

		switch (round % 4) {
		case 0:
			pattern_page(page, round, 1);
			break;
		case 1:
			pattern_page(page, round, 2);
			page[rnd_below(&seed, PAGE)] ^= 1;
			break;
		case 2:
			mostly_zero_page(page);
			page[rnd_below(&seed, PAGE)] = (uint8_t)round;
			break;
		default:
			CHECK(code_page(page, 1 + round % 32));
		}
		len = xp_compress(page, stream, sizeof(stream), &work);
		CHECK(len > 0);
		CHECK_EQ(decode_guarded(stream, len, out), 0);
		CHECK(!memcmp(out, page, PAGE));

		for (unsigned int m = 0; m < 50; m++) {
			memcpy(bad, stream, len);
			bad_len = corrupt(bad, len, &seed);
			if (decode_guarded(bad, bad_len, NULL))
				refused++;
			else
				accepted++;
		}
	}
	/* Pure noise too. */
	for (unsigned int m = 0; m < 2000; m++) {
		size_t n = rnd_below(&seed, 64);

		for (size_t k = 0; k < n; k++)
			bad[k] = (uint8_t)rnd(&seed);
		decode_guarded(bad, n, NULL);
	}
	printf("corrupted streams: %u refused, %u decoded\n", refused,
	       accepted);
	CHECK(refused > accepted);
}

enum ref_kind { REF_ZERO, REF_PATTERN, REF_TWEAKED, REF_RANDOM, NR_REF };

/* Random puts, gets and drops agree with a plain array of pages. */
TEST(xp_store_random_ops)
{
	enum { N = 48, OPS = 20000 };
	static uint8_t ref[N][PAGE];
	static bool held[N], zero_page[N];
	uint64_t seed = test_seed();
	/* Room for about a third of the gfns as raw copies. */
	uint64_t limit = empty_bytes(N) + N / 3 * PAGE;
	struct xp_store *s = xp_store_create(N, limit);
	uint8_t page[PAGE];
	unsigned int refused = 0;

	for (unsigned int op = 0; op < OPS; op++) {
		uint64_t gfn = rnd_below(&seed, N + 2); /* some out of range */
		uint64_t zero = 0, pages = 0, kind;
		int rc;

		switch (rnd_below(&seed, 5)) {
		case 0:
		case 1: /* put */
			kind = rnd_below(&seed, NR_REF);
			switch (kind) {
			case REF_ZERO:
				memset(page, 0, PAGE);
				break;
			case REF_PATTERN:
				pattern_page(page, (uint32_t)gfn, op);
				break;
			case REF_TWEAKED:
				pattern_page(page, (uint32_t)gfn, op);
				page[rnd_below(&seed, PAGE)] ^= 0xff;
				break;
			default:
				random_page(page, &seed);
			}
			rc = xp_store_put(s, gfn, page);
			if (gfn >= N) {
				CHECK_EQ(rc, -EINVAL);
			} else if (rc == -ENOSPC) {
				refused++;
			} else {
				CHECK_EQ(rc, 0);
				memcpy(ref[gfn], page, PAGE);
				held[gfn] = true;
				zero_page[gfn] = kind == REF_ZERO;
			}
			break;
		case 2: /* get */
			rc = xp_store_get(s, gfn, page);
			if (gfn >= N) {
				CHECK_EQ(rc, -EINVAL);
			} else if (!held[gfn]) {
				CHECK_EQ(rc, -ENOENT);
			} else {
				CHECK_EQ(rc, 0);
				CHECK(!memcmp(page, ref[gfn], PAGE));
			}
			break;
		case 3: /* drop */
			xp_store_drop(s, gfn);
			if (gfn < N)
				held[gfn] = false;
			break;
		default:
			CHECK_EQ(xp_store_has(s, gfn), gfn < N && held[gfn]);
		}
		for (unsigned int g = 0; g < N; g++) {
			pages += held[g];
			zero += held[g] && zero_page[g];
		}
		CHECK_EQ(stats(s).pages, pages);
		CHECK_EQ(stats(s).zero, zero);
		CHECK_EQ(stats(s).compressed + stats(s).raw, pages - zero);
		CHECK(stats(s).bytes <= limit);
	}
	for (unsigned int g = 0; g < N; g++)
		if (held[g])
			check_holds(s, g, ref[g]);
	CHECK(refused > 0);
	CHECK_EQ(stats(s).full, refused);
	xp_store_destroy(s);
}
