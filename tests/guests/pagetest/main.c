/*
 * pagetest: a memory test for a domain whose pages a pager moves in and
 * out. Every page of RAM the guest does not use itself gets a pattern that
 * depends on its gfn and the pass; `passes=N` times (default 10) all vCPUs
 * check every page against the last pass's pattern and write the next
 * one. Each vCPU works on one slice per pass, and the slices rotate, so a
 * vCPU reads pages another vCPU wrote. A last round only checks. Each
 * pass, vCPU 0 also hands the hypervisor buffers in 4 of its pages
 * (xen_version(XENVER_extraversion)): each page is likely paged out, so
 * the hypervisor's copy must page it in, and the rest of the page must
 * keep its pattern; and it maps the shared-info page over one of its pages
 * (likely paged out) and puts RAM back there. Without a pager this is
 * simply a memory test. `bench=N`
 * runs the page-in benchmark instead (bench.c), `accessed=1` the target of
 * the pager's accessed-bit check (accessed.c).
 */
#include <xtf.h>

#include "accessed.h"
#include "bench.h"
#include "pattern.h"
#include "perm.h"
#include "ram.h"
#include "shinfo.h"

/* A vCPU may sleep on many page-ins in one pass (Bochs is slow). */
#define PASS_TIMEOUT_S 600
/* Hypercalls with a buffer in a page of RAM, per pass (vCPU 0). */
#define BUFFERS_PER_PASS 4
/* Mismatches printed in full; the rest are only counted. */
#define MAX_SHOWN 8

static unsigned int mismatches, shown;

static void report(uint32_t gfn, unsigned int word, unsigned int pass,
		   uint64_t want, uint64_t got)
{
	atomic_add_return(&mismatches, 1);
	if (atomic_add_return(&shown, 1) > MAX_SHOWN)
		return;
	printf("pagetest: gfn 0x%x word %u: expected 0x%016llx (pass %u), got 0x%016llx\n",
	       gfn, word, (unsigned long long)want, pass,
	       (unsigned long long)got);
}

/* Check the words of page gfn against pass `pass`, except [skip, end). */
static void check_words(uint32_t gfn, unsigned int pass, unsigned int skip,
			unsigned int end)
{
	const uint64_t *p = gfn_page(gfn);
	struct pattern pt = pattern_of(gfn, pass);

	for (unsigned int i = 0; i < WORDS_PER_PAGE; i++) {
		uint64_t want = pattern_word(&pt, i);

		if ((i < skip || i >= end) && p[i] != want)
			report(gfn, i, pass, want, p[i]);
	}
}

static void fill_page(uint32_t gfn, unsigned int pass)
{
	uint64_t *p = gfn_page(gfn);
	struct pattern pt = pattern_of(gfn, pass);

	for (unsigned int i = 0; i < WORDS_PER_PAGE; i++)
		p[i] = pattern_word(&pt, i);
}

/* The first and one past the last page index of slice s of nr. */
static unsigned int slice_start(unsigned int s, unsigned int nr)
{
	return (uint64_t)s * ram_pages() / nr;
}

/*
 * xen_version(XENVER_extraversion) into a page of slice s (this vCPU's
 * for the pass, so no other vCPU touches it) before the pass works on it,
 * page and offset chosen by n, the call's number. Last written a pass ago, the
 * page is likely paged out: the hypervisor's copy sleeps on its page-in,
 * then walks the guest's page tables again (paged meanwhile, too, under
 * pager hot=N). The 16 bytes must be the ones a buffer in the image gets,
 * the other words of the page must still hold pass `last`'s pattern, and
 * the words written over get it back.
 */
static void hypercall_into_page(unsigned int s, unsigned int nr,
				unsigned int last, unsigned int n)
{
	unsigned int first = slice_start(s, nr), end = slice_start(s + 1, nr);
	xen_extraversion_t want, *buf;
	unsigned int off, w0, w1;
	uint32_t gfn;
	long rc;

	if (!xtf_has_xen() || first == end)
		return;
	gfn = ram_gfn(first + n * 2654435761u % (end - first));
	off = n * 104 % (PAGE_SIZE - sizeof(want));
	buf = (xen_extraversion_t *)((char *)gfn_page(gfn) + off);
	rc = hypercall_xen_version(XENVER_extraversion, want);
	check_rc(rc, 0, "xen_version(XENVER_extraversion)");
	rc = hypercall_xen_version(XENVER_extraversion, buf);
	check(rc == 0,
	      "xen_version(XENVER_extraversion) into gfn 0x%x offset %u returned %ld",
	      gfn, off, rc);
	check(!memcmp(buf, want, sizeof(want)),
	      "xen_version(XENVER_extraversion) into gfn 0x%x offset %u wrote '%.16s', not '%.16s'",
	      gfn, off, (const char *)buf, (const char *)want);
	w0 = off / 8;
	w1 = (off + sizeof(want) + 7) / 8;
	check_words(gfn, last, w0, w1);
	fill_page(gfn, last);
}

