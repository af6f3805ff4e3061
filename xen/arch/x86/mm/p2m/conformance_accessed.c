/*
 * The conformance cases of the pager's accessed bits
 * (p2m_test_clear_accessed(), docs/paging.md): new leaves start unused,
 * a use (pt_touch(), as the CPU sets the bit) is reported once and
 * then cleared with one flush, a superpage answers for all its gfns, the
 * engine's own rewrites (split, merge, global type change) keep the bit
 * and still compare equal, and only present RAM answers.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include "conformance.h"

#define ACC_MAX_GFN (1UL << 20)
/* Frames beyond any RAM, for 1 GiB mappings nobody takes references on */
#define ACC_FAKE_MFN_1G _mfn(0x80000)
#define ACC_FAKE_MMIO _mfn(0xfee00)

static bool raw_accessed(struct p2m_domain *p2m, unsigned long gfn,
			 unsigned int level)
{
	u64 *e = pt_entry_ptr(p2m, _gfn(gfn), level);

	return e && (*e & p2m->ops->fmt->accessed_bit);
}

/* Ask about [gfn, gfn + nr) (nr <= 512): the number of bits set. */
static long ask(struct p2m_domain *p2m, unsigned long gfn, unsigned long nr,
		u8 *bits)
{
	long rc = p2m_test_clear_accessed(p2m, gfn, nr, bits);
	unsigned long i, set = 0;

	if (rc)
		return rc;
	for (i = 0; i < nr; i++)
		set += (bits[i / 8] >> (i % 8)) & 1;
	return (long)set;
}

static bool bit(const u8 *bits, unsigned long i)
{
	return (bits[i / 8] >> (i % 8)) & 1;
}

static int map(struct p2m_domain *p2m, unsigned long gfn, mfn_t mfn,
	       unsigned int order, p2m_type_t t)
{
	return p2m_set_entry(p2m, _gfn(gfn), mfn, order, t, p2m_access_rwx);
}

enum test_result p2m_conf_accessed_new_leaves(const struct p2m_backend_ops *ops,
					      struct p2m_conf_env *env)
{
	struct p2m_domain p2m;
	struct page_info *pg = alloc_domheap_pages(env->d, 0, 0);
	u8 bits[64];
	unsigned long flushes;
	struct p2m_walk w;

	CHECK(pg);
	CHECK(!p2m_init(&p2m, env->d, ops, ACC_MAX_GFN));
	CHECK(!map(&p2m, 0x10, _mfn(page_to_pfn(pg)), 0, p2m_ram_rw));
	/* Made, not used: the CPU has not set the bit, nor has the p2m. */
	CHECK(!raw_accessed(&p2m, 0x10, 1));
	flushes = p2m_flush_generation(&p2m);
	CHECK(ask(&p2m, 0x10, 1, bits) == 0);
	/* Nothing cleared, nothing to flush. */
	CHECK(p2m_flush_generation(&p2m) == flushes);
	pt_touch(&p2m, _gfn(0x10));
	CHECK(raw_accessed(&p2m, 0x10, 1));
	/* Set by the CPU, the entry is the same entry to everyone else. */
	CHECK(p2m_set_entry(&p2m, _gfn(0x10), _mfn(page_to_pfn(pg)), 0,
			    p2m_ram_rw, p2m_access_rwx) == 0);
	CHECK(raw_accessed(&p2m, 0x10, 1));
	ops->walk(&p2m, _gfn(0x10), P2M_R | P2M_W | P2M_X, &w);
	CHECK(w.fault == P2M_WALK_OK && mfn_eq(w.mfn, _mfn(page_to_pfn(pg))));
	/* Reported once, cleared, with one flush so the next use walks. */
	CHECK(ask(&p2m, 0xf, 3, bits) == 1 && bit(bits, 1));
	CHECK(p2m_flush_generation(&p2m) == flushes + 1);
	CHECK(!raw_accessed(&p2m, 0x10, 1));
	CHECK(ask(&p2m, 0xf, 3, bits) == 0);
	CHECK(p2m_flush_generation(&p2m) == flushes + 1);
	/* A new entry (here: a new type) starts unused. */
	pt_touch(&p2m, _gfn(0x10));
	CHECK(!map(&p2m, 0x10, _mfn(page_to_pfn(pg)), 0, p2m_ram_ro));
	CHECK(ask(&p2m, 0x10, 1, bits) == 0);
	p2m_teardown(&p2m);
	p2m_conf_drop_pages(pg, 0);
	return TEST_PASS;
}

enum test_result p2m_conf_accessed_superpages(const struct p2m_backend_ops *ops,
					      struct p2m_conf_env *env)
{
	struct p2m_domain p2m;
	struct page_info *pg = alloc_domheap_pages(env->d, PAGE_ORDER_2M, 0);
	u8 bits[64];
	unsigned long i;

	CHECK(pg);
	CHECK(!p2m_init(&p2m, env->d, ops, ACC_MAX_GFN));
	CHECK(!map(&p2m, 0x200, _mfn(page_to_pfn(pg)), PAGE_ORDER_2M,
		   p2m_ram_rw));
	CHECK(!map(&p2m, 0x40000, ACC_FAKE_MFN_1G, PAGE_ORDER_1G, p2m_ram_rw));
	/* One gfn used: the 2 MiB leaf answers for all of its gfns. */
	pt_touch(&p2m, _gfn(0x205));
	CHECK(ask(&p2m, 0x1fe, 4, bits) == 2 && !bit(bits, 0) &&
	      !bit(bits, 1) && bit(bits, 2) && bit(bits, 3));
	/* and asking about two of them cleared it for all. */
	CHECK(ask(&p2m, 0x200, 512, bits) == 0);
	/*
	 * A 1 GiB leaf across two 2 MiB ranges of one call: every gfn asked
	 * about reads 1 (a second look would find the bit cleared).
	 */
	pt_touch(&p2m, _gfn(0x52345));
	CHECK(ask(&p2m, 0x401f0, 0x20, bits) == 0x20);
	CHECK(ask(&p2m, 0x401f0, 0x20, bits) == 0);
	pt_touch(&p2m, _gfn(0x40000));
	CHECK(ask(&p2m, 0x40100, 512, bits) == 512);
	for (i = 0; i < 64; i++)
		CHECK(bits[i] == 0xff);
	p2m_teardown(&p2m);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	return TEST_PASS;
}

