/*
 * Through memory_op (memory_op_fixture.h): xen/common/physmap.c,
 * add_to_physmap of the shared-info page (shared_info.c is in the
 * Makefile's sources) and remove_from_physmap; xen/common/physmap_foreign.c,
 * add_to_physmap_batch and foreign mappings; xen/common/mem_paging.c, the
 * paging_op memory_op reaches (test_paging.c tests paging itself).
 */
#include "memory_op_fixture.h"

static mfn_t shinfo_mfn(struct domain *d)
{
	return _mfn(__pa(d->shared_info) >> PAGE_SHIFT);
}

/* setup() with shared-info pages (outside the constant page count). */
static void setup_shinfo(void)
{
	setup(1024);
	CHECK(!shared_info_alloc(&dom));
	CHECK(!shared_info_alloc(&other));
	CHECK_EQ(dom.shared_info_gfn, SHARED_INFO_UNMAPPED);
	pages_total = pages_now();
}

static long atp(domid_t domid, unsigned int space, u64 idx, u64 gpfn,
		bool compat)
{
	/* What lies past a 16-byte compat argument must not be read. */
	memset(guest_mem + RES_GVA, 0xa5, 32);
	if (compat) {
		struct compat_add_to_physmap x = { domid, 0, space, idx, gpfn };

		memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	} else {
		struct xen_add_to_physmap x = { domid, 0, space, idx, gpfn };

		memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	}
	return memop(XENMEM_add_to_physmap, RES_GVA, compat);
}

static mfn_t mfn_at(struct p2m_domain *p2m, unsigned long gfn)
{
	struct p2m_lookup r;

	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r);
	put_gfn(p2m, _gfn(gfn));
	return r.mfn;
}

static bool maps_shinfo(unsigned long gfn)
{
	return type_of(&dom_p2m, gfn) == p2m_ram_rw &&
	       mfn_eq(mfn_at(&dom_p2m, gfn), shinfo_mfn(&dom));
}

TEST(physmap_shared_info_replaces_ram)
{
	u64 gfn = 50, gfns2[2] = { 60, 61 };
	struct page_info *ram, *si;
	unsigned long free_before;

	setup_shinfo();
	si = virt_to_page(dom.shared_info);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, 0, DOMID_SELF), 1);
	CHECK_EQ(dom.tot_pages, 1);
	ram = pfn_to_page(mfn_x(mfn_at(&dom_p2m, 50)));
	CHECK(page_get_owner(ram) == &dom);
	free_before = total_free_pages() + dom_p2m.nr_tables;

	/* The RAM at gfn 50 goes back to the heap; the entry maps the page. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 50, false), 0);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK_EQ(total_free_pages() + dom_p2m.nr_tables, free_before + 1);
	CHECK(!(ram->count_info & PGC_allocated));
	CHECK(maps_shinfo(50));
	CHECK_EQ(dom.shared_info_gfn, 50);
	CHECK(!dom.shinfo_compat);
	/* The page stays the hypervisor's: nobody's RAM. */
	CHECK(si->count_info & PGC_xen_heap);
	CHECK(!page_get_owner(si));
	CHECK(!guest_own_ram(&dom, 50));

	/* Again at the same gfn: nothing changes. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 50, false), 0);
	CHECK(maps_shinfo(50));

	/* Moving it leaves the old gfn empty. */
	CHECK_EQ(atp(dom.domain_id, XENMAPSPACE_shared_info, 0, 60, false), 0);
	CHECK_EQ(type_of(&dom_p2m, 50), p2m_invalid);
	CHECK(maps_shinfo(60));
	CHECK_EQ(dom.shared_info_gfn, 60);

	/* decrease_reservation cannot free it: not the domain's RAM. */
	free_before = total_free_pages();
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &gfns2[0], 1, 0,
			 DOMID_SELF),
		 0);
	CHECK(maps_shinfo(60));
	CHECK(si->count_info & PGC_xen_heap);
	CHECK_EQ(total_free_pages(), free_before);
	/* RAM next to it is freed; the list stops at the shared-info gfn. */
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfns2[1], 1, 0, DOMID_SELF),
		 1);
	gfns2[0] = 61;
	gfns2[1] = 60;
	CHECK_EQ(reserve(XENMEM_decrease_reservation, gfns2, 2, 0, DOMID_SELF),
		 1);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK(maps_shinfo(60));
	/* Populating over it fails too. */
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfns2[1], 1, 0, DOMID_SELF),
		 0);
	CHECK(maps_shinfo(60));
	CHECK_EQ(dom.tot_pages, 0);
}

