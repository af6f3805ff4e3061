/*
 * xen/common/libimage/{zstd,zstd_entropy,xxh64,lz4,inflate,decompress}.c:
 * the decompressors for a bzImage's payload, against streams the real
 * tools make at test time (zstd, lz4 -l, gzip at several levels, small and
 * large inputs). Every stream round-trips byte for byte; a stream cut
 * short at any point is an error; a stream with any byte changed is an
 * error or (where the change does not matter, like zstd's window size)
 * the same output, never a read or write out of bounds (ASan watches);
 * formats that are not decompressed are named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <decompress.h>
#include <xen/errno.h>

#include "harness.h"
#include "run_tool.h"

static char why[200];

/*
 * n bytes that compress like a kernel: runs of words from a small
 * vocabulary (matches near and far, repeat offsets), stretches of random
 * bytes (literals, raw blocks) and zeros (RLE).
 */
static uint8_t *make_data(size_t n, uint64_t seed)
{
	static const char *const words[] = { "the ",	 "kernel ", "page ",
					     "table ",	 "entry ",  "0x1000 ",
					     "mov %rax", "\n",	    "struct " };
	uint8_t *p = malloc(n ? n : 1);
	uint64_t s = seed | 1;
	size_t i = 0;

	while (i < n) {
		unsigned int kind = rnd_below(&s, 8), len = rnd_below(&s, 400);

		for (; len-- && i < n; i++) {
			if (kind == 0)
				p[i] = rnd(&s);
			else if (kind == 1)
				p[i] = 0;
			else {
				const char *w = words[(i / 7 + kind) % 9];

				p[i] = w[i % strlen(w)];
			}
		}
		for (len = rnd_below(&s, 60); len-- && i < n; i++) {
			const char *w = words[rnd_below(&s, 9)];

			p[i] = w[rnd_below(&s, strlen(w))];
		}
	}
	return p;
}

/* Compress n bytes of data with cmd, decompress them, compare. */
static void roundtrip(const char *cmd, size_t n, uint64_t seed)
{
	uint8_t *data = make_data(n, seed), *comp, *out = malloc(n + 1);
	size_t clen, used = 0, produced = 0;
	int rc;

	comp = run_tool(cmd, data, n, &clen);
	rc = decompress(comp, clen, &used, out, n, &produced, why, sizeof(why));
	if (rc)
		FAIL("%s, %zu bytes: %d: %s", cmd, n, rc, why);
	CHECK_EQ(produced, n);
	CHECK_EQ(used, clen);
	if (memcmp(out, data, n))
		FAIL("%s, %zu bytes: the output differs", cmd, n);
	free(data);
	free(comp);
	free(out);
}

/* Up to a few blocks of each kind; the slow levels get the small ones. */
static const size_t sizes[] = { 0, 1, 100, 5000, 200000, 1500000 };
#define NR_SIZES (sizeof(sizes) / sizeof(sizes[0]))

TEST(zstd_roundtrip_levels_and_sizes)
{
	static const char *const cmds[] = {
		"zstd -q -c -1",
		"zstd -q -c -3",
		"zstd -q -c -9 --no-check",
		"zstd -q -c -5 --no-content-size",
		"zstd -q -c -19",
	};
	unsigned int c, i;

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		for (i = 0; i < NR_SIZES - (c == 4); i++)
			roundtrip(cmds[c], sizes[i], 1000 + i);
}

/* The kernel's own setting (--ultra -22: the largest window). */
TEST(zstd_roundtrip_ultra_22)
{
	roundtrip("zstd -q -c --ultra -22", 600000, 7);
}

TEST(lz4_legacy_roundtrip_levels_and_sizes)
{
	unsigned int i;

	for (i = 0; i < NR_SIZES; i++) {
		roundtrip("lz4 -l -q -c -1", sizes[i], 2000 + i);
		roundtrip("lz4 -l -q -c -9", sizes[i], 2000 + i);
	}
	/* Over 8 MiB: more than one block. */
	roundtrip("lz4 -l -q -c -1", 9 << 20, 11);
}

TEST(gzip_roundtrip_levels_and_sizes)
{
	unsigned int i;

	for (i = 0; i < NR_SIZES; i++) {
		roundtrip("gzip -c -1", sizes[i], 3000 + i);
		roundtrip("gzip -c -6", sizes[i], 3000 + i);
		roundtrip("gzip -c -9 -n", sizes[i], 3000 + i);
	}
}

