/*
 * gnttab: grant-table setup as a stock kernel does it, from a 32-bit
 * guest (compat layouts). query_size: no frames yet, GNTTAB_MAX_FRAMES at
 * most, another domain refused. set_version 1 (the version read back),
 * 2 -ENOSYS, 0 -EINVAL; get_version 1. Frames 0 to NR_MAPPED - 1 mapped
 * with add_to_physmap over pages of its own RAM (filled first: each must
 * read zero once mapped); query_size counts them. A grant entry written
 * through frame 0 is read back, and again once the frame moved to
 * another gfn (the old one then reads all-ones: nothing is there).
 * setup_table lists each frame's gfn. The next frame mapped far above
 * RAM and 4 GiB, where Linux puts its frames, is listed there, and a
 * remove_from_physmap takes it away; the first gfn past the guest's
 * address width is -EINVAL. The maximum frame and a v2 status frame are
 * -EINVAL; remove_from_physmap unhooks a frame. Unsupported
 * ops (map_grant_ref, copy) -ENOSYS, a count other than 1 -EINVAL, bad
 * pointers -EFAULT. FAILURE names the check.
 */
#include <xtf.h>
#include <public/grant_table.h>

#define NR_MAPPED 4

static uint8_t frames[NR_MAPPED][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t moved[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

#define BAD_PTR 0xfffff000U
/* Where a Linux PVH guest of 256 MiB maps its first grant frame. */
#define HIGH_GFN 0x107fffU

static long gnttab_op(unsigned int cmd, void *arg, unsigned int count)
{
	return hypercall3(__HYPERVISOR_grant_table_op, cmd, (uintptr_t)arg,
			  count);
}

static uint32_t gfn_of(const void *p)
{
	return (uintptr_t)p >> PAGE_SHIFT;
}

static long map_frame(uint32_t idx, const void *page)
{
	struct compat_add_to_physmap a = { .domid = DOMID_SELF,
					   .space = XENMAPSPACE_grant_table,
					   .idx = idx,
					   .gpfn = gfn_of(page) };

	return hypercall_memory_op(XENMEM_add_to_physmap, &a);
}

static struct gnttab_query_size query(domid_t dom)
{
	struct gnttab_query_size q = { .dom = dom, .status = 99 };

	check_rc(gnttab_op(GNTTABOP_query_size, &q, 1), 0, "query_size");
	return q;
}

static void versions(void)
{
	struct gnttab_set_version sv = { .version = 2 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };

	check_rc(gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_ENOSYS,
		 "set_version 2");
	check(sv.version == 1, "set_version 2 left version %u", sv.version);
	sv.version = 0;
	check_rc(gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL,
		 "set_version 0");
	sv.version = 1;
	check_rc(gnttab_op(GNTTABOP_set_version, &sv, 1), 0, "set_version 1");
	check(sv.version == 1, "set_version 1 read back %u", sv.version);
	check_rc(gnttab_op(GNTTABOP_get_version, &gv, 1), 0, "get_version");
	check(gv.version == 1, "get_version: %u", gv.version);
}

static bool all_bytes(const volatile uint8_t *p, uint8_t val)
{
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (p[i] != val)
			return false;
	return true;
}

static void map_frames(void)
{
	struct gnttab_query_size q;

	for (unsigned int i = 0; i < NR_MAPPED; i++) {
		memset(frames[i], 0x5a, PAGE_SIZE);
		check_rc(map_frame(i, frames[i]), 0, "add_to_physmap of frame");
		check(all_bytes(frames[i], 0), "frame %u not zero", i);
	}
	q = query(DOMID_SELF);
	check(q.status == GNTST_okay && q.nr_frames == NR_MAPPED,
	      "query_size after mapping: status %d, %u frames", q.status,
	      q.nr_frames);
}

static void entries(void)
{
	volatile struct grant_entry_v1 *e = (void *)frames[0];
	const volatile struct grant_entry_v1 *m = (void *)moved;

	e[5].domid = 0;
	e[5].frame = 0x12345;
	e[5].flags = GTF_permit_access | GTF_readonly;
	check(e[5].flags == (GTF_permit_access | GTF_readonly) &&
		      e[5].domid == 0 && e[5].frame == 0x12345,
	      "grant entry 5 read back wrong");
	/* The frame is the hypervisor's: it moves with what it holds. */
	check_rc(map_frame(0, moved), 0, "add_to_physmap moving frame 0");
	check(m[5].flags == (GTF_permit_access | GTF_readonly) &&
		      m[5].domid == 0 && m[5].frame == 0x12345,
	      "grant entry 5 after the move: flags %x frame %x", m[5].flags,
	      m[5].frame);
	check(all_bytes(frames[0], 0xff),
	      "frame 0's old gfn still maps something");
}

static void frame_list(void)
{
	uint32_t list[NR_MAPPED + 1];
	struct compat_gnttab_setup_table st = { .dom = DOMID_SELF,
						.nr_frames = NR_MAPPED + 1 };

	set_compat_handle(st.frame_list, list);
	check_rc(gnttab_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table");
	check(st.status == GNTST_okay, "setup_table status %d", st.status);
	check(list[0] == gfn_of(moved), "setup_table: frame 0 at %x", list[0]);
	for (unsigned int i = 1; i < NR_MAPPED; i++)
		check(list[i] == gfn_of(frames[i]),
		      "setup_table: frame %u at %x", i, list[i]);
	check(list[NR_MAPPED] == ~0U, "setup_table: a new frame at %x",
	      list[NR_MAPPED]);
	st.nr_frames = 1;
	set_compat_handle(st.frame_list, BAD_PTR);
	check_rc(gnttab_op(GNTTABOP_setup_table, &st, 1), 0,
		 "setup_table with a bad list");
	check(st.status == GNTST_bad_virt_addr,
	      "setup_table with a bad list: status %d", st.status);
}

static uint32_t listed_gfn(uint32_t idx)
{
	uint32_t list[NR_MAPPED + 1];
	struct compat_gnttab_setup_table st = { .dom = DOMID_SELF,
						.nr_frames = idx + 1 };

	set_compat_handle(st.frame_list, list);
	check_rc(gnttab_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table");
	return list[idx];
}

/* Frame NR_MAPPED (setup_table made it) where no RAM is, and unhooked. */
static void high_frame(void)
{
	struct compat_remove_from_physmap r = { .domid = DOMID_SELF,
						.gpfn = HIGH_GFN };
	struct compat_add_to_physmap a = { .domid = DOMID_SELF,
					   .space = XENMAPSPACE_grant_table,
					   .idx = NR_MAPPED,
					   .gpfn = HIGH_GFN };

	check(xtf_p2m_end() > HIGH_GFN, "the p2m ends at gfn %llx",
	      (unsigned long long)xtf_p2m_end());
	check_rc(hypercall_memory_op(XENMEM_add_to_physmap, &a), 0,
		 "add_to_physmap of a frame at gfn 0x107fff");
	check(listed_gfn(NR_MAPPED) == HIGH_GFN,
	      "setup_table: the high frame at %x", listed_gfn(NR_MAPPED));
	check_rc(hypercall_memory_op(XENMEM_remove_from_physmap, &r), 0,
		 "remove_from_physmap of the high frame");
	check(listed_gfn(NR_MAPPED) == ~0U,
	      "setup_table: the removed high frame at %x",
	      listed_gfn(NR_MAPPED));
	check_rc(hypercall_memory_op(XENMEM_remove_from_physmap, &r),
		 -XEN_ENOENT, "remove_from_physmap of the high gfn again");
	if (xtf_p2m_end() <= 0xffffffffu) {
		a.gpfn = (uint32_t)xtf_p2m_end();
		check_rc(hypercall_memory_op(XENMEM_add_to_physmap, &a),
			 -XEN_EINVAL, "add_to_physmap past the p2m");
	}
}

static void refusals(void)
{
	struct gnttab_query_size q;
	struct compat_remove_from_physmap r = { .domid = DOMID_SELF,
						.gpfn = gfn_of(frames[3]) };

	q = query(DOMID_SELF);
	check_rc(map_frame(q.max_nr_frames, frames[1]), -XEN_EINVAL,
		 "add_to_physmap of frame max");
	check_rc(map_frame(XENMAPIDX_grant_table_status, frames[1]),
		 -XEN_EINVAL, "add_to_physmap of a status frame");
	check(query(DOMID_SELF).nr_frames == NR_MAPPED + 1,
	      "refused frames grew the table");
	q = query(xtf_domid() + 1);
	check(q.status == GNTST_permission_denied ||
		      q.status == GNTST_bad_domain,
	      "query_size of another domain: status %d", q.status);
	check_rc(hypercall_memory_op(XENMEM_remove_from_physmap, &r), 0,
		 "remove_from_physmap of frame 3");
	check(all_bytes(frames[3], 0xff), "frame 3 still mapped");
	check_rc(gnttab_op(GNTTABOP_map_grant_ref, &q, 1), -XEN_ENOSYS,
		 "map_grant_ref");
	check_rc(gnttab_op(GNTTABOP_copy, &q, 1), -XEN_ENOSYS, "copy");
	check_rc(gnttab_op(GNTTABOP_query_size, &q, 2), -XEN_EINVAL,
		 "query_size with count 2");
	check_rc(gnttab_op(GNTTABOP_query_size, (void *)BAD_PTR, 1),
		 -XEN_EFAULT, "query_size with a bad pointer");
}

void test_main(unsigned int vcpu)
{
	struct gnttab_query_size q;

	if (vcpu)
		return;
	if (!xtf_has_xen())
		xtf_skip("needs the hypervisor");
	q = query(DOMID_SELF);
	check(q.status == GNTST_okay && q.nr_frames == 0 &&
		      q.max_nr_frames == 32,
	      "query_size: status %d, %u of %u frames", q.status, q.nr_frames,
	      q.max_nr_frames);
	printf("gnttab: %u frames at most\n", q.max_nr_frames);
	versions();
	map_frames();
	entries();
	frame_list();
	high_frame();
	refusals();
	xtf_success();
}