TEST(physmap_add_to_physmap_bad_arguments)
{
	static const unsigned int unsupported[] = { XENMAPSPACE_gmfn,
						    XENMAPSPACE_gmfn_range,
						    XENMAPSPACE_dev_mmio };

	setup_shinfo();
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, MAX_GFN, false),
		 -EINVAL);
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, ~0UL, false),
		 -EINVAL);
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 1, 5, false),
		 -EINVAL);
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 1, 5, true), -EINVAL);
	for (unsigned int i = 0; i < ARRAY_SIZE(unsupported); i++) {
		CHECK_EQ(atp(DOMID_SELF, unsupported[i], 0, 5, false),
			 -EOPNOTSUPP);
		CHECK_EQ(atp(DOMID_SELF, unsupported[i], 0, 5, true),
			 -EOPNOTSUPP);
	}
	/* Foreign mappings go through add_to_physmap_batch only (Xen). */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 5, false),
		 -ENOSYS);
	CHECK_EQ(atp(DOMID_SELF, 6, 0, 5, false), -EINVAL);
	CHECK_EQ(atp(DOMID_SELF, 99, 0, 5, false), -EINVAL);
	CHECK_EQ(atp(DOMID_SELF, ~0U, 0, 5, true), -EINVAL);
	CHECK_EQ(atp(other.domain_id, XENMAPSPACE_shared_info, 0, 5, false),
		 -EPERM);
	CHECK_EQ(atp(DOMID_MISSING, XENMAPSPACE_shared_info, 0, 5, false),
		 -ESRCH);
	/* Not for the control domain either: its own page only. */
	dom.is_privileged = true;
	CHECK_EQ(atp(other.domain_id, XENMAPSPACE_shared_info, 0, 5, true),
		 -EPERM);
	CHECK_EQ(other.shared_info_gfn, SHARED_INFO_UNMAPPED);
	CHECK_EQ(type_of(&other_p2m, 5), p2m_invalid);
	/* An argument the guest cannot read. */
	CHECK_EQ(memop(XENMEM_add_to_physmap, sizeof(guest_mem) - 16, false),
		 -EFAULT);
	CHECK_EQ(memop(XENMEM_add_to_physmap, sizeof(guest_mem) - 8, true),
		 -EFAULT);
	/* None of these mapped anything or latched a layout. */
	CHECK_EQ(dom.shared_info_gfn, SHARED_INFO_UNMAPPED);
	CHECK_EQ(type_of(&dom_p2m, 5), p2m_invalid);
	CHECK(!dom.shinfo_compat);
	CHECK_EQ(dom.tot_pages, 0);
}

