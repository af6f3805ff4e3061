/*
 * zstd's entropy decoding (RFC 8878 4.1 and 4.2.1): the backward bit
 * stream, FSE tables from their descriptions or normalized counts, and
 * Huffman tables from their weights. See zstd_internal.h.
 */
#include "zstd_internal.h"
#include "libimage-env.h"

static unsigned int highbit(uint32_t v)
{
	return 31 - __builtin_clz(v);
}

/* Bits [lo, lo + n) of the little-endian number p[len], zero outside. */
static uint32_t bits_at(const uint8_t *p, size_t len, int64_t lo,
			unsigned int n)
{
	int64_t first = lo < 0 ? 0 : lo;
	size_t byte = first >> 3;
	unsigned int i, have;
	uint64_t v = 0;

	if (!n || lo + n <= 0 || byte >= len)
		return 0;
	for (i = 0; i < 8 && byte + i < len; i++)
		v |= (uint64_t)p[byte + i] << (8 * i);
	v >>= first & 7;
	have = n - (first - lo);
	return (v & ((1ULL << have) - 1)) << (first - lo);
}

int bs_init(struct bstream *b, const uint8_t *p, size_t len)
{
	if (!len || !p[len - 1])
		return -1;
	*b = (struct bstream){ p, len,
			       8 * (int64_t)(len - 1) + highbit(p[len - 1]) };
	return 0;
}

uint32_t bs_peek(const struct bstream *b, unsigned int n)
{
	return bits_at(b->p, b->len, b->pos - n, n);
}

uint32_t bs_read(struct bstream *b, unsigned int n)
{
	uint32_t v = bs_peek(b, n);

	b->pos -= n;
	return v;
}

void fse_rle(struct fse_table *t, uint8_t symbol)
{
	t->log = 0;
	t->e[0] = (struct fse_entry){ .symbol = symbol };
}

int fse_build(struct fse_table *t, const int16_t *norm, unsigned int nsym,
	      unsigned int log)
{
	unsigned int size = 1U << log, mask = size - 1, pos = 0, s, u,
		     total = 0;
	unsigned int step = (size >> 1) + (size >> 3) + 3;
	uint16_t next[FSE_MAX_SYMBOL + 1];
	int high = size - 1;

	if (log > FSE_MAX_LOG || nsym > FSE_MAX_SYMBOL + 1)
		return -1;
	for (s = 0; s < nsym; s++) {
		if (norm[s] < -1)
			return -1;
		total += norm[s] < 0 ? 1 : norm[s];
	}
	if (total != size)
		return -1;
	t->log = log;
	/* "Less than 1" symbols take the last states, one each. */
	for (s = 0; s < nsym; s++) {
		next[s] = norm[s] < 0 ? 1 : norm[s];
		if (norm[s] < 0)
			t->e[high--].symbol = s;
	}
	for (s = 0; s < nsym; s++) {
		int i;

		for (i = 0; i < norm[s]; i++) {
			t->e[pos].symbol = s;
			do
				pos = (pos + step) & mask;
			while ((int)pos > high);
		}
	}
	if (pos)
		return -1;
	for (u = 0; u < size; u++) {
		unsigned int n = next[t->e[u].symbol]++;
		unsigned int nbits = log - highbit(n);

		t->e[u].nbits = nbits;
		t->e[u].base = (n << nbits) - size;
	}
	return 0;
}

long fse_read(struct fse_table *t, const uint8_t *in, size_t len,
	      unsigned int max_symbol, unsigned int max_log)
{
	int16_t norm[FSE_MAX_SYMBOL + 1];
	unsigned int log, sym = 0, nbits;
	int remaining, threshold;
	int64_t bit = 4;

	if (!len || max_symbol > FSE_MAX_SYMBOL)
		return -1;
	log = (in[0] & 15) + 5;
	if (log > max_log)
		return -1;
	remaining = (1 << log) + 1;
	threshold = 1 << log;
	nbits = log + 1;
	while (remaining > 1) {
		uint32_t v = bits_at(in, len, bit, nbits);
		int max = 2 * threshold - 1 - remaining, count;

		if (sym > max_symbol)
			return -1;
		if ((int)(v & (threshold - 1)) < max) {
			count = v & (threshold - 1);
			bit += nbits - 1;
		} else {
			count = v & (2 * threshold - 1);
			if (count >= threshold)
				count -= max;
			bit += nbits;
		}
		count--; /* -1: a probability "less than 1" */
		remaining -= count < 0 ? -count : count;
		norm[sym++] = count;
		/* After a zero, 2-bit fields count more zeros; 3: go on. */
		while (!count) {
			unsigned int r = bits_at(in, len, bit, 2), k;

			bit += 2;
			if (sym + r > max_symbol + 1 || bit > 8 * (int64_t)len)
				return -1;
			for (k = 0; k < r; k++)
				norm[sym++] = 0;
			if (r != 3)
				break;
		}
		while (remaining < threshold) {
			nbits--;
			threshold >>= 1;
		}
		if (bit > 8 * (int64_t)len)
			return -1;
	}
	if (remaining != 1 || fse_build(t, norm, sym, log))
		return -1;
	return (bit + 7) / 8;
}

