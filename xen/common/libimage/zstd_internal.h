/*
 * zstd's entropy coding (RFC 8878), shared by zstd.c (frames, literals,
 * sequences) and zstd_entropy.c (the backward bit stream, FSE tables and
 * Huffman tables). Every reader is bounded by its input; a stream that
 * reads past its start is detected by a negative bit position.
 */
#ifndef LIBIMAGE_ZSTD_INTERNAL_H
#define LIBIMAGE_ZSTD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A backward bit stream: bytes p[len], whose last byte's highest set bit
 * ends it. Bits are read from the end towards p[0]; pos is the number of
 * bits left, negative once more were read than there were (those read as
 * zeros).
 */
struct bstream {
	const uint8_t *p;
	size_t len;
	int64_t pos;
};

/* 0, or -1 if the stream is empty or its last byte is 0. */
int bs_init(struct bstream *b, const uint8_t *p, size_t len);
/* The next n (<= 32) bits, the first read the most significant. */
uint32_t bs_read(struct bstream *b, unsigned int n);
/* The next n bits without consuming them. */
uint32_t bs_peek(const struct bstream *b, unsigned int n);

/* FSE decoding tables: up to 2^FSE_MAX_LOG states. */
#define FSE_MAX_LOG 9
#define FSE_MAX_SYMBOL 52

struct fse_entry {
	uint8_t symbol;
	uint8_t nbits;
	uint16_t base;
};

struct fse_table {
	unsigned int log;
	struct fse_entry e[1 << FSE_MAX_LOG];
};

/*
 * Read a table description (RFC 8878 4.1.1) from in[len] with symbols up
 * to max_symbol and an accuracy log up to max_log, and build its table:
 * the bytes it took, or -1 if corrupt.
 */
long fse_read(struct fse_table *t, const uint8_t *in, size_t len,
	      unsigned int max_symbol, unsigned int max_log);
/* Build from normalized counts (-1: "less than 1"): 0 or -1. */
int fse_build(struct fse_table *t, const int16_t *norm, unsigned int nsym,
	      unsigned int log);
/* A table of one symbol (RLE mode). */
void fse_rle(struct fse_table *t, uint8_t symbol);

static inline unsigned int fse_init(const struct fse_table *t,
				    struct bstream *b)
{
	return bs_read(b, t->log);
}

static inline unsigned int fse_update(const struct fse_table *t,
				      unsigned int state, struct bstream *b)
{
	const struct fse_entry *e = &t->e[state];

	return e->base + bs_read(b, e->nbits);
}

/* Huffman tables for literals: codes up to HUF_MAX_BITS. */
#define HUF_MAX_BITS 11

struct huf_entry {
	uint8_t symbol;
	uint8_t nbits;
};

struct huf_table {
	unsigned int max_bits; /* 0: no table yet */
	struct huf_entry e[1 << HUF_MAX_BITS];
};

/*
 * Read a Huffman tree description (RFC 8878 4.2.1) from in[len] and build
 * the table: the bytes it took, or -1 if corrupt.
 */
long huf_read(struct huf_table *h, const uint8_t *in, size_t len);

/* Decode n symbols of one stream in[len] into out: 0, or -1 if corrupt. */
int huf_decode(const struct huf_table *h, const uint8_t *in, size_t len,
	       uint8_t *out, size_t n);

/* XXH64 of p[len] with seed 0 (xxh64.c): zstd's checksum is its low half */
uint64_t xxh64(const uint8_t *p, size_t len);

#endif