TEST(physmap_add_to_physmap_layouts_latch_mode)
{
	setup_shinfo();
	CHECK_EQ(sizeof(struct compat_add_to_physmap), 16);
	CHECK_EQ(sizeof(struct xen_add_to_physmap), 24);
	/* 32-bit: idx and gpfn at 8 and 12; the 0xa5 bytes after ignored. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 70, true), 0);
	CHECK(maps_shinfo(70));
	CHECK(dom.shinfo_compat);
	/* 64-bit: idx at 8 (8 bytes, not idx and gpfn), gpfn at 16. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 80, false), 0);
	CHECK(maps_shinfo(80));
	CHECK_EQ(type_of(&dom_p2m, 70), p2m_invalid);
	CHECK_EQ(type_of(&dom_p2m, 0), p2m_invalid);
	CHECK(!dom.shinfo_compat);
	/* A 64-bit gpfn is not cut to 32 bits. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, (1ULL << 32) + 90,
		     false),
		 -EINVAL);
	CHECK_EQ(type_of(&dom_p2m, 90), p2m_invalid);
	/* Nor a 64-bit idx: 1 << 32 is not 0. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 1ULL << 32, 90,
		     false),
		 -EINVAL);
	/* A failed call latches nothing. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, MAX_GFN, true),
		 -EINVAL);
	CHECK(!dom.shinfo_compat);
	CHECK(maps_shinfo(80));
	CHECK_EQ(dom.shared_info_gfn, 80);
}

/*
 * add_to_physmap_batch and remove_from_physmap. dom (id 1) is made the
 * control domain and maps gfns of other (id 2). The batch's arrays are
 * at IDX_GVA, GPFN_GVA and ERRS_GVA.
 */
#define IDX_GVA 0x2000UL
#define GPFN_GVA 0x2400UL
#define ERRS_GVA 0x2800UL
#define ERR_UNWRITTEN 0x5a5a5a5a

static void put_batch(domid_t domid, unsigned int space, domid_t fdom,
		      unsigned int n)
{
	struct xen_add_to_physmap_batch b = {
		.domid = domid,
		.space = space,
		.size = n,
		.u.foreign_domid = fdom,
		.idxs = guest_handle_from_param(IDX_GVA, xen_pfn_t),
		.gpfns = guest_handle_from_param(GPFN_GVA, xen_pfn_t),
		.errs = guest_handle_from_param(ERRS_GVA, int32_t),
	};

	memcpy(guest_mem + RES_GVA, &b, sizeof(b));
}

/* The batch for n entries (64-bit); its errs[] in errs. */
static long batch(domid_t domid, unsigned int space, domid_t fdom,
		  const u64 *idxs, const u64 *gpfns, unsigned int n, int *errs)
{
	long rc;

	memcpy(guest_mem + IDX_GVA, idxs, n * sizeof(*idxs));
	memcpy(guest_mem + GPFN_GVA, gpfns, n * sizeof(*gpfns));
	memset(guest_mem + ERRS_GVA, 0x5a, n * sizeof(int));
	put_batch(domid, space, fdom, n);
	rc = memop(XENMEM_add_to_physmap_batch, RES_GVA, false);
	memcpy(errs, guest_mem + ERRS_GVA, n * sizeof(int));
	return rc;
}

/* Map other's fgfn at dom's gpfn: the entry's error. */
static int map1(u64 fgfn, u64 gpfn)
{
	int err;

	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, other.domain_id,
		       &fgfn, &gpfn, 1, &err),
		 0);
	return err;
}

static long rfp(domid_t domid, u64 gpfn, bool compat)
{
	if (compat) {
		struct compat_remove_from_physmap x = { domid, gpfn };

		memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	} else {
		struct xen_remove_from_physmap x = { domid, gpfn };

		memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	}
	return memop(XENMEM_remove_from_physmap, RES_GVA, compat);
}

static struct page_info *page_at(struct p2m_domain *p2m, unsigned long gfn)
{
	return pfn_to_page(mfn_x(mfn_at(p2m, gfn)));
}

static unsigned long refs(struct page_info *pg)
{
	return pg->count_info & PGC_count_mask;
}

/* dom the control domain; other's gfns populated, each page filled. */
static void setup_foreign(const u64 *gfns, unsigned int n)
{
	setup_shinfo();
	dom.is_privileged = true;
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, n, 0, other.domain_id),
		 n);
	for (unsigned int i = 0; i < n; i++)
		memset(page_to_virt(page_at(&other_p2m, gfns[i])), 0x40 + i,
		       PAGE_SIZE);
}

