/*
 * The pager's accessed bits (XENMEM_paging_op_accessed, docs/paging.md):
 * which gfns of a range the guest used since the last look, read and
 * cleared in the leaves where the CPU sets them, then one flush of the
 * p2m's cached translations, so that the next use walks the table (and
 * sets the bit) again.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include "backend.h"

#define RANGE_GFNS (1UL << PAGE_ORDER_2M)

static void set_bits(u8 *bits, unsigned long from, unsigned long to)
{
	for (; from < to; from++)
		bits[from / 8] |= (u8)(1u << (from % 8));
}

int p2m_test_clear_accessed(struct p2m_domain *p2m, unsigned long first,
			    unsigned long nr, u8 *bits)
{
	unsigned long i = 0;
	bool cleared = false;

	if (!p2m->accessed_bits)
		return -EOPNOTSUPP;
	if (nr > p2m->max_gfn || first > p2m->max_gfn - nr)
		return -EINVAL;
	memset(bits, 0, DIV_ROUND_UP(nr, 8));
	/* One 2 MiB range lock at a time (leaves change only under it). */
	while (i < nr) {
		gfn_t locked = _gfn(first + i);
		unsigned long range_end =
			((first + i) | (RANGE_GFNS - 1)) + 1 - first;

		p2m_lock_range(p2m, locked, PAGE_ORDER_4K);
		/*
		 * A leaf reaching past the range (1 GiB) is answered whole
		 * here: a second look in the next range would read the bit
		 * this one cleared.
		 */
		while (i < nr && i < range_end) {
			unsigned int order;
			bool used = p2m->ops->test_clear_accessed(
				p2m, _gfn(first + i), &order);
			unsigned long end =
				((first + i) | ((1UL << order) - 1)) + 1 -
				first;

			if (end > nr)
				end = nr;
			if (used) {
				set_bits(bits, i, end);
				cleared = true;
			}
			i = end;
		}
		p2m_unlock_range(p2m, locked, PAGE_ORDER_4K);
	}
	if (cleared)
		p2m->ops->flush(p2m);
	return 0;
}
