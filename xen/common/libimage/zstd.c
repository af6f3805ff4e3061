/*
 * zstd frames (RFC 8878): raw, RLE and compressed blocks; literals raw,
 * RLE or Huffman-coded (one or four streams, or the previous block's
 * table); sequences with predefined, RLE, FSE-described or repeated
 * tables, and repeat offsets. Frames that need a dictionary are refused;
 * the content checksum is skipped, the content size checked. See
 * decompress.h; the entropy decoding is in zstd_entropy.c.
 */
#include "decompress.h"
#include "libimage-env.h"
#include "zstd_internal.h"

#define ZSTD_MAGIC 0xfd2fb528U
#define SKIPPABLE_MAGIC 0x184d2a50U /* the low 4 bits are free */
#define BLOCK_MAX (128U << 10)
#define LL_MAX 35
#define ML_MAX 52
#define OF_MAX 31
#define LL_LOG_MAX 9
#define ML_LOG_MAX 9
#define OF_LOG_MAX 8

enum { BLOCK_RAW, BLOCK_RLE, BLOCK_COMPRESSED };
enum { LIT_RAW, LIT_RLE, LIT_COMPRESSED, LIT_TREELESS };
enum { MODE_PREDEFINED, MODE_RLE, MODE_FSE, MODE_REPEAT };

struct zstd {
	const uint8_t *in;
	size_t in_len, pos;
	uint8_t *out;
	size_t out_len, len, frame_start;
	uint32_t rep[3];
	/* Kept from block to block within a frame (repeat modes). */
	struct huf_table huf;
	struct fse_table ll, of, ml;
	bool have_ll, have_of, have_ml;
	const uint8_t *lits; /* the block's literals not yet used */
	size_t nlits;
	uint8_t lit[BLOCK_MAX];
	char *why;
	size_t wsize;
};

/* The predefined distributions (RFC 8878 3.1.1.3.2.2). */
static const int16_t ll_default[LL_MAX + 1] = {
	4,  3,	2,  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, /* 0-15 */
	2,  2,	2,  2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, /* 16-31 */
	-1, -1, -1, -1 /* 32-35 */
};
static const int16_t ml_default[ML_MAX + 1] = {
	1,  4,	3,  2,	2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1,  1, /* 0-15 */
	1,  1,	1,  1,	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, /* 16-31 */
	1,  1,	1,  1,	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, /* 32-47 */
	-1, -1, -1, -1, -1 /* 48-52 */
};
static const int16_t of_default[29] = {
	1, 1, 1, 1, 1, 1, 2, 2, 2,  1,	1,  1,	1, 1, 1, 1, /* 0-15 */
	1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1 /* 16-28 */
};

/* Literal and match length codes: baselines and extra bits. */
static const uint32_t ll_base[LL_MAX + 1] = {
	0,  1,	2,   3,	  4,   5,    6,	   7,	 8,    9,     10,    11,
	12, 13, 14,  15,  16,  18,   20,   22,	 24,   28,    32,    40,
	48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536
};
static const uint8_t ll_bits[LL_MAX + 1] = { 0, 0, 0,  0,  0,  0,  0,  0,  0,
					     0, 0, 0,  0,  0,  0,  0,  1,  1,
					     1, 1, 2,  2,  3,  3,  4,  6,  7,
					     8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint32_t ml_base[ML_MAX + 1] = {
	3,   4,	  5,	6,    7,    8,	  9,	 10,	11,   12, 13,
	14,  15,  16,	17,   18,   19,	  20,	 21,	22,   23, 24,
	25,  26,  27,	28,   29,   30,	  31,	 32,	33,   34, 35,
	37,  39,  41,	43,   47,   51,	  59,	 67,	83,   99, 131,
	259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539
};
static const uint8_t ml_bits[ML_MAX + 1] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0,  0,  0,  0,  0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0,  0,  1,  1,  1, 1,
	2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
};

static int bad(struct zstd *z, const char *what)
{
	return refuse(-EINVAL, z->why, z->wsize, "zstd: %s (at input byte %zu)",
		      what, z->pos);
}