TEST(physmap_foreign_map_read_write_unmap)
{
	u64 fgfns[2] = { 10, 11 }, gpfns[2] = { 300, 301 }, own = 301;
	struct page_info *p10, *p11;
	unsigned long free_before;
	int errs[2];
	u8 *va;

	setup_foreign(fgfns, 2);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &own, 1, 0, DOMID_SELF), 1);
	p10 = page_at(&other_p2m, 10);
	p11 = page_at(&other_p2m, 11);
	CHECK_EQ(refs(p10), 1);
	free_before = total_free_pages() + dom_p2m.nr_tables;

	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, other.domain_id,
		       fgfns, gpfns, 2, errs),
		 0);
	CHECK_EQ(errs[0], 0);
	CHECK_EQ(errs[1], 0);
	CHECK_EQ(type_of(&dom_p2m, 300), p2m_map_foreign);
	CHECK(page_at(&dom_p2m, 300) == p10);
	CHECK(page_at(&dom_p2m, 301) == p11);
	/* Each entry holds a reference; the pages stay other's. */
	CHECK_EQ(refs(p10), 2);
	CHECK(page_get_owner(p10) == &other);
	CHECK_EQ(other.tot_pages, 2);
	/* dom's own RAM at 301 was given back. */
	CHECK_EQ(dom.tot_pages, 0);
	CHECK_EQ(total_free_pages() + dom_p2m.nr_tables, free_before + 1);

	/* What other wrote reads through dom's entry; dom's write shows. */
	va = page_to_virt(page_at(&dom_p2m, 301));
	CHECK_EQ(va[0], 0x41);
	CHECK_EQ(va[PAGE_SIZE - 1], 0x41);
	va[5] = 0x99;
	CHECK_EQ(((u8 *)page_to_virt(p11))[5], 0x99);

	/* Unmapped: the reference goes, other's page stays its own. */
	CHECK_EQ(rfp(DOMID_SELF, 300, false), 0);
	CHECK_EQ(type_of(&dom_p2m, 300), p2m_invalid);
	CHECK_EQ(refs(p10), 1);
	CHECK_EQ(rfp(dom.domain_id, 301, true), 0);
	CHECK_EQ(refs(p11), 1);
	CHECK_EQ(type_of(&other_p2m, 11), p2m_ram_rw);
	CHECK_EQ(other.tot_pages, 2);
	CHECK_EQ(rfp(DOMID_SELF, 301, false), -ENOENT);
	CHECK(!p2m_range_locked_by_me(&dom_p2m, _gfn(300)));
	CHECK(!p2m_range_locked_by_me(&other_p2m, _gfn(10)));
}

/* Counts notifications (flushes) of dom's p2m. */
static unsigned long flushes(void)
{
	return dom_p2m.nr_flushes;
}

TEST(physmap_foreign_replaces_earlier_mapping)
{
	u64 fgfns[2] = { 10, 11 };
	unsigned long before;

	setup_foreign(fgfns, 2);
	CHECK_EQ(map1(10, 300), 0);
	before = flushes();
	/* The same frame again: nothing changes, no flush. */
	CHECK_EQ(map1(10, 300), 0);
	CHECK_EQ(flushes(), before);
	CHECK_EQ(refs(page_at(&other_p2m, 10)), 2);
	/* Another frame at the same gpfn: the first reference goes. */
	CHECK_EQ(map1(11, 300), 0);
	CHECK_EQ(refs(page_at(&other_p2m, 10)), 1);
	CHECK_EQ(refs(page_at(&other_p2m, 11)), 2);
	CHECK(page_at(&dom_p2m, 300) == page_at(&other_p2m, 11));
	/* The same frame at two gpfns: two references. */
	CHECK_EQ(map1(11, 301), 0);
	CHECK_EQ(refs(page_at(&other_p2m, 11)), 3);
	CHECK_EQ(rfp(DOMID_SELF, 300, false), 0);
	CHECK_EQ(rfp(DOMID_SELF, 301, false), 0);
	CHECK_EQ(refs(page_at(&other_p2m, 11)), 1);
}

/* MMIO in other's p2m, and a page of dom's that other maps. */
static void odd_entries_in_other(void)
{
	u64 g = 40;

	CHECK(!p2m_set_entry(&other_p2m, _gfn(30), _mfn(0xfee00), PAGE_ORDER_4K,
			     p2m_mmio_direct, p2m_access_rw));
	CHECK_EQ(reserve(XENMEM_populate_physmap, &g, 1, 0, DOMID_SELF), 1);
	CHECK(!p2m_set_entry(&other_p2m, _gfn(31), mfn_at(&dom_p2m, 40),
			     PAGE_ORDER_4K, p2m_map_foreign, p2m_access_rw));
	pages_total = pages_now();
}

