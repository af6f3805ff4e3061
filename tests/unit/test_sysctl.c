/*
 * sysctl (sysctl.c) through its handler: the checks every sub-op shares,
 * physinfo, getdomaininfolist in id order and page by page, and
 * readconsole over the console ring (console_ring.c): the newest bytes,
 * incremental reads, a ring that wrapped, clear. The fixture is
 * test_domctl.c's (domctl_fixture.h).
 */
#include <xen/console.h>
#include <asm/time.h>

#include "domctl_fixture.h"

#define RING_SIZE (64 * 1024)

static long list(domid_t first, u32 max, struct xen_domctl_getdomaininfo *out)
{
	struct xen_sysctl s = { .u.getdomaininfolist = {
					.first_domain = first,
					.max_domains = max,
				} };
	long rc;

	set_xen_guest_handle(s.u.getdomaininfolist.buffer,
			     (xen_domctl_getdomaininfo_t *)BUF_GVA);
	rc = sctl(XEN_SYSCTL_getdomaininfolist, &s);
	if (rc)
		return rc;
	memcpy(out, dc_mem + BUF_GVA,
	       s.u.getdomaininfolist.num_domains * sizeof(*out));
	return s.u.getdomaininfolist.num_domains;
}

/* readconsole into BUF_GVA; the bytes (NUL-terminated) into out. */
static long readcon(bool incremental, u32 *index, u32 count, bool clear,
		    char *out)
{
	struct xen_sysctl s = { .u.readconsole = {
					.incremental = incremental,
					.clear = clear,
					.index = index ? *index : 0,
					.count = count,
				} };
	long rc;

	set_xen_guest_handle(s.u.readconsole.buffer, (char *)BUF_GVA);
	memset(dc_mem + BUF_GVA, 0, BUF_SIZE);
	rc = sctl(XEN_SYSCTL_readconsole, &s);
	if (rc)
		return rc;
	if (index)
		*index = s.u.readconsole.index;
	memcpy(out, dc_mem + BUF_GVA, s.u.readconsole.count);
	out[s.u.readconsole.count] = '\0';
	return s.u.readconsole.count;
}

static void write_str(const char *s)
{
	console_ring_write(s, strlen(s));
}

TEST(sysctl_checks)
{
	struct hypercall_args args = { .a = { GUEST_MEM_SIZE - 16 } };
	struct xen_sysctl s = {};

	dc_setup();
	s.cmd = XEN_SYSCTL_physinfo;
	s.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	memcpy(dc_mem + DC_GVA, &s, sizeof(s));
	args.a[0] = DC_GVA;
	CHECK_EQ(sysctl_under_test(plain->vcpu[0], &args), -EPERM);
	args.a[0] = GUEST_MEM_SIZE - 16;
	CHECK_EQ(sysctl_under_test(ctl->vcpu[0], &args), -EFAULT);
	s.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	memcpy(dc_mem + DC_GVA, &s, sizeof(s));
	args.a[0] = DC_GVA;
	CHECK_EQ(sysctl_under_test(ctl->vcpu[0], &args), -EACCES);
	CHECK_EQ(sctl(0, &s), -ENOSYS);
	CHECK_EQ(sctl(2, &s), -ENOSYS);
	CHECK_EQ(sctl(99, &s), -ENOSYS);
	CHECK_EQ(sctl(0xffffffff, &s), -ENOSYS);
	/* The results cannot be written back. */
	fake_guest_mem(dc_mem, sizeof(dc_mem), DC_GVA, DC_GVA + 0x100);
	CHECK_EQ(sctl(XEN_SYSCTL_physinfo, &s), -EFAULT);
}

