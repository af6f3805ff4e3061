/* Whole-bitmap operations over nbits bits. */
#ifndef XEN_BITMAP_H
#define XEN_BITMAP_H

#include <xen/bitops.h>

#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

void bitmap_zero(unsigned long *dst, unsigned int nbits);
void bitmap_fill(unsigned long *dst, unsigned int nbits);
void bitmap_copy(unsigned long *dst, const unsigned long *src,
		 unsigned int nbits);
void bitmap_and(unsigned long *dst, const unsigned long *a,
		const unsigned long *b, unsigned int nbits);
void bitmap_or(unsigned long *dst, const unsigned long *a,
	       const unsigned long *b, unsigned int nbits);
void bitmap_andnot(unsigned long *dst, const unsigned long *a,
		   const unsigned long *b, unsigned int nbits);
bool bitmap_empty(const unsigned long *src, unsigned int nbits);
bool bitmap_full(const unsigned long *src, unsigned int nbits);
bool bitmap_equal(const unsigned long *a, const unsigned long *b,
		  unsigned int nbits);
unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits);
/* Set or clear bits [start, start + len) non-atomically. */
void bitmap_set_range(unsigned long *dst, unsigned int start, unsigned int len);
void bitmap_clear_range(unsigned long *dst, unsigned int start,
			unsigned int len);

#endif