TEST(physmap_foreign_per_gfn_errors)
{
	u64 fgfns[7] = { 10, MAX_GFN, 12, 30, 31, ~0UL, 10 };
	u64 gpfns[7] = { 300, 301, 302, 303, 304, 305, MAX_GFN };
	u64 ok = 10;
	int errs[7];

	setup_foreign(&ok, 1);
	odd_entries_in_other();
	/* The batch goes on past each failed gfn. */
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, other.domain_id,
		       fgfns, gpfns, 7, errs),
		 0);
	CHECK_EQ(errs[0], 0); /* mapped */
	CHECK_EQ(errs[1], -EINVAL); /* beyond other's p2m */
	CHECK_EQ(errs[2], -EINVAL); /* a hole */
	CHECK_EQ(errs[3], -EINVAL); /* MMIO */
	CHECK_EQ(errs[4], -EINVAL); /* other's own foreign mapping */
	CHECK_EQ(errs[5], -EINVAL);
	CHECK_EQ(errs[6], -EINVAL); /* beyond dom's p2m */
	CHECK_EQ(type_of(&dom_p2m, 300), p2m_map_foreign);
	for (unsigned int i = 301; i < 306; i++)
		CHECK_EQ(type_of(&dom_p2m, i), p2m_invalid);
	/* dom's shared-info page at the gpfn: it stays, -EBUSY. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 310, false), 0);
	CHECK_EQ(map1(10, 310), -EBUSY);
	CHECK(maps_shinfo(310));
	CHECK_EQ(refs(page_at(&other_p2m, 10)), 2);

	/* Domains: every gfn gets the error, the call returns 0. */
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, DOMID_MISSING,
		       fgfns, gpfns, 2, errs),
		 0);
	CHECK_EQ(errs[0], -ESRCH);
	CHECK_EQ(errs[1], -ESRCH);
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, DOMID_SELF, fgfns,
		       gpfns, 1, errs),
		 0);
	CHECK_EQ(errs[0], -ESRCH);
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, dom.domain_id,
		       fgfns, gpfns, 1, errs),
		 0);
	CHECK_EQ(errs[0], -EPERM);
	/* Only the control domain maps another domain's pages. */
	dom.is_privileged = false;
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, other.domain_id,
		       fgfns, gpfns + 1, 2, errs),
		 0);
	CHECK_EQ(errs[0], -EPERM);
	CHECK_EQ(errs[1], -EPERM);
	CHECK_EQ(type_of(&dom_p2m, 301), p2m_invalid);
	CHECK_EQ(refs(page_at(&other_p2m, 10)), 2);
}

TEST(physmap_batch_whole_call_errors)
{
	u64 idx = 10, gpfn = 300;
	int err;
	struct hypercall_args a = {
		.a = { memop_cmd(XENMEM_add_to_physmap_batch, 0x10000),
		       RES_GVA }
	};

	setup_foreign(&idx, 1);
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_range, 0, &idx, &gpfn, 1,
		       &err),
		 -EOPNOTSUPP);
	CHECK_EQ(err, ERR_UNWRITTEN);
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_grant_table, 0, &idx, &gpfn, 1,
		       &err),
		 -EOPNOTSUPP);
	CHECK_EQ(batch(DOMID_SELF, 77, 0, &idx, &gpfn, 1, &err), -EINVAL);
	CHECK_EQ(batch(DOMID_MISSING, XENMAPSPACE_gmfn_foreign, 2, &idx, &gpfn,
		       1, &err),
		 -ESRCH);
	CHECK_EQ(err, ERR_UNWRITTEN);
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 2, &idx, &gpfn, 0,
		       &err),
		 0);
	CHECK_EQ(err, ERR_UNWRITTEN);
	/* Progress beyond 16 bits, or past the size (Xen's errors). */
	CHECK_EQ(memory_op_under_test(&vcpu, &a), -EDOM);
	a.a[0] = memop_cmd(XENMEM_add_to_physmap_batch, 2);
	CHECK_EQ(memory_op_under_test(&vcpu, &a), -EILSEQ);
	a.a[0] = memop_cmd(XENMEM_add_to_physmap_batch, 1);
	CHECK_EQ(memory_op_under_test(&vcpu, &a), -EILSEQ);
	/* Arrays the guest cannot read or write. */
	put_batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 2, 1);
	((struct xen_add_to_physmap_batch *)(guest_mem + RES_GVA))->idxs =
		guest_handle_from_param(~0UL - 3, xen_pfn_t);
	CHECK_EQ(memop(XENMEM_add_to_physmap_batch, RES_GVA, false), -EFAULT);
	put_batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 2, 1);
	((struct xen_add_to_physmap_batch *)(guest_mem + RES_GVA))->errs =
		guest_handle_from_param(RO_GVA, int32_t);
	CHECK_EQ(memop(XENMEM_add_to_physmap_batch, RES_GVA, false), -EFAULT);
	CHECK_EQ(memop(XENMEM_add_to_physmap_batch, sizeof(guest_mem) - 8,
		       false),
		 -EFAULT);
	/* The mapping made before errs[] failed stays, and can go. */
	CHECK_EQ(type_of(&dom_p2m, 300), p2m_map_foreign);
	CHECK_EQ(rfp(DOMID_SELF, 300, false), 0);
	/* Another domain's physmap: for the control domain only. */
	dom.is_privileged = false;
	CHECK_EQ(batch(other.domain_id, XENMAPSPACE_gmfn_foreign, 2, &idx,
		       &gpfn, 1, &err),
		 -EPERM);
	CHECK_EQ(err, ERR_UNWRITTEN);
	CHECK_EQ(type_of(&dom_p2m, 300), p2m_invalid);
}