TEST(sysctl_physinfo)
{
	struct xen_sysctl s;
	long id;

	dc_setup();
	memset(&s, 0xff, sizeof(s));
	CHECK_EQ(sctl(XEN_SYSCTL_physinfo, &s), 0);
	CHECK_EQ(s.u.physinfo.nr_cpus, 1);
	CHECK_EQ(s.u.physinfo.max_cpu_id, 0);
	CHECK_EQ(s.u.physinfo.threads_per_core, 1);
	CHECK_EQ(s.u.physinfo.nr_nodes, 1);
	CHECK_EQ(s.u.physinfo.cpu_khz, tsc_khz);
	CHECK_EQ(s.u.physinfo.capabilities,
		 XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap);
	CHECK_EQ(s.u.physinfo.total_pages, total_heap_pages());
	CHECK_EQ(s.u.physinfo.free_pages, total_free_pages());
	CHECK_EQ(s.u.physinfo.max_mfn, max_valid_pfn());
	CHECK_EQ(s.u.physinfo.scrub_pages, 0);
	/* A domain's memory is no longer free; it is again once gone. */
	id = create("", 0, 1);
	CHECK(total_free_pages() < s.u.physinfo.free_pages);
	destroy(id);
	CHECK_EQ(total_free_pages(), s.u.physinfo.free_pages);
}

TEST(sysctl_getdomaininfolist_in_id_order)
{
	static const domid_t want[] = { 1, 2, 3, 4, 7, 9 };
	struct xen_domctl_getdomaininfo got[16];
	struct xen_domctl dc = {};
	unsigned int seen = 0;
	long n;

	dc_setup();
	CHECK_EQ(create("", 7, 1), 7);
	CHECK_EQ(create("", 4, 1), 4);
	CHECK_EQ(create("", 0, 1), 3);
	CHECK_EQ(create("", 9, 1), 9);
	n = list(0, 16, got);
	CHECK_EQ(n, ARRAY_SIZE(want));
	for (unsigned int k = 0; k < ARRAY_SIZE(want); k++)
		CHECK_EQ(got[k].domain, want[k]);
	/* The same as getdomaininfo gives. */
	CHECK_EQ(dctl(XEN_DOMCTL_getdomaininfo, 7, &dc), 0);
	CHECK(!memcmp(&got[4], &dc.u.getdomaininfo, sizeof(got[4])));
	/* Two at a time, each call from the id after the last one. */
	for (domid_t from = 0; (n = list(from, 2, got)) > 0;
	     from = got[n - 1].domain + 1) {
		CHECK(n <= 2);
		for (long k = 0; k < n; k++, seen++)
			CHECK_EQ(got[k].domain, want[seen]);
	}
	CHECK_EQ(n, 0);
	CHECK_EQ(seen, ARRAY_SIZE(want));
	CHECK_EQ(list(5, 16, got), 2); /* 7 and 9 */
	CHECK_EQ(got[0].domain, 7);
	CHECK_EQ(list(10, 16, got), 0);
	CHECK_EQ(list(0, 0, got), 0);
	CHECK_EQ(list(DOMID_SELF, 16, got), 0);
	/* Destroyed: no longer listed. */
	destroy(4);
	CHECK_EQ(list(4, 1, got), 1);
	CHECK_EQ(got[0].domain, 7);
	/* A buffer that ends early: -EFAULT, and no reference kept. */
	{
		struct xen_sysctl s = { .u.getdomaininfolist = {
						.max_domains = 16,
					} };

		set_xen_guest_handle(
			s.u.getdomaininfolist.buffer,
			(xen_domctl_getdomaininfo_t *)(GUEST_MEM_SIZE -
						       sizeof(got[0]) - 8));
		CHECK_EQ(sctl(XEN_SYSCTL_getdomaininfolist, &s), -EFAULT);
	}
	for (domid_t id = 1; id < 10; id++)
		if (dc_domain_find(id))
			CHECK_EQ(dc_domain_find(id)->refcnt, 0);
}

