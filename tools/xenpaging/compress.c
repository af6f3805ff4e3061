/*
 * The page codec (compress.h). The stream is a sequence of ops, each
 * writing the next n units of the page, until the page is full:
 *
 *   varint(n << 2 | kind), then by kind:
 *   OP_LIT   n bytes, copied to the page
 *   OP_FILL  one byte, written n times
 *   OP_COPY  varint(dist): n bytes copied one by one from dist bytes
 *            back in the page (dist < n repeats the last dist bytes)
 *   OP_STEP  a, b (8 bytes each): n 64-bit words, word i being a + i * b
 *
 * Words are in the machine's byte order: a stream never leaves the
 * machine that wrote it.
 *
 * A varint is 7 bits a byte, low bits first, the top bit set on every
 * byte but the last; 3 bytes hold any value the stream needs (n << 2 is
 * below 2^14 + 4, a distance below 2^12).
 *
 * The encoder is greedy: at each position it takes the op covering most
 * bytes (a fill, a word run, or a copy found through a hash of the next 4
 * bytes), else the byte joins the pending literal.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "compress.h"

#define PAGE XP_PAGE_SIZE

enum { OP_LIT, OP_FILL, OP_COPY, OP_STEP };

#define VARINT_MAX_BYTES 3
/* The shortest runs worth an op of their own (in bytes). */
#define MIN_FILL 4
#define MIN_COPY 4
#define MIN_STEP 32
/* Positions without an op before the encoder tries fewer of them. */
#define SKIP_AFTER 32
/* The bytes hash4() reads. */
#define HASHED 4

/*
 * One move each: dom0 builds with -ffreestanding, where a plain memcpy()
 * is a call to its byte loop.
 */
static uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static void store64(uint8_t *p, uint64_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

bool xp_page_is_zero(const uint8_t *page)
{
	uint64_t any = 0;

	for (size_t i = 0; i < PAGE; i += 8)
		any |= load64(page + i);
	return !any;
}

/* The encoder's output: once an op does not fit, full stays set. */
struct writer {
	uint8_t *out;
	size_t len, max;
	bool full;
};

static void put_bytes(struct writer *w, const uint8_t *p, size_t n)
{
	if (w->full || n > w->max - w->len) {
		w->full = true;
		return;
	}
	memcpy(w->out + w->len, p, n);
	w->len += n;
}

static void put_varint(struct writer *w, uint32_t v)
{
	uint8_t b[VARINT_MAX_BYTES + 2];
	size_t n = 0;

	while (v >= 0x80) {
		b[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (uint8_t)v;
	put_bytes(w, b, n);
}

static void put_op(struct writer *w, unsigned int kind, size_t n)
{
	put_varint(w, (uint32_t)(n << 2 | kind));
}

/* The op chosen at a position; len is in bytes (0: none). */
struct op {
	unsigned int kind;
	size_t len, dist;
};

static size_t fill_len(const uint8_t *page, size_t i)
{
	size_t n = 1;

	while (i + n < PAGE && page[i + n] == page[i])
		n++;
	return n;
}

/* Bytes from i (8-aligned) of 64-bit words a + k * b (0: under 2). */
static size_t step_len(const uint8_t *page, size_t i)
{
	uint64_t prev, b;
	size_t n;

	if (i % 8 || PAGE - i < 16)
		return 0;
	prev = load64(page + i + 8);
	b = prev - load64(page + i);
	for (n = 16; i + n < PAGE; n += 8) {
		uint64_t w = load64(page + i + n);

		if (w - prev != b)
			break;
		prev = w;
	}
	return n;
}

/*
 * How many bytes from i equal those from earlier position from (the
 * copy's source, which may run into i: the decoder copies in order).
 */
static size_t match_len(const uint8_t *page, size_t from, size_t i)
{
	size_t n = 0;

	while (PAGE - i - n >= 8 &&
	       load64(page + from + n) == load64(page + i + n))
		n += 8;
	while (i + n < PAGE && page[from + n] == page[i + n])
		n++;
	return n;
}

static uint32_t hash4(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;

	return (v * 2654435761u) >> (32 - XP_HASH_BITS);
}

/* Remember position i (HASHED bytes from it) for later copies. */
static size_t remember(const uint8_t *page, size_t i,
		       struct xp_compress_work *work)
{
	uint16_t *slot = &work->head[hash4(page + i)];
	size_t prev = *slot;

	*slot = (uint16_t)(i + 1);
	return prev;
}

static struct op best_op(const uint8_t *page, size_t i,
			 struct xp_compress_work *work)
{
	struct op op = { OP_LIT, 0, 0 };
	size_t fill = fill_len(page, i), step = step_len(page, i), copy = 0;

	if (PAGE - i >= HASHED) {
		size_t cand = remember(page, i, work);

		/*
		 * A collision, or a position an earlier page left (the
		 * table is not cleared), is only a poorer hint: the bytes
		 * are compared all the same.
		 */
		if (cand && cand - 1 < i) {
			op.dist = i - (cand - 1);
			copy = match_len(page, cand - 1, i);
		}
	}
	if (fill >= MIN_FILL && fill >= copy && fill >= step) {
		op.kind = OP_FILL;
		op.len = fill;
	} else if (step >= MIN_STEP && step > copy) {
		op.kind = OP_STEP;
		op.len = step;
	} else if (copy >= MIN_COPY) {
		op.kind = OP_COPY;
		op.len = copy;
	}
	return op;
}

static void put_literal(struct writer *w, const uint8_t *p, size_t n)
{
	if (n) {
		put_op(w, OP_LIT, n);
		put_bytes(w, p, n);
	}
}

static void put_chosen(struct writer *w, const uint8_t *page, size_t i,
		       const struct op *op)
{
	uint8_t ab[16];

	switch (op->kind) {
	case OP_FILL:
		put_op(w, OP_FILL, op->len);
		put_bytes(w, page + i, 1);
		break;
	case OP_COPY:
		put_op(w, OP_COPY, op->len);
		put_varint(w, (uint32_t)op->dist);
		break;
	case OP_STEP:
		store64(ab, load64(page + i));
		store64(ab + 8, load64(page + i + 8) - load64(page + i));
		put_op(w, OP_STEP, op->len / 8);
		put_bytes(w, ab, sizeof(ab));
		break;
	}
}

size_t xp_compress(const uint8_t *page, uint8_t *out, size_t max,
		   struct xp_compress_work *work)
{
	struct writer w = { out, 0, max, false };
	size_t i = 0, lit = 0; /* the pending literal: [lit, i) */
	unsigned int misses = 0; /* positions tried since the last op */

	while (i < PAGE) {
		struct op op = best_op(page, i, work);

		if (!op.len) {
			/*
			 * Long without an op (random data): try 8-aligned
			 * positions only. Word runs start there, and a fill
			 * or copy is still found from inside it.
			 */
			if (++misses < SKIP_AFTER)
				i++;
			else
				i = (i + 8) & ~(size_t)7;
			/* The literal alone no longer fits: give up early. */
			if (i - lit > max - w.len)
				return 0;
			continue;
		}
		put_literal(&w, page + lit, i - lit);
		put_chosen(&w, page, i, &op);
		if (w.full)
			return 0;
		/* Later copies may start inside this one. */
		if (op.kind == OP_COPY)
			for (size_t k = i + 1;
			     k < i + op.len && PAGE - k >= HASHED; k++)
				remember(page, k, work);
		i += op.len;
		lit = i;
		misses = 0;
	}
	put_literal(&w, page + lit, i - lit);
	return w.full ? 0 : w.len;
}

/* The varint at in[*r]: false if it runs past len or past 3 bytes. */
static bool get_varint(const uint8_t *in, size_t len, size_t *r, uint32_t *v)
{
	*v = 0;
	for (unsigned int i = 0; i < VARINT_MAX_BYTES; i++) {
		if (*r >= len)
			return false;
		*v |= (uint32_t)(in[*r] & 0x7f) << (7 * i);
		if (!(in[(*r)++] & 0x80))
			return true;
	}
	return false;
}

int xp_decompress(const uint8_t *in, size_t len, uint8_t *page)
{
	size_t r = 0, o = 0; /* read from in[r], write to page[o] */

	while (o < PAGE) {
		uint32_t head, dist;
		uint64_t word, step;
		size_t n, bytes;

		if (!get_varint(in, len, &r, &head))
			return -EINVAL;
		n = head >> 2;
		bytes = (head & 3) == OP_STEP ? n * 8 : n;
		if (!n || bytes > PAGE - o)
			return -EINVAL;
		switch (head & 3) {
		case OP_LIT:
			if (n > len - r)
				return -EINVAL;
			memcpy(page + o, in + r, n);
			r += n;
			break;
		case OP_FILL:
			if (r >= len)
				return -EINVAL;
			memset(page + o, in[r++], n);
			break;
		case OP_COPY:
			if (!get_varint(in, len, &r, &dist) || !dist ||
			    dist > o)
				return -EINVAL;
			/* Byte by byte if they overlap: a copy repeats. */
			if (dist >= n)
				memcpy(page + o, page + o - dist, n);
			else
				for (size_t k = 0; k < n; k++)
					page[o + k] = page[o + k - dist];
			break;
		case OP_STEP:
			if (len - r < 16)
				return -EINVAL;
			word = load64(in + r);
			step = load64(in + r + 8);
			r += 16;
			for (size_t k = 0; k < n; k++, word += step)
				store64(page + o + 8 * k, word);
			break;
		}
		o += bytes;
	}
	return r == len ? 0 : -EINVAL;
}