/* A fix-up that is only ever started: the pager has the page. */
static unsigned int nr_fixups;
static p2m_query_t last_fixup_q;
static enum p2m_fixup last_fixup_kind;

static int started_fixup(struct p2m_domain *p2m, gfn_t gfn, enum p2m_fixup kind,
			 p2m_query_t q)
{
	nr_fixups++;
	last_fixup_q = q;
	last_fixup_kind = kind;
	return q & P2M_NOWAIT ? -EAGAIN : -EIO;
}

static const struct p2m_fixup_ops started_fixups = { started_fixup };

TEST(physmap_foreign_paged_out_gfn_is_enoent)
{
	u64 fgfns[3] = { 20, 10, 21 }, gpfns[3] = { 300, 301, 302 };
	u64 ok = 10;
	int errs[3];

	setup_foreign(&ok, 1);
	CHECK(!p2m_set_entry(&other_p2m, _gfn(20), INVALID_MFN, PAGE_ORDER_4K,
			     p2m_ram_paged, p2m_access_n));
	CHECK(!p2m_set_entry(&other_p2m, _gfn(21), INVALID_MFN, PAGE_ORDER_4K,
			     p2m_populate_on_demand, p2m_access_n));
	pages_total = pages_now();
	/* No fix-up for the state at all: -ENOENT too. */
	CHECK_EQ(map1(20, 300), -ENOENT);
	other_p2m.fixups = &started_fixups;
	CHECK_EQ(batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, other.domain_id,
		       fgfns, gpfns, 3, errs),
		 0);
	CHECK_EQ(errs[0], -ENOENT);
	CHECK_EQ(errs[1], 0);
	CHECK_EQ(errs[2], -ENOENT);
	/* Started without waiting, once per gfn. */
	CHECK_EQ(nr_fixups, 2);
	CHECK(last_fixup_q & P2M_NOWAIT);
	CHECK(last_fixup_q & P2M_ALLOC);
	CHECK_EQ(last_fixup_kind, P2M_FIXUP_POD);
	CHECK_EQ(type_of(&dom_p2m, 300), p2m_invalid);
	CHECK_EQ(type_of(&dom_p2m, 302), p2m_invalid);
	/* Removing it from other's physmap does not wait either. */
	CHECK_EQ(rfp(other.domain_id, 20, false), -EAGAIN);
	CHECK_EQ(type_of(&other_p2m, 20), p2m_ram_paged);
	CHECK_EQ(last_fixup_kind, P2M_FIXUP_PAGE_IN);
}

/* remove_from_physmap of dom's gpfn, without memop()'s page count. */
static long rfp_uncounted(u64 gpfn)
{
	struct xen_remove_from_physmap x = { DOMID_SELF, gpfn };
	struct hypercall_args a = { .a = { XENMEM_remove_from_physmap,
					   RES_GVA } };

	memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	return memory_op_under_test(&vcpu, &a);
}