TEST(sysctl_readconsole_newest_and_incremental)
{
	char out[BUF_SIZE + 1];
	u32 idx = 0;

	dc_setup();
	CHECK_EQ(readcon(false, NULL, 100, false, out), 0); /* empty */
	write_str("(XEN) first\n");
	write_str("(d3) second\n");
	CHECK_EQ(readcon(false, NULL, 7, false, out), 7);
	CHECK_STR_EQ(out, "second\n");
	CHECK_EQ(readcon(false, NULL, 1000, false, out), 24);
	CHECK_STR_EQ(out, "(XEN) first\n(d3) second\n");
	/* Incremental: from index 0, a few bytes at a time, then the rest. */
	CHECK_EQ(readcon(true, &idx, 6, false, out), 6);
	CHECK_STR_EQ(out, "(XEN) ");
	CHECK_EQ(idx, 6);
	CHECK_EQ(readcon(true, &idx, 1000, false, out), 18);
	CHECK_STR_EQ(out, "first\n(d3) second\n");
	CHECK_EQ(idx, 24);
	CHECK_EQ(readcon(true, &idx, 1000, false, out), 0);
	write_str("third\n");
	CHECK_EQ(readcon(true, &idx, 1000, false, out), 6);
	CHECK_STR_EQ(out, "third\n");
	/* An index ahead of the ring: from the oldest byte. */
	idx = 1000;
	CHECK_EQ(readcon(true, &idx, 1000, false, out), 30);
	CHECK_EQ(idx, 30);
	/* count 0 reads nothing. */
	CHECK_EQ(readcon(true, &idx, 0, false, out), 0);
}

TEST(sysctl_readconsole_wraps)
{
	static char line[101];
	char out[BUF_SIZE + 1];
	u32 idx = 0, total = 0;
	long n;

	dc_setup();
	/* 700 lines of 100 bytes: 70000 bytes, more than the ring holds. */
	for (unsigned int k = 0; k < 700; k++) {
		snprintf(line, sizeof(line), "%05u%094u\n", k, 0);
		write_str(line);
	}
	/* Index 0 was overwritten: reading starts at the oldest kept byte. */
	while ((n = readcon(true, &idx, BUF_SIZE, false, out)) > 0) {
		/* Byte 4464 = 70000 - 64 KiB: line 44, its byte 64. */
		if (!total)
			CHECK(out[35] == '\n' &&
			      !strncmp(out + 36, "00045", 5));
		total += n;
	}
	CHECK_EQ(total, RING_SIZE);
	CHECK_EQ(idx, 70000);
	/* The newest 100 bytes: the last line. */
	CHECK_EQ(readcon(false, NULL, 100, false, out), 100);
	CHECK(!strncmp(out, "00699", 5));
	/* A reader that fell behind skips what it lost. */
	idx = 70000 - RING_SIZE - 10;
	CHECK_EQ(readcon(true, &idx, 10, false, out), 10);
	CHECK_EQ(idx, 70000 - RING_SIZE + 10);
	/* Clear: after this read nothing is left. */
	CHECK_EQ(readcon(false, NULL, 50, true, out), 50);
	CHECK_EQ(readcon(false, NULL, 50, false, out), 0);
	idx = 0;
	CHECK_EQ(readcon(true, &idx, 50, false, out), 0);
	CHECK_EQ(idx, 70000);
	write_str("after\n");
	CHECK_EQ(readcon(true, &idx, 50, false, out), 6);
	CHECK_STR_EQ(out, "after\n");
}

TEST(sysctl_readconsole_bad_buffer)
{
	struct xen_sysctl s = { .u.readconsole = { .count = 64 } };
	char out[BUF_SIZE + 1];

	dc_setup();
	write_str("something to read\n");
	set_xen_guest_handle(s.u.readconsole.buffer,
			     (char *)(GUEST_MEM_SIZE - 4));
	CHECK_EQ(sctl(XEN_SYSCTL_readconsole, &s), -EFAULT);
	/* Nothing was consumed or cleared. */
	CHECK_EQ(readcon(false, NULL, 100, false, out), 18);
}