static uint32_t le(const uint8_t *p, unsigned int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Raw or RLE literals: the header's bytes, or -1. */
static long plain_literals(struct zstd *z, const uint8_t *p, size_t n)
{
	unsigned int sf = p[0] >> 2 & 3, hl = sf == 1 ? 2 : sf == 3 ? 3 : 1;
	size_t regen;

	if (n < hl)
		return -1;
	regen = hl == 1 ? p[0] >> 3u :
		hl == 2 ? (p[0] >> 4u) + ((size_t)p[1] << 4) :
			  (p[0] >> 4u) + ((size_t)p[1] << 4) +
				  ((size_t)p[2] << 12);
	if (regen > BLOCK_MAX)
		return -1;
	z->nlits = regen;
	if ((p[0] & 3) == LIT_RAW) {
		if (regen > n - hl)
			return -1;
		z->lits = p + hl;
		return hl + regen;
	}
	if (n < hl + 1)
		return -1;
	memset(z->lit, p[hl], regen);
	z->lits = z->lit;
	return hl + 1;
}

/* Huffman-coded literals in q[qn], regen of them, in 1 or 4 streams. */
static int huf_literals(struct zstd *z, const uint8_t *q, size_t qn,
			size_t regen, bool four)
{
	size_t seg = (regen + 3) / 4, sizes[4], i, done = 0;

	if (!four)
		return huf_decode(&z->huf, q, qn, z->lit, regen);
	if (qn < 6 || 3 * seg > regen)
		return -1;
	sizes[0] = le(q, 2);
	sizes[1] = le(q + 2, 2);
	sizes[2] = le(q + 4, 2);
	q += 6;
	qn -= 6;
	if (sizes[0] + sizes[1] + sizes[2] > qn)
		return -1;
	sizes[3] = qn - sizes[0] - sizes[1] - sizes[2];
	for (i = 0; i < 4; i++) {
		size_t count = i < 3 ? seg : regen - 3 * seg;

		if (huf_decode(&z->huf, q, sizes[i], z->lit + done, count))
			return -1;
		q += sizes[i];
		done += count;
	}
	return 0;
}

/* The literals section: its size, or -1. */
static long literals(struct zstd *z, const uint8_t *p, size_t n)
{
	unsigned int type = p[0] & 3, sf = p[0] >> 2 & 3;
	unsigned int hl = sf < 2 ? 3 : sf + 2;
	size_t regen, comp;
	uint32_t v;
	long c = 0;

	if (type == LIT_RAW || type == LIT_RLE)
		return plain_literals(z, p, n);
	if (n < hl)
		return -1;
	v = le(p, hl < 4 ? hl : 4);
	if (hl == 3) {
		regen = v >> 4 & 0x3ff;
		comp = v >> 14 & 0x3ff;
	} else if (hl == 4) {
		regen = v >> 4 & 0x3fff;
		comp = v >> 18 & 0x3fff;
	} else {
		regen = v >> 4 & 0x3ffff;
		comp = v >> 22 | (size_t)p[4] << 10;
	}
	if (regen > BLOCK_MAX || comp > n - hl)
		return -1;
	if (type == LIT_COMPRESSED) {
		c = huf_read(&z->huf, p + hl, comp);
		if (c < 0)
			return -1;
	} else if (!z->huf.max_bits) {
		return -1; /* treeless, with no earlier table */
	}
	if (huf_literals(z, p + hl + c, comp - c, regen, sf != 0))
		return -1;
	z->lits = z->lit;
	z->nlits = regen;
	return hl + comp;
}

/* One of the three tables of the sequences section: bytes taken, or -1 */
static long seq_table(struct fse_table *t, bool *have, unsigned int mode,
		      const uint8_t *p, size_t n, const int16_t *def,
		      unsigned int ndef, unsigned int def_log,
		      unsigned int max_symbol, unsigned int max_log)
{
	long c = 0;

	switch (mode) {
	case MODE_PREDEFINED:
		c = fse_build(t, def, ndef, def_log);
		break;
	case MODE_RLE:
		if (!n || p[0] > max_symbol)
			return -1;
		fse_rle(t, p[0]);
		c = 1;
		break;
	case MODE_FSE:
		c = fse_read(t, p, n, max_symbol, max_log);
		break;
	default:
		if (!*have)
			return -1;
	}
	if (c >= 0)
		*have = true;
	return c;
}

/* The offset a sequence's offset value names, updating the history. */
static uint32_t offset_of(struct zstd *z, uint32_t ofv, uint32_t ll)
{
	uint32_t *rep = z->rep, off;
	unsigned int idx;

	if (ofv > 3) {
		off = ofv - 3;
	} else {
		/* With no literals, the repeat offsets shift by one. */
		idx = ofv - 1 + !ll;
		if (!idx)
			return rep[0];
		off = idx == 3 ? rep[0] - 1 : rep[idx];
		if (idx == 1) {
			rep[1] = rep[0];
			rep[0] = off;
			return off;
		}
	}
	rep[2] = rep[1];
	rep[1] = rep[0];
	rep[0] = off;
	return off;
}

/* Literals, then a match: 0 or -1. */
static int execute(struct zstd *z, size_t ll, size_t ml, size_t off)
{
	uint8_t *dst = z->out + z->len;

	if (ll > z->nlits || ll > z->out_len - z->len ||
	    ml > z->out_len - z->len - ll)
		return -1;
	memcpy(dst, z->lits, ll);
	z->lits += ll;
	z->nlits -= ll;
	z->len += ll;
	dst += ll;
	if (!off || off > z->len - z->frame_start)
		return -1;
	if (off >= ml) {
		memcpy(dst, dst - off, ml);
	} else {
		size_t i;

		for (i = 0; i < ml; i++)
			dst[i] = dst[i - off];
	}
	z->len += ml;
	return 0;
}

/* The literals left over end the block. */
static int literals_only(struct zstd *z)
{
	if (z->nlits > z->out_len - z->len)
		return bad(z, "more output than expected");
	memcpy(z->out + z->len, z->lits, z->nlits);
	z->len += z->nlits;
	z->nlits = 0;
	return 0;
}

static int decode_sequences(struct zstd *z, struct bstream *b, uint32_t nseq)
{
	unsigned int lls = fse_init(&z->ll, b), ofs = fse_init(&z->of, b);
	unsigned int mls = fse_init(&z->ml, b);
	uint32_t i;

	for (i = 0; i < nseq; i++) {
		unsigned int ofc = z->of.e[ofs].symbol;
		unsigned int mlc = z->ml.e[mls].symbol;
		unsigned int llc = z->ll.e[lls].symbol;
		uint32_t ofv, ml, ll, off;

		if (ofc > OF_MAX)
			return bad(z, "an offset code out of range");
		ofv = (1U << ofc) + bs_read(b, ofc);
		ml = ml_base[mlc] + bs_read(b, ml_bits[mlc]);
		ll = ll_base[llc] + bs_read(b, ll_bits[llc]);
		if (i + 1 < nseq) {
			lls = fse_update(&z->ll, lls, b);
			mls = fse_update(&z->ml, mls, b);
			ofs = fse_update(&z->of, ofs, b);
		}
		off = offset_of(z, ofv, ll);
		if (execute(z, ll, ml, off))
			return bad(z, "a sequence beyond its literals, the "
				      "output so far or the expected size");
	}
	if (b->pos)
		return bad(z, "the sequences' bit stream does not end where "
			      "it should");
	return 0;
}

/* The sequences section p[n], after the literals: 0 or -EINVAL. */
static int sequences(struct zstd *z, const uint8_t *p, size_t n)
{
	size_t used = 1;
	uint32_t nseq;
	unsigned int modes;
	struct bstream b;
	long c;

	if (!n)
		return bad(z, "a block without its sequences section");
	nseq = p[0];
	if (p[0] >= 128 && p[0] < 255) {
		if (n < 2)
			return bad(z, "a truncated sequences header");
		nseq = ((p[0] - 128) << 8) + p[1];
		used = 2;
	} else if (p[0] == 255) {
		if (n < 3)
			return bad(z, "a truncated sequences header");
		nseq = p[1] + (p[2] << 8) + 0x7f00;
		used = 3;
	}
	if (!nseq && used != n)
		return bad(z, "bytes after an empty sequences section");
	if (!nseq)
		return literals_only(z);
	if (used == n)
		return bad(z, "a truncated sequences header");
	modes = p[used++];
	if (modes & 3)
		return bad(z, "reserved bits set in the sequences header");
	c = seq_table(&z->ll, &z->have_ll, modes >> 6, p + used, n - used,
		      ll_default, LL_MAX + 1, 6, LL_MAX, LL_LOG_MAX);
	if (c >= 0) {
		used += c;
		c = seq_table(&z->of, &z->have_of, modes >> 4 & 3, p + used,
			      n - used, of_default, 29, 5, OF_MAX, OF_LOG_MAX);
	}
	if (c >= 0) {
		used += c;
		c = seq_table(&z->ml, &z->have_ml, modes >> 2 & 3, p + used,
			      n - used, ml_default, ML_MAX + 1, 6, ML_MAX,
			      ML_LOG_MAX);
	}
	if (c < 0)
		return bad(z, "a corrupt sequence table");
	used += c;
	if (used > n || bs_init(&b, p + used, n - used))
		return bad(z, "a corrupt sequences bit stream");
	if (decode_sequences(z, &b, nseq))
		return -EINVAL;
	return literals_only(z);
}

static int compressed_block(struct zstd *z, const uint8_t *p, size_t n)
{
	long lit;

	if (n > BLOCK_MAX)
		return bad(z, "a compressed block over 128 KiB");
	if (!n)
		return bad(z, "an empty compressed block");
	lit = literals(z, p, n);
	if (lit < 0)
		return bad(z, "a corrupt literals section");
	return sequences(z, p + lit, n - lit);
}

static int blocks(struct zstd *z)
{
	bool last = false;

	while (!last) {
		uint32_t bh, size;
		unsigned int type;
		int rc = 0;

		if (z->in_len - z->pos < 3)
			return bad(z, "truncated (no last block)");
		bh = le(z->in + z->pos, 3);
		z->pos += 3;
		last = bh & 1;
		type = bh >> 1 & 3;
		size = bh >> 3;
		if (type == BLOCK_RLE ? z->pos == z->in_len :
					size > z->in_len - z->pos)
			return bad(z, "a truncated block");
		if (type != BLOCK_COMPRESSED && size > z->out_len - z->len)
			return bad(z, "more output than expected");
		if (type == BLOCK_RAW) {
			memcpy(z->out + z->len, z->in + z->pos, size);
			z->len += size;
		} else if (type == BLOCK_RLE) {
			memset(z->out + z->len, z->in[z->pos], size);
			z->len += size;
			size = 1;
		} else if (type == BLOCK_COMPRESSED) {
			rc = compressed_block(z, z->in + z->pos, size);
		} else {
			rc = bad(z, "a block of the reserved type");
		}
		if (rc)
			return rc;
		z->pos += size;
	}
	return 0;
}

static int frame(struct zstd *z)
{
	static const uint8_t did_len[4] = { 0, 1, 2, 4 };
	static const uint8_t fcs_len[4] = { 0, 2, 4, 8 };
	const uint8_t *p = z->in + z->pos;
	size_t left = z->in_len - z->pos, hl, fcs_at;
	unsigned int fhd, fcs_size;
	uint64_t fcs = 0;
	int rc;

	if (left < 4)
		return bad(z, "truncated frame magic");
	if ((le(p, 4) & ~0xfU) == SKIPPABLE_MAGIC) {
		if (left < 8 || le(p + 4, 4) > left - 8)
			return bad(z, "a truncated skippable frame");
		z->pos += 8 + le(p + 4, 4);
		return 0;
	}
	if (le(p, 4) != ZSTD_MAGIC)
		return bad(z, "not a zstd frame (magic 28 b5 2f fd)");
	if (left < 5)
		return bad(z, "a truncated frame header");
	fhd = p[4];
	if (fhd & 8)
		return bad(z, "the frame header's reserved bit is set");
	fcs_size = fhd >> 6 ? fcs_len[fhd >> 6] : fhd & 0x20 ? 1 : 0;
	fcs_at = 5 + !(fhd & 0x20) + did_len[fhd & 3];
	hl = fcs_at + fcs_size;
	if (left < hl)
		return bad(z, "a truncated frame header");
	if (fhd & 3 && le(p + fcs_at - did_len[fhd & 3], did_len[fhd & 3]))
		return bad(z, "a frame that needs a dictionary");
	if (fcs_size == 8)
		fcs = le(p + fcs_at, 4) | (uint64_t)le(p + fcs_at + 4, 4) << 32;
	else if (fcs_size)
		fcs = le(p + fcs_at, fcs_size) + (fcs_size == 2 ? 256 : 0);
	z->pos += hl;
	z->frame_start = z->len;
	z->rep[0] = 1;
	z->rep[1] = 4;
	z->rep[2] = 8;
	z->huf.max_bits = 0;
	z->have_ll = z->have_of = z->have_ml = false;
	rc = blocks(z);
	if (rc)
		return rc;
	if (fhd & 4) {
		if (z->in_len - z->pos < 4)
			return bad(z, "a truncated content checksum");
		if (le(z->in + z->pos, 4) !=
		    (uint32_t)xxh64(z->out + z->frame_start,
				    z->len - z->frame_start))
			return bad(z, "the content checksum does not match");
		z->pos += 4;
	}
	if (fcs_size && fcs != z->len - z->frame_start)
		return bad(z, "the frame's content size does not match its "
			      "output");
	return 0;
}

int zstd_decompress(const uint8_t *in, size_t in_len, size_t *in_used,
		    uint8_t *out, size_t out_len, size_t *produced, char *why,
		    size_t wsize)
{
	static struct zstd z; /* one at a time; too big for a stack */
	int rc = 0;

	z.in = in;
	z.in_len = in_len;
	z.pos = 0;
	z.out = out;
	z.out_len = out_len;
	z.len = 0;
	z.why = why;
	z.wsize = wsize;
	do
		rc = frame(&z);
	while (!rc && z.pos < in_len);
	*produced = z.len;
	*in_used = z.pos;
	return rc;
}