/* The owner dies (or balloons the page out) while dom maps its page. */
TEST(physmap_foreign_page_outlives_its_owner)
{
	u64 fgfns[2] = { 10, 11 };
	struct page_info *p10, *p11;
	unsigned long free_before;

	setup_foreign(fgfns, 2);
	p10 = page_at(&other_p2m, 10);
	p11 = page_at(&other_p2m, 11);
	CHECK_EQ(map1(10, 300), 0);
	CHECK_EQ(map1(11, 301), 0);

	/* other gives gfn 11 back: the page is not freed while mapped. */
	vcpu.domain = &other;
	free_before = total_free_pages();
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &fgfns[1], 1, 0,
			 DOMID_SELF),
		 1);
	vcpu.domain = &dom;
	CHECK_EQ(total_free_pages(), free_before);
	CHECK_EQ(type_of(&other_p2m, 11), p2m_invalid);
	CHECK_EQ(refs(p11), 1);
	CHECK_EQ(((u8 *)page_to_virt(page_at(&dom_p2m, 301)))[9], 0x41);

	/* other dies: its allocation reference goes, dom's stays. */
	p2m_teardown(&other_p2m);
	domain_relinquish_pages(&other);
	CHECK_EQ(other.tot_pages, 0);
	CHECK(!page_get_owner(p10));
	CHECK_EQ(refs(p10), 1);
	CHECK(page_state_is(p10, inuse));
	CHECK_EQ(((u8 *)page_to_virt(page_at(&dom_p2m, 300)))[4095], 0x40);
	CHECK_EQ(type_of(&dom_p2m, 300), p2m_map_foreign);
	free_before = total_free_pages() + dom_p2m.nr_tables;

	/* dom lets go: both pages are freed now (not counted by memop()). */
	CHECK_EQ(rfp_uncounted(300), 0);
	CHECK_EQ(rfp_uncounted(301), 0);
	CHECK_EQ(total_free_pages() + dom_p2m.nr_tables, free_before + 2);
	CHECK(page_state_is(p10, free));
	CHECK(page_state_is(p11, free));
}

TEST(physmap_batch_continuations)
{
	u64 fgfns[70], gpfns[70];
	int errs[70];
	struct hypercall_args a = { .a = { XENMEM_add_to_physmap_batch,
					   RES_GVA } };
	u8 before[sizeof(struct xen_add_to_physmap_batch)];

	for (unsigned int i = 0; i < 70; i++) {
		fgfns[i] = 100 + i;
		gpfns[i] = 400 + i;
	}
	setup_foreign(fgfns, 70);
	memcpy(guest_mem + IDX_GVA, fgfns, sizeof(fgfns));
	memcpy(guest_mem + GPFN_GVA, gpfns, sizeof(gpfns));
	put_batch(DOMID_SELF, XENMAPSPACE_gmfn_foreign, other.domain_id, 70);
	memcpy(before, guest_mem + RES_GVA, sizeof(before));
	CHECK_EQ(memory_op_under_test(&vcpu, &a), -ERESTART);
	CHECK_EQ(a.a[0], memop_cmd(XENMEM_add_to_physmap_batch, batch_round));
	CHECK_EQ(type_of(&dom_p2m, 400 + batch_round - 1), p2m_map_foreign);
	CHECK_EQ(type_of(&dom_p2m, 400 + batch_round), p2m_invalid);
	/* With the scheduler waiting, one entry per round. */
	resched = true;
	CHECK_EQ(memory_op_under_test(&vcpu, &a), -ERESTART);
	CHECK_EQ(memop_start(a.a[0]), batch_round + 1);
	resched = false;
	nr_restarts = 0;
	CHECK_EQ(memop(a.a[0], RES_GVA, false), 0);
	CHECK_EQ(nr_restarts, 1);
	/* The caller's structure is as it was; every gfn mapped once. */
	CHECK(!memcmp(before, guest_mem + RES_GVA, sizeof(before)));
	memcpy(errs, guest_mem + ERRS_GVA, sizeof(errs));
	for (unsigned int i = 0; i < 70; i++) {
		CHECK_EQ(errs[i], 0);
		CHECK_EQ(refs(page_at(&other_p2m, 100 + i)), 2);
		CHECK(page_at(&dom_p2m, 400 + i) ==
		      page_at(&other_p2m, 100 + i));
	}
}