/*
 * The shared-info page over a page of slice s (shinfo.h), page chosen by
 * n, like the buffers above likely paged out; the RAM put back there gets
 * pass `last`'s pattern again.
 */
static void shared_info_into_page(unsigned int s, unsigned int nr,
				  unsigned int last, unsigned int n)
{
	unsigned int first = slice_start(s, nr), end = slice_start(s + 1, nr);
	uint32_t gfn;

	if (!xtf_has_xen() || first == end)
		return;
	gfn = ram_gfn(first + n * 2246822519u % (end - first));
	shared_info_over(gfn);
	fill_page(gfn, last);
}

/*
 * same=N: before pass `pass` writes anything, all vCPUs read the same
 * page at once, N times with a different page each: with a pager, each
 * likely paged out, so they all fault on it together.
 */
static void read_same(unsigned int nr, unsigned int pass, unsigned int same)
{
	for (unsigned int k = 0; k < same; k++) {
		unsigned int i = (pass * same + k) * 2654435761u % ram_pages();

		xtf_barrier_within(nr, PASS_TIMEOUT_S);
		check_words(ram_gfn(i), pass - 1, 0, 0);
	}
	/* Nobody writes a page until every vCPU has read it. */
	xtf_barrier_within(nr, PASS_TIMEOUT_S);
}

/* Check pass - 1 (unless pass is 0) and write pass (unless it is past N). */
static void do_slice(unsigned int s, unsigned int nr, unsigned int pass,
		     unsigned int passes)
{
	unsigned int end = slice_start(s + 1, nr);

	for (unsigned int i = slice_start(s, nr); i < end; i++) {
		uint32_t gfn = ram_gfn(i);

		if (pass)
			check_words(gfn, pass - 1, 0, 0);
		if (pass <= passes)
			fill_page(gfn, pass);
	}
}

void test_main(unsigned int vcpu)
{
	unsigned int nr = xtf_nr_vcpus();
	unsigned int passes = cmdline_uint("passes", 10);
	unsigned int same = cmdline_uint("same", 0);
	unsigned int bench = cmdline_uint("bench", 0);

	if (vcpu >= nr)
		xtf_error("vCPU %u is running, but the hypervisor has %u vCPUs",
			  vcpu, nr);
	if (cmdline_uint("accessed", 0)) {
		if (vcpu == 0) {
			printf("pagetest: started\n");
			accessed_main();
		}
		return;
	}
	if (bench) {
		if (vcpu == 0)
			printf("pagetest: started\n");
		bench_main(vcpu, nr, bench);
		return;
	}
	if (vcpu == 0) {
		/* The first thing it does (a pager may pause it before). */
		printf("pagetest: started\n");
		if (cmdline_uint("checkperm", 0))
			check_not_control();
		if (!passes)
			xtf_error("passes=0: nothing to test");
		ram_init();
		printf("pagetest: %u pages (%u KiB) on %u vCPU%s, %u passes\n",
		       ram_pages(), ram_pages() * (PAGE_SIZE / 1024), nr,
		       nr > 1 ? "s" : "", passes);
	}
	xtf_barrier(nr); /* the page list is built */
	/*
	 * Pass 0 only writes; pass N + 1 only checks. In pass k vCPU v takes
	 * slice (v + k) % nr, which vCPU v - 1 wrote in pass k - 1.
	 */
	for (unsigned int pass = 0; pass <= passes + 1; pass++) {
		unsigned int s = (vcpu + pass) % nr;

		if (pass && same)
			read_same(nr, pass, same);
		if (vcpu == 0 && pass && pass <= passes) {
			for (unsigned int k = 0; k < BUFFERS_PER_PASS; k++)
				hypercall_into_page(s, nr, pass - 1,
						    pass * BUFFERS_PER_PASS +
							    k);
			shared_info_into_page(s, nr, pass - 1, pass);
		}
		do_slice(s, nr, pass, passes);
		xtf_barrier_within(nr, PASS_TIMEOUT_S);
		if (vcpu || !pass)
			continue;
		if (atomic_read(&mismatches))
			xtf_failure(
				"pagetest: %u mismatched words by pass %u/%u",
				atomic_read(&mismatches), pass, passes);
		if (pass <= passes)
			printf("pagetest: pass %u/%u ok (%u pages)\n", pass,
			       passes, ram_pages());
	}
	if (vcpu)
		return;
	printf("pagetest: %u passes, %u pages, 0 mismatches\n", passes,
	       ram_pages());
	xtf_success();
}
