/*
 * Grant-table setup: xen/common/grant_table.c (frames grown on demand up
 * to the maximum, freed with the domain), add_to_physmap's grant_table
 * space (physmap.c, through the memory_op fixture) and grant_table_op.c
 * (compiled in here with its handler renamed), 64-bit and 32-bit
 * callers, bad input.
 */
#include <xen/grant_table.h>
#include <public/grant_table.h>

#define do_grant_table_op gnttab_op_under_test
#include "../../xen/common/grant_table_op.c"
#undef do_grant_table_op

#include "memory_op_fixture.h"

#define OP_GVA 0x200UL /* where an op's argument goes */
#define FRAMES_GVA 0x1000UL /* setup_table's frame list */

/* Pages the grant table holds: its frames and its bookkeeping page. */
static unsigned long table_pages(struct domain *d)
{
	unsigned int n = gnttab_nr_frames(d);

	return n ? n + 1 : 0;
}

static void setup_gnttab(void)
{
	setup(1024);
	CHECK(!shared_info_alloc(&dom));
	CHECK(!shared_info_alloc(&other));
	pages_total = pages_now();
}

/* Nothing lost: free pages, p2m tables, RAM and tables add up. */
static void check_pages(void)
{
	CHECK(!dom.refcnt && !other.refcnt);
	CHECK_EQ(pages_now() + table_pages(&dom) + table_pages(&other),
		 pages_total);
}

static long gnttab_op(unsigned int cmd, unsigned int count, bool compat)
{
	struct hypercall_args a = { .a = { cmd, OP_GVA, count },
				    .compat = compat };
	long rc = gnttab_op_under_test(&vcpu, &a);

	check_pages();
	return rc;
}

/* A memory_op on the argument at RES_GVA, pages checked after it. */
static long memop_at_res(unsigned int cmd, bool compat)
{
	struct hypercall_args a = { .a = { cmd, RES_GVA }, .compat = compat };
	long rc = memory_op_under_test(&vcpu, &a);

	check_pages();
	return rc;
}

static long atp_shinfo(unsigned long gfn)
{
	struct xen_add_to_physmap x = { DOMID_SELF, 0, XENMAPSPACE_shared_info,
					0, gfn };

	memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	return memop_at_res(XENMEM_add_to_physmap, false);
}

static long rfp(unsigned long gfn)
{
	struct xen_remove_from_physmap x = { DOMID_SELF, gfn };

	memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	return memop_at_res(XENMEM_remove_from_physmap, false);
}

static long atp_grant(unsigned long idx, unsigned long gfn, bool compat)
{
	if (compat) {
		struct compat_add_to_physmap x = { DOMID_SELF, 0,
						   XENMAPSPACE_grant_table, idx,
						   gfn };

		memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	} else {
		struct xen_add_to_physmap x = { DOMID_SELF, 0,
						XENMAPSPACE_grant_table, idx,
						gfn };

		memcpy(guest_mem + RES_GVA, &x, sizeof(x));
	}
	return memop_at_res(XENMEM_add_to_physmap, compat);
}

static struct gnttab_query_size do_query(domid_t domid, long *rc)
{
	struct gnttab_query_size q = { .dom = domid, .status = 99 };

	memcpy(guest_mem + OP_GVA, &q, sizeof(q));
	*rc = gnttab_op(GNTTABOP_query_size, 1, false);
	memcpy(&q, guest_mem + OP_GVA, sizeof(q));
	return q;
}

static mfn_t mfn_at(unsigned long gfn)
{
	struct p2m_lookup r;

	p2m_get_gfn(&dom_p2m, _gfn(gfn), P2M_QUERY, &r);
	put_gfn(&dom_p2m, _gfn(gfn));
	return r.mfn;
}

static bool maps_frame(unsigned long gfn, unsigned int idx)
{
	const struct grant_table *gt = dom.grant_table;

	return type_of(&dom_p2m, gfn) == p2m_ram_rw &&
	       mfn_x(mfn_at(gfn)) == __pa(gt->frame[idx].page) >> PAGE_SHIFT;
}

