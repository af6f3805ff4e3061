/*
 * 64-bit division for 32-bit code: gcc calls these for / and % on 64-bit
 * operands, and there is no libgcc to link against.
 */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);

/* Restoring division; like the hardware's div, d must not be 0. */
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;

	if (!(n >> 32) && !(d >> 32)) {
		q = (uint32_t)n / (uint32_t)d;
		r = (uint32_t)n % (uint32_t)d;
	} else if (d >> 63) { /* r << 1 below would overflow */
		q = n >= d;
		r = q ? n - d : n;
	} else {
		for (int i = 63; i >= 0; i--) {
			r = (r << 1) | ((n >> i) & 1);
			if (r >= d) {
				r -= d;
				q |= 1ULL << i;
			}
		}
	}
	if (rem)
		*rem = r;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	__udivmoddi4(n, d, &r);
	return r;
}