enum test_result
p2m_conf_accessed_kept_by_rewrites(const struct p2m_backend_ops *ops,
				   struct p2m_conf_env *env)
{
	struct p2m_domain p2m;
	struct page_info *pg = alloc_domheap_pages(env->d, PAGE_ORDER_2M, 0);
	mfn_t m = _mfn(page_to_pfn(pg));
	struct p2m_lookup r;
	u8 bits[64];

	CHECK(pg);
	CHECK(!p2m_init(&p2m, env->d, ops, ACC_MAX_GFN));
	CHECK(!map(&p2m, 0x400, m, PAGE_ORDER_2M, p2m_ram_rw));
	pt_touch(&p2m, _gfn(0x400));
	/* Split by a change of one gfn: the other pieces were used too. */
	CHECK(!map(&p2m, 0x410, mfn_add(m, 0x10), 0, p2m_ram_ro));
	CHECK(raw_accessed(&p2m, 0x411, 1) && !raw_accessed(&p2m, 0x410, 1));
	/*
	 * Made uniform again, with accessed bits on all pieces but one: the
	 * bits do not stop the merge, and the superpage keeps them.
	 */
	CHECK(!map(&p2m, 0x410, mfn_add(m, 0x10), 0, p2m_ram_rw));
	p2m_get_gfn(&p2m, _gfn(0x410), P2M_QUERY, &r);
	put_gfn(&p2m, _gfn(0x410));
	CHECK(r.order == PAGE_ORDER_2M && r.t == p2m_ram_rw &&
	      mfn_eq(r.mfn, mfn_add(m, 0x10)));
	CHECK(raw_accessed(&p2m, 0x400, 2));
	CHECK(ask(&p2m, 0x400, 512, bits) == 512);
	/* A global type change rewrites the leaf and keeps the bit. */
	pt_touch(&p2m, _gfn(0x4ff));
	CHECK(!p2m_change_type_global(&p2m, p2m_ram_rw, p2m_ram_logdirty));
	CHECK(ask(&p2m, 0x4ff, 1, bits) == 1);
	p2m_teardown(&p2m);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	return TEST_PASS;
}

enum test_result
p2m_conf_accessed_only_present_ram(const struct p2m_backend_ops *ops,
				   struct p2m_conf_env *env)
{
	struct p2m_domain p2m;
	struct page_info *pg = alloc_domheap_pages(env->d, 0, 0);
	u8 bits[64];

	CHECK(pg);
	CHECK(!p2m_init(&p2m, env->d, ops, ACC_MAX_GFN));
	CHECK(!map(&p2m, 0x30, ACC_FAKE_MMIO, 0, p2m_mmio_direct));
	CHECK(!map(&p2m, 0x31, _mfn(page_to_pfn(pg)), 0, p2m_ram_rw));
	CHECK(!map(&p2m, 0x32, INVALID_MFN, 0, p2m_ram_paged));
	pt_touch(&p2m, _gfn(0x30));
	pt_touch(&p2m, _gfn(0x31));
	/* A paged entry is not present: a walk faults, nothing is set. */
	pt_touch(&p2m, _gfn(0x32));
	CHECK(!raw_accessed(&p2m, 0x32, 1));
	/* MMIO used reads 0 and keeps its bit; a hole reads 0. */
	CHECK(ask(&p2m, 0x30, 4, bits) == 1 && bit(bits, 1));
	CHECK(raw_accessed(&p2m, 0x30, 1));
	/* The paging states are RAM with a frame only while nominated. */
	pt_touch(&p2m, _gfn(0x31));
	CHECK(!map(&p2m, 0x31, _mfn(page_to_pfn(pg)), 0, p2m_ram_paging_out));
	pt_touch(&p2m, _gfn(0x31));
	CHECK(ask(&p2m, 0x31, 1, bits) == 1);
	p2m_teardown(&p2m);
	p2m_conf_drop_pages(pg, 0);
	return TEST_PASS;
}

enum test_result p2m_conf_accessed_bad_calls(const struct p2m_backend_ops *ops,
					     struct p2m_conf_env *env)
{
	struct p2m_domain p2m;
	u8 bits[64] = { 0x5a };

	CHECK(!p2m_init(&p2m, env->d, ops, ACC_MAX_GFN));
	CHECK(p2m.accessed_bits);
	CHECK(ask(&p2m, ACC_MAX_GFN - 1, 2, bits) == -EINVAL);
	CHECK(ask(&p2m, ~0UL, 2, bits) == -EINVAL);
	CHECK(ask(&p2m, 0, ACC_MAX_GFN + 1, bits) == -EINVAL);
	/* Nothing asked, nothing written. */
	CHECK(bits[0] == 0x5a);
	CHECK(ask(&p2m, ACC_MAX_GFN - 1, 1, bits) == 0);
	CHECK(ask(&p2m, 0, 0, bits) == 0);
	/* A CPU that sets no accessed bits for this p2m. */
	p2m.accessed_bits = false;
	CHECK(ask(&p2m, 0, 1, bits) == -EOPNOTSUPP);
	p2m_teardown(&p2m);
	return TEST_PASS;
}
