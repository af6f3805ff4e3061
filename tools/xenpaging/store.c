/*
 * The page store (store.h): an index of one word per gfn, and a block
 * from malloc for each page that is neither absent nor zero.
 *
 * An index entry is ENTRY_NONE, ENTRY_ZERO, or a block's address. malloc
 * aligns blocks to at least 4, so no block is at 2, and bit 0 is free to
 * tell them apart: clear, the page as it is (XP_PAGE_SIZE bytes); set, a
 * struct packed (compress.h's stream). A page is packed only if that
 * takes fewer bytes than a copy.
 *
 * bytes counts every byte the store asked malloc for: the store itself
 * (with the codec's scratch space), the index and the blocks; the limit,
 * if any, is on that sum (so bytes never exceeds it), and zero pages,
 * which take no block, always fit. The allocator's own rounding and
 * headers are not counted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compress.h"
#include "store.h"

#define ENTRY_NONE ((uintptr_t)0)
#define ENTRY_ZERO ((uintptr_t)2)
#define ENTRY_PACKED ((uintptr_t)1)

struct packed {
	uint16_t len;
	uint8_t data[];
};

/* Longest stream worth keeping: a packed page below a copy's size. */
#define MAX_STREAM (XP_PAGE_SIZE - sizeof(struct packed) - 1)

struct xp_store {
	uint64_t nr_gfns;
	uintptr_t *index;
	struct xp_store_stats st;
	struct xp_compress_work work;
	uint8_t stream[MAX_STREAM]; /* a page being packed */
};

static struct packed *packed_of(uintptr_t e)
{
	return (struct packed *)(e & ~ENTRY_PACKED);
}

/* The bytes an entry's block takes. */
static size_t block_size(uintptr_t e)
{
	if (e == ENTRY_NONE || e == ENTRY_ZERO)
		return 0;
	if (e & ENTRY_PACKED)
		return sizeof(struct packed) + packed_of(e)->len;
	return XP_PAGE_SIZE;
}

/* Count e in (sign 1) or out of (sign -1) the stats. */
static void account(struct xp_store_stats *st, uintptr_t e, int sign)
{
	if (e == ENTRY_NONE)
		return;
	st->pages += sign;
	if (e == ENTRY_ZERO)
		st->zero += sign;
	else if (e & ENTRY_PACKED)
		st->compressed += sign;
	else
		st->raw += sign;
	st->bytes += sign * (int64_t)block_size(e);
}

static void set_entry(struct xp_store *s, uint64_t gfn, uintptr_t e)
{
	uintptr_t old = s->index[gfn];

	account(&s->st, old, -1);
	if (block_size(old))
		free(packed_of(old));
	s->index[gfn] = e;
	account(&s->st, e, 1);
}

struct xp_store *xp_store_create(uint64_t nr_gfns, uint64_t limit_bytes)
{
	struct xp_store *s;

	if (nr_gfns > SIZE_MAX / sizeof(uintptr_t)) {
		errno = ENOMEM;
		return NULL;
	}
	s = malloc(sizeof(*s));
	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	/* At least one entry: calloc(0) may give NULL. */
	s->index = calloc(nr_gfns ? nr_gfns : 1, sizeof(uintptr_t));
	if (!s->index) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->nr_gfns = nr_gfns;
	s->st.limit = limit_bytes;
	s->st.bytes = sizeof(*s) + nr_gfns * sizeof(uintptr_t);
	return s;
}

void xp_store_destroy(struct xp_store *s)
{
	if (!s)
		return;
	for (uint64_t gfn = 0; gfn < s->nr_gfns; gfn++)
		set_entry(s, gfn, ENTRY_NONE);
	free(s->index);
	free(s);
}

int xp_store_put_zero(struct xp_store *s, uint64_t gfn)
{
	if (gfn >= s->nr_gfns)
		return -EINVAL;
	set_entry(s, gfn, ENTRY_ZERO);
	s->st.puts++;
	return 0;
}

int xp_store_put(struct xp_store *s, uint64_t gfn, const void *page)
{
	size_t len, size;
	uint8_t *block;

	if (gfn >= s->nr_gfns)
		return -EINVAL;
	if (xp_page_is_zero(page))
		return xp_store_put_zero(s, gfn);
	len = xp_compress(page, s->stream, MAX_STREAM, &s->work);
	size = len ? sizeof(struct packed) + len : XP_PAGE_SIZE;
	/* What bytes would be: the old block out, the new one in. */
	if (s->st.limit &&
	    s->st.bytes - block_size(s->index[gfn]) + size > s->st.limit)
		goto full;
	block = malloc(size);
	if (!block)
		goto full;
	if (len) {
		struct packed *p = (struct packed *)block;

		p->len = (uint16_t)len;
		memcpy(p->data, s->stream, len);
		set_entry(s, gfn, (uintptr_t)p | ENTRY_PACKED);
	} else {
		memcpy(block, page, XP_PAGE_SIZE);
		set_entry(s, gfn, (uintptr_t)block);
	}
	s->st.puts++;
	return 0;
full:
	s->st.full++;
	return -ENOSPC;
}

/*
 * Also -EIO if gfn's packed stream does not decode: the store's memory
 * was overwritten (page holds junk).
 */
int xp_store_get(struct xp_store *s, uint64_t gfn, void *page)
{
	uintptr_t e;

	if (gfn >= s->nr_gfns)
		return -EINVAL;
	e = s->index[gfn];
	if (e == ENTRY_NONE)
		return -ENOENT;
	if (e == ENTRY_ZERO) {
		memset(page, 0, XP_PAGE_SIZE);
	} else if (e & ENTRY_PACKED) {
		if (xp_decompress(packed_of(e)->data, packed_of(e)->len, page))
			return -EIO;
	} else {
		memcpy(page, (const void *)e, XP_PAGE_SIZE);
	}
	s->st.gets++;
	return 0;
}

bool xp_store_has(const struct xp_store *s, uint64_t gfn)
{
	return gfn < s->nr_gfns && s->index[gfn] != ENTRY_NONE;
}

void xp_store_drop(struct xp_store *s, uint64_t gfn)
{
	if (gfn < s->nr_gfns)
		set_entry(s, gfn, ENTRY_NONE);
}

void xp_store_get_stats(const struct xp_store *s, struct xp_store_stats *st)
{
	*st = s->st;
}
