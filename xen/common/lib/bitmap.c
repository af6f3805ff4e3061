/* Bitmap operations and bit searches. */
#include <xen/bitmap.h>
#include <xen/lib.h>

static unsigned long last_word_mask(unsigned int nbits)
{
	unsigned int r = nbits % BITS_PER_LONG;

	return r ? (1UL << r) - 1 : ~0UL;
}

static unsigned long search(const unsigned long *addr, unsigned long size,
			    unsigned long offset, unsigned long invert)
{
	unsigned long w;

	if (offset >= size)
		return size;
	w = (addr[BIT_WORD(offset)] ^ invert) &
	    (~0UL << (offset % BITS_PER_LONG));
	offset -= offset % BITS_PER_LONG;
	for (;;) {
		if (w) {
			offset += ffsl0(w);
			return offset < size ? offset : size;
		}
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		w = addr[BIT_WORD(offset)] ^ invert;
	}
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset)
{
	return search(addr, size, offset, 0);
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	return search(addr, size, offset, ~0UL);
}

void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(long));
}

void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	unsigned int n = BITS_TO_LONGS(nbits);

	if (!n)
		return;
	memset(dst, 0xff, n * sizeof(long));
	dst[n - 1] = last_word_mask(nbits);
}

void bitmap_copy(unsigned long *dst, const unsigned long *src,
		 unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(long));
}

void bitmap_and(unsigned long *dst, const unsigned long *a,
		const unsigned long *b, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] & b[i];
}

void bitmap_or(unsigned long *dst, const unsigned long *a,
	       const unsigned long *b, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] | b[i];
}

void bitmap_andnot(unsigned long *dst, const unsigned long *a,
		   const unsigned long *b, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] & ~b[i];
}

/* Word i of src, with bits at or past nbits masked off. */
static unsigned long word(const unsigned long *src, unsigned int i,
			  unsigned int nbits)
{
	return i == BITS_TO_LONGS(nbits) - 1 ? src[i] & last_word_mask(nbits) :
					       src[i];
}

bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		if (word(src, i, nbits))
			return false;
	return true;
}

bool bitmap_full(const unsigned long *src, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		if (word(src, i, nbits) != (i == BITS_TO_LONGS(nbits) - 1 ?
						    last_word_mask(nbits) :
						    ~0UL))
			return false;
	return true;
}

bool bitmap_equal(const unsigned long *a, const unsigned long *b,
		  unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		if (word(a, i, nbits) != word(b, i, nbits))
			return false;
	return true;
}

static unsigned int hweight_long(unsigned long w)
{
	w -= (w >> 1) & 0x5555555555555555UL;
	w = (w & 0x3333333333333333UL) + ((w >> 2) & 0x3333333333333333UL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
	return (unsigned int)((w * 0x0101010101010101UL) >> 56);
}

unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		w += hweight_long(word(src, i, nbits));
	return w;
}

void bitmap_set_range(unsigned long *dst, unsigned int start, unsigned int len)
{
	while (len--)
		__set_bit(start++, dst);
}

void bitmap_clear_range(unsigned long *dst, unsigned int start,
			unsigned int len)
{
	while (len--)
		__clear_bit(start++, dst);
}