TEST(gnttab_query_size_and_domains)
{
	struct gnttab_query_size q;
	long rc;

	setup_gnttab();
	q = do_query(DOMID_SELF, &rc);
	CHECK_EQ(rc, 0);
	CHECK_EQ(q.status, GNTST_okay);
	CHECK_EQ(q.nr_frames, 0);
	CHECK_EQ(q.max_nr_frames, GNTTAB_MAX_FRAMES);
	CHECK_EQ(q.dom, DOMID_SELF);
	/* Another domain: refused, or missing; the control domain may ask. */
	q = do_query(other.domain_id, &rc);
	CHECK_EQ(rc, 0);
	CHECK_EQ(q.status, GNTST_permission_denied);
	q = do_query(DOMID_MISSING, &rc);
	CHECK_EQ(q.status, GNTST_bad_domain);
	dom.is_privileged = true;
	q = do_query(other.domain_id, &rc);
	CHECK_EQ(q.status, GNTST_okay);
	CHECK_EQ(q.max_nr_frames, GNTTAB_MAX_FRAMES);
	/* A count other than 1; an argument the guest cannot read. */
	CHECK_EQ(gnttab_op(GNTTABOP_query_size, 0, false), -EINVAL);
	CHECK_EQ(gnttab_op(GNTTABOP_query_size, 2, false), -EINVAL);
	CHECK_EQ(gnttab_op(GNTTABOP_query_size, ~0U, false), -EINVAL);
	{
		struct hypercall_args a = { .a = { GNTTABOP_query_size,
						   sizeof(guest_mem) - 8, 1 } };

		CHECK_EQ(gnttab_op_under_test(&vcpu, &a), -EFAULT);
		a.a[1] = RO_GVA;
		CHECK_EQ(gnttab_op_under_test(&vcpu, &a), -EFAULT);
	}
	CHECK(!dom.grant_table && !other.grant_table);
}

TEST(gnttab_map_frames_grow_and_move)
{
	u64 gfn = 70;
	struct grant_entry_v1 *e;
	unsigned long free_before;

	setup_gnttab();
	/* RAM at gfn 70 is given back; frame 0 takes its place, zeroed. */
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, 0, DOMID_SELF), 1);
	CHECK_EQ(dom.tot_pages, 1);
	CHECK_EQ(atp_grant(0, 70, false), 0);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK_EQ(gnttab_nr_frames(&dom), 1);
	CHECK(maps_frame(70, 0));
	CHECK(zeroed(&dom_p2m, 70));
	CHECK(!page_get_owner(virt_to_page(dom.grant_table->frame[0].page)));
	/* Frame 5 grows the table to 6 frames; the 32-bit layout too. */
	CHECK_EQ(atp_grant(5, 75, true), 0);
	CHECK_EQ(gnttab_nr_frames(&dom), 6);
	CHECK(maps_frame(75, 5));
	CHECK_EQ(dom.grant_table->frame[3].gfn, GNTTAB_UNMAPPED);
	/* What the guest writes there is in the frame. */
	e = dom.grant_table->frame[5].page;
	e[7] = (struct grant_entry_v1){ GTF_permit_access, 2, 0x1234 };
	/* Moving a frame leaves its old gfn empty. */
	CHECK_EQ(atp_grant(5, 80, false), 0);
	CHECK_EQ(type_of(&dom_p2m, 75), p2m_invalid);
	CHECK(maps_frame(80, 5));
	CHECK_EQ(e[7].frame, 0x1234);
	/* The same frame at the same gfn again: nothing changes. */
	free_before = total_free_pages();
	CHECK_EQ(atp_grant(5, 80, false), 0);
	CHECK_EQ(total_free_pages(), free_before);
	/* The last frame; the maximum and past it are refused. */
	CHECK_EQ(atp_grant(GNTTAB_MAX_FRAMES - 1, 90, false), 0);
	CHECK_EQ(gnttab_nr_frames(&dom), GNTTAB_MAX_FRAMES);
	CHECK_EQ(atp_grant(GNTTAB_MAX_FRAMES, 91, false), -EINVAL);
	CHECK_EQ(atp_grant(~0UL, 91, false), -EINVAL);
	/* A v2 status frame: not in a v1 table. */
	CHECK_EQ(atp_grant(XENMAPIDX_grant_table_status, 91, false), -EINVAL);
	/* A gfn past the p2m, another frame's gfn, the shared-info gfn. */
	CHECK_EQ(atp_grant(1, MAX_GFN, false), -EINVAL);
	CHECK_EQ(atp_grant(1, 70, false), -EBUSY);
	CHECK(maps_frame(70, 0));
	CHECK_EQ(atp_shinfo(100), 0);
	CHECK_EQ(atp_grant(1, 100, false), -EBUSY);
	CHECK_EQ(type_of(&dom_p2m, 91), p2m_invalid);
	/* remove_from_physmap unhooks a frame, which stays the table's. */
	CHECK_EQ(rfp(70), 0);
	CHECK_EQ(type_of(&dom_p2m, 70), p2m_invalid);
	CHECK_EQ(dom.grant_table->frame[0].gfn, GNTTAB_UNMAPPED);
	CHECK_EQ(gnttab_nr_frames(&dom), GNTTAB_MAX_FRAMES);
	/* Destroyed with the domain: every page back to the heap. */
	gnttab_domain_destroy(&dom);
	CHECK(!dom.grant_table);
	CHECK_EQ(gnttab_nr_frames(&dom), 0);
	check_pages();
}