/* Stored blocks (incompressible input) and a file name in the header. */
TEST(gzip_stored_blocks_and_header_fields)
{
	uint8_t *data = malloc(100000), *comp, *out = malloc(100000);
	char dir[] = "/tmp/unit-gzip-XXXXXX", cmd[300];
	size_t clen, used, produced, i;
	uint64_t s = 5;
	FILE *f;

	for (i = 0; i < 100000; i++)
		data[i] = rnd(&s);
	comp = run_tool("gzip -c -9", data, 100000, &clen);
	CHECK_EQ(decompress(comp, clen, &used, out, 100000, &produced, why,
			    sizeof(why)),
		 0);
	CHECK(!memcmp(out, data, 100000));
	free(comp);
	/* gzip FILE stores FNAME (flag 0x08). */
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd), "%s/some-file-name", dir);
	f = fopen(cmd, "wb");
	fwrite(data, 1, 5000, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gzip -c %s/some-file-name; rm -r %s", dir,
		 dir);
	comp = run_tool(cmd, data, 0, &clen);
	CHECK(comp[3] & 0x08);
	CHECK_EQ(decompress(comp, clen, &used, out, 100000, &produced, why,
			    sizeof(why)),
		 0);
	CHECK_EQ(produced, 5000);
	CHECK(!memcmp(out, data, 5000));
	free(comp);
	free(data);
	free(out);
}

/* Two zstd frames back to back, and a skippable frame before them. */
TEST(zstd_concatenated_and_skippable_frames)
{
	uint8_t *data = make_data(30000, 3), *a, *b, *in, out[30000];
	size_t alen, blen, used, produced;
	static const uint8_t skip[] = { 0x5a, 0x2a, 0x4d, 0x18, 3,  0,
					0,    0,    'a',  'b',	'c' };

	a = run_tool("zstd -q -c -3", data, 10000, &alen);
	b = run_tool("zstd -q -c -3", data + 10000, 20000, &blen);
	in = malloc(sizeof(skip) + alen + blen);
	memcpy(in, skip, sizeof(skip));
	memcpy(in + sizeof(skip), a, alen);
	memcpy(in + sizeof(skip) + alen, b, blen);
	CHECK_EQ(decompress(in, sizeof(skip) + alen + blen, &used, out,
			    sizeof(out), &produced, why, sizeof(why)),
		 0);
	CHECK_EQ(produced, 30000);
	CHECK(!memcmp(out, data, 30000));
	free(data);
	free(a);
	free(b);
	free(in);
}

/*
 * Cut the stream at many points and change many bytes: an error with a
 * message, or (for a change that does not matter) the same output; lz4's
 * legacy frame has no end mark or checksum, so a cut at a block boundary
 * is a shorter stream and a changed literal goes unseen there.
 */
static void hostile(const char *cmd, size_t n, bool checked)
{
	uint8_t *data = make_data(n, 99), *comp, *bad;
	uint8_t *out = malloc(n);
	size_t clen, cut, used, produced, step;
	uint64_t s = 17;
	unsigned int i;
	int rc;

	comp = run_tool(cmd, data, n, &clen);
	bad = malloc(clen);
	step = clen / 300 + 1;
	for (cut = 0; cut < clen; cut += step) {
		/* The cut stream alone in its buffer: ASan sees overreads. */
		uint8_t *cut_copy = malloc(cut ? cut : 1);

		memcpy(cut_copy, comp, cut);
		why[0] = 0;
		rc = decompress(cut_copy, cut, &used, out, n, &produced, why,
				sizeof(why));
		if (checked && (rc != -EINVAL || !why[0]))
			FAIL("%s cut at %zu of %zu: %d", cmd, cut, clen, rc);
		if (!checked && !rc && produced == n)
			FAIL("%s cut at %zu of %zu: all the output", cmd, cut,
			     clen);
		free(cut_copy);
	}
	for (i = 0; i < 600; i++) {
		size_t at = rnd_below(&s, clen);

		memcpy(bad, comp, clen);
		bad[at] ^= 1 + rnd_below(&s, 255);
		rc = decompress(bad, clen, &used, out, n, &produced, why,
				sizeof(why));
		if (checked && !rc && (produced != n || memcmp(out, data, n)))
			FAIL("%s: byte %zu changed: wrong output, no error",
			     cmd, at);
	}
	free(data);
	free(comp);
	free(bad);
	free(out);
}

TEST(zstd_truncated_and_corrupt)
{
	hostile("zstd -q -c -19", 200000, true);
	hostile("zstd -q -c -1", 3000, true);
}

TEST(gzip_truncated_and_corrupt)
{
	hostile("gzip -c -9", 200000, true);
	hostile("gzip -c -1", 3000, true);
}

TEST(lz4_truncated_and_corrupt)
{
	hostile("lz4 -l -q -c -9", 200000, false);
}