TEST(physmap_batch_compat_layout)
{
	u32 idxs[2] = { 10, 11 }, gpfns[2] = { 300, 301 };
	struct compat_add_to_physmap_batch c = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_gmfn_foreign,
		.size = 2,
		.u.foreign_domid = 2,
	};
	u64 pop[2] = { 10, 11 };
	int errs[2];

	set_compat_handle(c.idxs, IDX_GVA);
	set_compat_handle(c.gpfns, GPFN_GVA);
	set_compat_handle(c.errs, ERRS_GVA);
	setup_foreign(pop, 2);
	CHECK_EQ(other.domain_id, 2);
	memcpy(guest_mem + IDX_GVA, idxs, sizeof(idxs));
	memcpy(guest_mem + GPFN_GVA, gpfns, sizeof(gpfns));
	memset(guest_mem + RES_GVA, 0xa5, 32);
	memcpy(guest_mem + RES_GVA, &c, sizeof(c));
	CHECK_EQ(memop(XENMEM_add_to_physmap_batch, RES_GVA, true), 0);
	memcpy(errs, guest_mem + ERRS_GVA, sizeof(errs));
	CHECK_EQ(errs[0], 0);
	CHECK_EQ(errs[1], 0);
	CHECK(page_at(&dom_p2m, 300) == page_at(&other_p2m, 10));
	CHECK(page_at(&dom_p2m, 301) == page_at(&other_p2m, 11));
	/* The shared-info page through a batch: its layout latched. */
	idxs[0] = 0;
	gpfns[0] = 320;
	memcpy(guest_mem + IDX_GVA, idxs, sizeof(idxs));
	memcpy(guest_mem + GPFN_GVA, gpfns, sizeof(gpfns));
	c.space = XENMAPSPACE_shared_info;
	c.size = 1;
	memcpy(guest_mem + RES_GVA, &c, sizeof(c));
	CHECK_EQ(memop(XENMEM_add_to_physmap_batch, RES_GVA, true), 0);
	CHECK(maps_shinfo(320));
	CHECK(dom.shinfo_compat);
	CHECK_EQ(rfp(DOMID_SELF, 300, true), 0);
	CHECK_EQ(rfp(DOMID_SELF, 301, true), 0);
}

TEST(physmap_remove_from_physmap)
{
	u64 gfns[2] = { 50, 51 };
	unsigned long free_before;
	struct hypercall_args a = {
		.a = { memop_cmd(XENMEM_remove_from_physmap, 1), RES_GVA }
	};

	setup_shinfo();
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 2, 0, DOMID_SELF), 2);
	free_before = total_free_pages();
	/* The domain's own RAM is given back, as decrease_reservation. */
	CHECK_EQ(rfp(DOMID_SELF, 50, false), 0);
	CHECK_EQ(dom.tot_pages, 1);
	CHECK_EQ(total_free_pages(), free_before + 1);
	CHECK_EQ(type_of(&dom_p2m, 50), p2m_invalid);
	/* Nothing there, or beyond the p2m: -ENOENT. */
	CHECK_EQ(rfp(DOMID_SELF, 50, false), -ENOENT);
	CHECK_EQ(rfp(DOMID_SELF, MAX_GFN, false), -ENOENT);
	CHECK_EQ(rfp(DOMID_SELF, (1ULL << 32) + 51, false), -ENOENT);
	CHECK_EQ(type_of(&dom_p2m, 51), p2m_ram_rw);
	/* The shared-info page is unhooked, not freed. */
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 60, false), 0);
	CHECK_EQ(rfp(DOMID_SELF, 60, false), 0);
	CHECK_EQ(type_of(&dom_p2m, 60), p2m_invalid);
	CHECK_EQ(dom.shared_info_gfn, SHARED_INFO_UNMAPPED);
	CHECK(virt_to_page(dom.shared_info)->count_info & PGC_xen_heap);
	CHECK_EQ(atp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 61, false), 0);
	CHECK(maps_shinfo(61));
	/* Domains; the control domain may act on another's. */
	CHECK_EQ(rfp(DOMID_MISSING, 51, false), -ESRCH);
	CHECK_EQ(rfp(other.domain_id, 51, false), -EPERM);
	dom.is_privileged = true;
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 1, 0, other.domain_id),
		 1);
	CHECK_EQ(rfp(other.domain_id, 50, true), 0);
	CHECK_EQ(other.tot_pages, 0);
	/* A start in cmd, an argument the guest cannot read. */
	CHECK_EQ(memory_op_under_test(&vcpu, &a), -EINVAL);
	CHECK_EQ(memop(XENMEM_remove_from_physmap, sizeof(guest_mem) - 8,
		       false),
		 -EFAULT);
	CHECK_EQ(memop(XENMEM_remove_from_physmap, sizeof(guest_mem) - 4, true),
		 -EFAULT);
	CHECK_EQ(dom.tot_pages, 1);
	/* The 32-bit layout: gpfn at 4. */
	CHECK_EQ(rfp(DOMID_SELF, 51, true), 0);
	CHECK_EQ(dom.tot_pages, 0);
}