/* The weights' FSE table, for huf_read() (one at a time). */
static struct fse_table weight_table;

#define HUF_MAX_WEIGHT_LOG 6
#define MAX_WEIGHTS 255

/* Weights FSE-coded in in[len] into w: their number, or -1. */
static int fse_weights(const uint8_t *in, size_t len, uint8_t *w)
{
	const struct fse_table *t = &weight_table;
	unsigned int s[2], n = 0, i = 0;
	struct bstream b;
	long c;

	c = fse_read(&weight_table, in, len, 15, HUF_MAX_WEIGHT_LOG);
	if (c < 0 || bs_init(&b, in + c, len - c))
		return -1;
	s[0] = fse_init(t, &b);
	s[1] = fse_init(t, &b);
	/* Two states in turn; once the stream is overread, the other's last */
	for (;;) {
		if (n == MAX_WEIGHTS)
			return -1;
		w[n++] = t->e[s[i]].symbol;
		s[i] = fse_update(t, s[i], &b);
		i ^= 1;
		if (b.pos < 0) {
			if (n == MAX_WEIGHTS)
				return -1;
			w[n++] = t->e[s[i]].symbol;
			return n;
		}
	}
}

long huf_read(struct huf_table *h, const uint8_t *in, size_t len)
{
	uint8_t w[MAX_WEIGHTS + 1];
	unsigned int n, i, weight, pos = 0, max_bits, left;
	uint32_t total = 0;
	long used;
	int nw;

	if (!len)
		return -1;
	if (in[0] < 128) {
		used = 1 + in[0];
		if (!in[0] || (size_t)used > len)
			return -1;
		nw = fse_weights(in + 1, in[0], w);
		if (nw < 0)
			return -1;
		n = nw;
	} else {
		n = in[0] - 127;
		used = 1 + (n + 1) / 2;
		if ((size_t)used > len)
			return -1;
		for (i = 0; i < n; i++)
			w[i] = i & 1 ? in[1 + i / 2] & 15 : in[1 + i / 2] >> 4;
	}
	for (i = 0; i < n; i++) {
		if (w[i] > HUF_MAX_BITS)
			return -1;
		if (w[i])
			total += 1U << (w[i] - 1);
	}
	if (!total)
		return -1;
	max_bits = highbit(total) + 1;
	left = (1U << max_bits) - total;
	if (max_bits > HUF_MAX_BITS || (left & (left - 1)))
		return -1;
	/* The last symbol's weight makes the total a power of two. */
	w[n++] = highbit(left) + 1;
	h->max_bits = max_bits;
	/* Lowest weights (longest codes) first, symbols in order. */
	for (weight = 1; weight <= max_bits; weight++)
		for (i = 0; i < n; i++) {
			unsigned int j;

			if (w[i] != weight)
				continue;
			for (j = 0; j < 1U << (weight - 1); j++)
				h->e[pos + j] =
					(struct huf_entry){ i, max_bits + 1 -
								       weight };
			pos += 1U << (weight - 1);
		}
	return used;
}

int huf_decode(const struct huf_table *h, const uint8_t *in, size_t len,
	       uint8_t *out, size_t n)
{
	struct bstream b;
	size_t i;

	if (bs_init(&b, in, len))
		return -1;
	for (i = 0; i < n; i++) {
		const struct huf_entry *e = &h->e[bs_peek(&b, h->max_bits)];

		out[i] = e->symbol;
		b.pos -= e->nbits;
	}
	return b.pos == 0 ? 0 : -1;
}