/* Too small an output buffer: an error, and nothing written past it. */
TEST(decompress_output_too_small)
{
	static const char *const cmds[] = { "zstd -q -c -3 --no-content-size",
					    "lz4 -l -q -c", "gzip -c" };
	uint8_t *data = make_data(50000, 4), *comp, *out = malloc(49999);
	size_t clen, used, produced;
	unsigned int c;

	for (c = 0; c < 3; c++) {
		comp = run_tool(cmds[c], data, 50000, &clen);
		CHECK_EQ(decompress(comp, clen, &used, out, 49999, &produced,
				    why, sizeof(why)),
			 -EINVAL);
		CHECK(strstr(why, "more output than") ||
		      strstr(why, "content size"));
		free(comp);
	}
	free(data);
	free(out);
}

/* Hand-made streams that break one rule each. */
TEST(decompress_hand_made_bad_streams)
{
	/* zstd: a dictionary id (flag 1, id 7). */
	static const uint8_t zdict[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x21,
					 0x07, 0x01, 0x01, 0x00, 0x00 };
	/* lz4: a match at offset 0, and one before the block's start. */
	static const uint8_t lz_off0[] = { 0x02, 0x21, 0x4c, 0x18, 5, 0,   0,
					   0,	 0x10, 'a',  0,	   0, 0x00 };
	static const uint8_t lz_far[] = { 0x02, 0x21, 0x4c, 0x18, 5, 0,	  0,
					  0,	0x10, 'a',  2,	  0, 0x00 };
	/* gzip: a block of the reserved type 3. */
	static const uint8_t gz_type3[] = { 0x1f, 0x8b, 8, 0,	 0, 0, 0,
					    0,	  0,	3, 0x07, 0, 0, 0 };
	uint8_t out[64];
	size_t used, produced;

	CHECK_EQ(decompress(zdict, sizeof(zdict), &used, out, sizeof(out),
			    &produced, why, sizeof(why)),
		 -EINVAL);
	CHECK(strstr(why, "dictionary"));
	CHECK_EQ(decompress(lz_off0, sizeof(lz_off0), &used, out, sizeof(out),
			    &produced, why, sizeof(why)),
		 -EINVAL);
	CHECK(strstr(why, "offset (0)"));
	CHECK_EQ(decompress(lz_far, sizeof(lz_far), &used, out, sizeof(out),
			    &produced, why, sizeof(why)),
		 -EINVAL);
	CHECK(strstr(why, "before the start"));
	CHECK_EQ(decompress(gz_type3, sizeof(gz_type3), &used, out, sizeof(out),
			    &produced, why, sizeof(why)),
		 -EINVAL);
	CHECK(strstr(why, "reserved type 3"));
}

/*
 * xz and lzma (made by xz, which the build needs anyway), bzip2 and lzo
 * (their magic numbers): named.
 */
TEST(decompress_unsupported_formats_named)
{
	static const char *const cmds[] = { "xz -c", "xz -c --format=lzma" };
	static const char *const names[] = { "xz", "lzma" };
	static const uint8_t bzip2[] = { 'B', 'Z', 'h', '9', '1', 'A', 'Y' };
	static const uint8_t lzo[] = { 0x89, 'L', 'Z', 'O', 0, 0x0d, 0x0a };
	uint8_t *data = make_data(1000, 5), *comp, out[1000];
	size_t clen, used, produced;
	unsigned int c;

	for (c = 0; c < 2; c++) {
		comp = run_tool(cmds[c], data, 1000, &clen);
		CHECK_EQ(compression_of(comp, clen), COMP_XZ + c);
		CHECK_EQ(decompress(comp, clen, &used, out, sizeof(out),
				    &produced, why, sizeof(why)),
			 -EINVAL);
		CHECK(!strncmp(why, names[c], strlen(names[c])));
		CHECK(strstr(why, "not supported"));
		free(comp);
	}
	CHECK_EQ(decompress(bzip2, sizeof(bzip2), &used, out, sizeof(out),
			    &produced, why, sizeof(why)),
		 -EINVAL);
	CHECK_STR_EQ(why, "bzip2: not supported (gzip, zstd and lz4 are)");
	CHECK_EQ(decompress(lzo, sizeof(lzo), &used, out, sizeof(out),
			    &produced, why, sizeof(why)),
		 -EINVAL);
	CHECK_STR_EQ(why, "lzo: not supported (gzip, zstd and lz4 are)");
	CHECK_EQ(decompress(out, 0, &used, out, sizeof(out), &produced, why,
			    sizeof(why)),
		 -EINVAL);
	CHECK(strstr(why, "unknown format"));
	free(data);
}
