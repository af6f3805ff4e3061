/*
 * XXH64 with seed 0 (the xxHash specification), for zstd's content
 * checksum: the low 32 bits of the hash of a frame's output.
 */
#include "zstd_internal.h"

#define P1 0x9e3779b185ebca87ULL
#define P2 0xc2b2ae3d27d4eb4fULL
#define P3 0x165667b19e3779f9ULL
#define P4 0x85ebca77c2b2ae63ULL
#define P5 0x27d4eb2f165667c5ULL

static uint64_t rotl(uint64_t v, unsigned int n)
{
	return v << n | v >> (64 - n);
}

/* n little-endian bytes. */
static uint64_t get(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static uint64_t round64(uint64_t acc, uint64_t lane)
{
	return rotl(acc + lane * P2, 31) * P1;
}

static uint64_t merge(uint64_t acc, uint64_t v)
{
	return (acc ^ round64(0, v)) * P1 + P4;
}

uint64_t xxh64(const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	uint64_t acc;

	if (len >= 32) {
		uint64_t v[4] = { P1 + P2, P2, 0, -P1 };
		unsigned int i;

		for (; end - p >= 32; p += 32)
			for (i = 0; i < 4; i++)
				v[i] = round64(v[i], get(p + 8 * i, 8));
		acc = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) +
		      rotl(v[3], 18);
		for (i = 0; i < 4; i++)
			acc = merge(acc, v[i]);
	} else {
		acc = P5;
	}
	acc += len;
	for (; end - p >= 8; p += 8)
		acc = rotl(acc ^ round64(0, get(p, 8)), 27) * P1 + P4;
	if (end - p >= 4) {
		acc ^= get(p, 4) * P1;
		acc = rotl(acc, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		acc = rotl(acc ^ *p * P5, 11) * P1;
	acc ^= acc >> 33;
	acc *= P2;
	acc ^= acc >> 29;
	acc *= P3;
	return acc ^ acc >> 32;
}
