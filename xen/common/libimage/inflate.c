/*
 * gzip (RFC 1952) around deflate (RFC 1951): see decompress.h. Huffman
 * codes are decoded canonically, a bit at a time from the count of codes
 * of each length (small tables, no lookup tables to build or overrun).
 */
#include "decompress.h"
#include "libimage-env.h"

#define MAX_BITS 15
#define NR_LITLEN 288 /* 286 and 287 take part in the fixed code only */
#define NR_DIST 30
#define NR_CODELEN 19

struct huffman {
	uint16_t count[MAX_BITS + 1]; /* codes of each length */
	uint16_t symbol[NR_LITLEN]; /* symbols by code, shortest first */
};

struct inflate {
	const uint8_t *in;
	size_t in_len, pos; /* pos: the next byte to load into bits */
	uint32_t bits;
	unsigned int nbits;
	uint8_t *out;
	size_t out_len, len;
	char *why;
	size_t wsize;
	struct huffman lit, dist;
};

static int bad(struct inflate *s, const char *what)
{
	return refuse(-EINVAL, s->why, s->wsize, "gzip: %s", what);
}

/* n (<= 16) bits, least significant first; -1 past the input's end. */
static int32_t get(struct inflate *s, unsigned int n)
{
	uint32_t v;

	while (s->nbits < n) {
		if (s->pos == s->in_len)
			return -1;
		s->bits |= (uint32_t)s->in[s->pos++] << s->nbits;
		s->nbits += 8;
	}
	v = s->bits & ((1U << n) - 1);
	s->bits >>= n;
	s->nbits -= n;
	return v;
}

/*
 * The canonical code for lengths[n]: 0, or -1 if over-subscribed or
 * incomplete (allowed only for a lone code of one bit, as zlib does).
 */