static long do_setup(domid_t domid, unsigned int nr, bool compat,
		     unsigned long list, int16_t *status)
{
	long rc;

	memset(guest_mem + FRAMES_GVA, 0xa5, 0x200);
	if (compat) {
		struct compat_gnttab_setup_table x = { .dom = domid,
						       .nr_frames = nr,
						       .status = 99 };

		set_compat_handle(x.frame_list, list);
		memcpy(guest_mem + OP_GVA, &x, sizeof(x));
	} else {
		struct gnttab_setup_table x = { .dom = domid,
						.nr_frames = nr,
						.status = 99 };

		x.frame_list.q = list;
		memcpy(guest_mem + OP_GVA, &x, sizeof(x));
	}
	rc = gnttab_op(GNTTABOP_setup_table, 1, compat);
	memcpy(status, guest_mem + OP_GVA + 8, sizeof(*status));
	return rc;
}

TEST(gnttab_setup_table_lists_gfns)
{
	u64 list[3];
	u32 list32[3];
	int16_t status;

	setup_gnttab();
	CHECK_EQ(atp_grant(1, 81, false), 0);
	/* Grown to 3 frames; frame 1's gfn, the others unmapped. */
	CHECK_EQ(do_setup(DOMID_SELF, 3, false, FRAMES_GVA, &status), 0);
	CHECK_EQ(status, GNTST_okay);
	CHECK_EQ(gnttab_nr_frames(&dom), 3);
	memcpy(list, guest_mem + FRAMES_GVA, sizeof(list));
	CHECK_EQ(list[0], ~0ULL);
	CHECK_EQ(list[1], 81);
	CHECK_EQ(list[2], ~0ULL);
	/* 32-bit gfns for a 32-bit caller, nothing written past them. */
	CHECK_EQ(do_setup(DOMID_SELF, 2, true, FRAMES_GVA, &status), 0);
	CHECK_EQ(status, GNTST_okay);
	memcpy(list32, guest_mem + FRAMES_GVA, sizeof(list32));
	CHECK_EQ(list32[0], ~0U);
	CHECK_EQ(list32[1], 81);
	CHECK_EQ(list32[2], 0xa5a5a5a5U);
	/* Past the maximum; a list the guest cannot write; bad domains. */
	CHECK_EQ(do_setup(DOMID_SELF, GNTTAB_MAX_FRAMES + 1, false, FRAMES_GVA,
			  &status),
		 0);
	CHECK_EQ(status, GNTST_general_error);
	CHECK_EQ(do_setup(DOMID_SELF, 1, false, RO_GVA, &status), 0);
	CHECK_EQ(status, GNTST_bad_virt_addr);
	CHECK_EQ(do_setup(other.domain_id, 1, false, FRAMES_GVA, &status), 0);
	CHECK_EQ(status, GNTST_permission_denied);
	CHECK_EQ(do_setup(DOMID_MISSING, 1, false, FRAMES_GVA, &status), 0);
	CHECK_EQ(status, GNTST_bad_domain);
	CHECK_EQ(gnttab_nr_frames(&dom), 3);
	CHECK(!other.grant_table);
	/* No frames asked for: nothing grows, nothing is written. */
	CHECK_EQ(do_setup(DOMID_SELF, 0, false, 0, &status), 0);
	CHECK_EQ(status, GNTST_okay);
	CHECK_EQ(gnttab_op(GNTTABOP_setup_table, 2, false), -EINVAL);
	gnttab_domain_destroy(&dom);
	check_pages();
}