static int build(struct huffman *h, const uint8_t *lengths, unsigned int n)
{
	uint16_t offs[MAX_BITS + 1];
	unsigned int i;
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (i = 0; i < n; i++)
		h->count[lengths[i]]++;
	if (h->count[0] == n)
		return 0; /* no codes: fails when used */
	for (i = 1; i <= MAX_BITS; i++) {
		left = (left << 1) - h->count[i];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (i = 1; i < MAX_BITS; i++)
		offs[i + 1] = offs[i] + h->count[i];
	for (i = 0; i < n; i++)
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = i;
	return left && !(h->count[1] == 1 && n - h->count[0] == 1) ? -1 : 0;
}

/* The next symbol of h, or -1 (no such code, or the input ended). */
static int decode(struct inflate *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;
	unsigned int len;

	for (len = 1; len <= MAX_BITS; len++) {
		int32_t bit = get(s, 1);

		if (bit < 0)
			return -1;
		code |= bit;
		if (code - h->count[len] < first)
			return h->symbol[index + (code - first)];
		index += h->count[len];
		first = (first + h->count[len]) << 1;
		code <<= 1;
	}
	return -1;
}

static const uint16_t len_base[29] = { 3,   4,	 5,   6,   7,  8,  9,  10,
				       11,  13,	 15,  17,  19, 23, 27, 31,
				       35,  43,	 51,  59,  67, 83, 99, 115,
				       131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
				       1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
				       4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[NR_DIST] = {
	1,    2,    3,	  4,	5,    7,    9,	  13,	 17,	25,
	33,   49,   65,	  97,	129,  193,  257,  385,	 513,	769,
	1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
};
static const uint8_t dist_extra[NR_DIST] = { 0,	 0,  0,	 0,  1,	 1, 2,	2,
					     3,	 3,  4,	 4,  5,	 5, 6,	6,
					     7,	 7,  8,	 8,  9,	 9, 10, 10,
					     11, 11, 12, 12, 13, 13 };

/* The symbols of one compressed block, up to its end code. */
static int codes(struct inflate *s)
{
	for (;;) {
		int sym = decode(s, &s->lit), dsym;
		int32_t extra;
		size_t len, dist;

		if (sym < 0)
			return bad(s, "a bad literal/length code (corrupt or "
				      "truncated)");
		if (sym < 256) {
			if (s->len == s->out_len)
				return bad(s, "more output than expected");
			s->out[s->len++] = sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return bad(s, "a length code out of range");
		extra = get(s, len_extra[sym]);
		dsym = decode(s, &s->dist);
		if (extra < 0 || dsym < 0)
			return bad(s, "a bad length or distance (corrupt or "
				      "truncated)");
		len = len_base[sym] + extra;
		if (dsym >= NR_DIST)
			return bad(s, "a distance code out of range");
		extra = get(s, dist_extra[dsym]);
		if (extra < 0)
			return bad(s, "a truncated distance");
		dist = dist_base[dsym] + extra;
		if (dist > s->len)
			return bad(s, "a distance before the start of the "
				      "output");
		if (len > s->out_len - s->len)
			return bad(s, "more output than expected");
		while (len--) {
			s->out[s->len] = s->out[s->len - dist];
			s->len++;
		}
	}
}

static int stored(struct inflate *s)
{
	size_t len;

	s->bits = 0; /* to the byte boundary */
	s->nbits = 0;
	if (s->in_len - s->pos < 4)
		return bad(s, "a truncated stored block");
	len = s->in[s->pos] | s->in[s->pos + 1] << 8;
	if ((len ^ 0xffff) !=
	    (size_t)(s->in[s->pos + 2] | s->in[s->pos + 3] << 8))
		return bad(s, "a stored block's length and its complement "
			      "differ");
	s->pos += 4;
	if (len > s->in_len - s->pos)
		return bad(s, "a truncated stored block");
	if (len > s->out_len - s->len)
		return bad(s, "more output than expected");
	memcpy(s->out + s->len, s->in + s->pos, len);
	s->pos += len;
	s->len += len;
	return 0;
}

static int fixed(struct inflate *s)
{
	uint8_t lengths[NR_LITLEN];
	unsigned int i;

	for (i = 0; i < NR_LITLEN; i++)
		lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	build(&s->lit, lengths, NR_LITLEN);
	memset(lengths, 5, NR_DIST);
	build(&s->dist, lengths, NR_DIST);
	return codes(s);
}

/* The code lengths of a dynamic block, themselves Huffman-coded. */
static int dynamic(struct inflate *s)
{
	static const uint8_t order[NR_CODELEN] = { 16, 17, 18, 0,  8, 7,  9,
						   6,  10, 5,  11, 4, 12, 3,
						   13, 2,  14, 1,  15 };
	uint8_t lengths[NR_LITLEN + NR_DIST] = { 0 };
	int32_t nlen = get(s, 5), ndist = get(s, 5), ncode = get(s, 4);
	unsigned int i = 0;

	if (nlen < 0 || ndist < 0 || ncode < 0)
		return bad(s, "a truncated block header");
	nlen += 257;
	ndist += 1;
	ncode += 4;
	if (nlen > 286 || ndist > NR_DIST)
		return bad(s, "too many length or distance codes");
	for (i = 0; i < (unsigned int)ncode; i++) {
		int32_t l = get(s, 3);

		if (l < 0)
			return bad(s, "a truncated block header");
		lengths[order[i]] = l;
	}
	if (build(&s->lit, lengths, NR_CODELEN))
		return bad(s, "a bad code-length code");
	memset(lengths, 0, NR_CODELEN);
	for (i = 0; i < (unsigned int)(nlen + ndist);) {
		int sym = decode(s, &s->lit);
		int32_t rep;
		uint8_t val = 0;

		if (sym < 0)
			return bad(s, "a bad code length (corrupt or "
				      "truncated)");
		if (sym < 16) {
			lengths[i++] = sym;
			continue;
		}
		if (sym == 16) {
			if (!i)
				return bad(s, "a repeat with no length before "
					      "it");
			val = lengths[i - 1];
			rep = get(s, 2);
			rep = rep < 0 ? rep : 3 + rep;
		} else if (sym == 17) {
			rep = get(s, 3);
			rep = rep < 0 ? rep : 3 + rep;
		} else {
			rep = get(s, 7);
			rep = rep < 0 ? rep : 11 + rep;
		}
		if (rep < 0)
			return bad(s, "a truncated block header");
		if (i + rep > (unsigned int)(nlen + ndist))
			return bad(s, "code lengths repeated past the end");
		while (rep--)
			lengths[i++] = val;
	}
	if (!lengths[256])
		return bad(s, "a block without an end code");
	if (build(&s->lit, lengths, nlen) ||
	    build(&s->dist, lengths + nlen, ndist))
		return bad(s, "an over-subscribed or incomplete code");
	return codes(s);
}

static int inflate_blocks(struct inflate *s)
{
	int32_t last, type;
	int rc;

	do {
		last = get(s, 1);
		type = get(s, 2);
		if (last < 0 || type < 0)
			return bad(s, "truncated (no last block)");
		if (type == 0)
			rc = stored(s);
		else if (type == 1)
			rc = fixed(s);
		else if (type == 2)
			rc = dynamic(s);
		else
			rc = bad(s, "a block of the reserved type 3");
		if (rc)
			return rc;
	} while (!last);
	return 0;
}

static uint32_t crc32(const uint8_t *p, size_t len)
{
	static uint32_t table[256];
	uint32_t crc = ~0U;
	size_t i;

	if (!table[1])
		for (i = 0; i < 256; i++) {
			uint32_t c = i;
			unsigned int k;

			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	for (i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

#define FHCRC 0x02
#define FEXTRA 0x04
#define FNAME 0x08
#define FCOMMENT 0x10
#define FRESERVED 0xe0
#define HEADER_LEN 10

/* Past a zero-terminated field: false if it runs off the end. */
static bool skip_string(struct inflate *s)
{
	while (s->pos < s->in_len)
		if (!s->in[s->pos++])
			return true;
	return false;
}

static int header(struct inflate *s)
{
	const uint8_t *in = s->in;
	uint8_t flags;

	if (s->in_len < HEADER_LEN || in[0] != 0x1f || in[1] != 0x8b)
		return bad(s, "not a gzip stream (magic 1f 8b)");
	if (in[2] != 8)
		return bad(s, "a compression method other than deflate");
	flags = in[3];
	if (flags & FRESERVED)
		return bad(s, "reserved header flags set");
	s->pos = HEADER_LEN;
	if (flags & FEXTRA) {
		size_t xlen;

		if (s->in_len - s->pos < 2)
			return bad(s, "a truncated header");
		xlen = in[s->pos] | in[s->pos + 1] << 8;
		s->pos += 2;
		if (xlen > s->in_len - s->pos)
			return bad(s, "a truncated header");
		s->pos += xlen;
	}
	if ((flags & FNAME && !skip_string(s)) ||
	    (flags & FCOMMENT && !skip_string(s)))
		return bad(s, "a truncated header");
	if (flags & FHCRC) {
		if (s->in_len - s->pos < 2)
			return bad(s, "a truncated header");
		s->pos += 2;
	}
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int gzip_decompress(const uint8_t *in, size_t in_len, size_t *in_used,
		    uint8_t *out, size_t out_len, size_t *produced, char *why,
		    size_t wsize)
{
	static struct inflate s; /* one at a time; too big for a stack */
	int rc;

	s = (struct inflate){ .in = in,
			      .in_len = in_len,
			      .out = out,
			      .out_len = out_len,
			      .why = why,
			      .wsize = wsize };
	rc = header(&s);
	if (!rc)
		rc = inflate_blocks(&s);
	*produced = s.len;
	if (rc)
		return rc;
	/* The trailer starts at the byte after the last block. */
	if (s.in_len - s.pos < 8)
		return bad(&s, "a truncated trailer");
	if (le32(in + s.pos) != crc32(out, s.len))
		return bad(&s, "the CRC-32 of the output does not match");
	if (le32(in + s.pos + 4) != (uint32_t)s.len)
		return bad(&s, "the output's size does not match the trailer");
	*in_used = s.pos + 8;
	return 0;
}