TEST(gnttab_versions_and_unsupported_ops)
{
	struct gnttab_set_version sv;
	struct gnttab_get_version gv = { .dom = DOMID_SELF, .version = 7 };
	static const unsigned int bad[] = { 0, 2, 3, 99 };
	static const long want[] = { -EINVAL, -ENOSYS, -EINVAL, -EINVAL };

	setup_gnttab();
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		sv.version = bad[i];
		memcpy(guest_mem + OP_GVA, &sv, sizeof(sv));
		CHECK_EQ(gnttab_op(GNTTABOP_set_version, 1, i & 1), want[i]);
		memcpy(&sv, guest_mem + OP_GVA, sizeof(sv));
		CHECK_EQ(sv.version, 1);
	}
	sv.version = 1;
	memcpy(guest_mem + OP_GVA, &sv, sizeof(sv));
	CHECK_EQ(gnttab_op(GNTTABOP_set_version, 1, false), 0);
	CHECK_EQ(gnttab_op(GNTTABOP_set_version, 0, false), -EINVAL);
	memcpy(guest_mem + OP_GVA, &gv, sizeof(gv));
	CHECK_EQ(gnttab_op(GNTTABOP_get_version, 1, false), 0);
	memcpy(&gv, guest_mem + OP_GVA, sizeof(gv));
	CHECK_EQ(gv.version, 1);
	gv.dom = other.domain_id;
	memcpy(guest_mem + OP_GVA, &gv, sizeof(gv));
	CHECK_EQ(gnttab_op(GNTTABOP_get_version, 1, false), -EPERM);
	gv.dom = DOMID_MISSING;
	memcpy(guest_mem + OP_GVA, &gv, sizeof(gv));
	CHECK_EQ(gnttab_op(GNTTABOP_get_version, 1, false), -ESRCH);
	/* Mapping, copying, ...: -ENOSYS, each logged once. */
	CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, 1, false), -ENOSYS);
	CHECK(harness_output_contains(
		"d1: grant_table_op 0 not supported (-ENOSYS)"));
	CHECK_EQ(gnttab_op(GNTTABOP_copy, 100, true), -ENOSYS);
	CHECK_EQ(gnttab_op(GNTTABOP_copy, 1, false), -ENOSYS);
	CHECK_EQ(dom.gnttab_unsupported_logged,
		 (1UL << GNTTABOP_map_grant_ref) | (1UL << GNTTABOP_copy));
	CHECK_EQ(gnttab_op(4000, 1, false), -ENOSYS);
	CHECK_EQ(gnttab_op(~0U, 1, false), -EINVAL);
	CHECK_EQ(gnttab_op(GNTTABOP_query_size | (1U << 12), 1, false),
		 -EINVAL);
	CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, 0x80000000U, false),
		 -EINVAL);
	CHECK(!dom.grant_table);
}
