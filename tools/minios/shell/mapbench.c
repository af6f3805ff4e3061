/*
 * `mapbench DOMID MIB`: foreign mappings timed in dom0, through
 * libxenforeignmemory. The first MIB MiB of domain DOMID's memory (gfns
 * from 0) is mapped BATCH pages per call. A first pass writes into each
 * page's first word a value of its own (its gfn, salted) through a
 * mapping of that page alone, so that a batch mapping the wrong frames
 * cannot agree with it: this overwrites the domain's memory, so it is for
 * a paused domain about to be destroyed. Then RUNS timed passes map each
 * batch, check every page's word, and unmap it. The time in map and unmap calls (the hypervisor's
 * clock; the checks are not counted) gives the pages per second of each
 * pass, printed as their median:
 *
 *   bench dom0_foreign_map_pages_per_s N pages/s
 *
 * A page that does not map or shows another word fails the command, with
 * no figure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <xenforeignmemory.h>

#include <minios/shell.h>
#include <minios/time.h>

#define BATCH 1024
#define RUNS 5
#define MAX_MIB 4096UL
#define PAGES_PER_MIB 256UL
#define PAGE_WORD(gfn) (0x5a5aa5a500000000ULL ^ (gfn))

static xen_pfn_t gfns[BATCH];
static int errs[BATCH];

/*
 * Map gfns [first, first + n) of dom: the mapping, or NULL having said
 * why. *ns gets the time the call took.
 */
static uint64_t *map(xenforeignmemory_handle *fmem, uint32_t dom,
		     unsigned long first, unsigned int n, uint64_t *ns)
{
	uint64_t start;
	uint64_t *p;

	for (unsigned int i = 0; i < n; i++)
		gfns[i] = first + i;
	start = now_ns();
	p = xenforeignmemory_map(fmem, dom,
				 XENFOREIGNMEMORY_PROT_READ |
					 XENFOREIGNMEMORY_PROT_WRITE,
				 n, gfns, errs);
	*ns = now_ns() - start;
	if (!p) {
		printf("mapbench: domain %u gfns 0x%lx+%u: map failed "
		       "(errno %d)\n",
		       dom, first, n, errno);
		return NULL;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (errs[i]) {
			printf("mapbench: domain %u gfn 0x%lx: not mapped "
			       "(%d)\n",
			       dom, first + i, errs[i]);
			xenforeignmemory_unmap(fmem, p, n);
			return NULL;
		}
	}
	return p;
}

/* Unmap p (n pages): the time it took (at least 1), or 0 having said why. */
static uint64_t unmap(xenforeignmemory_handle *fmem, uint64_t *p,
		      unsigned int n)
{
	uint64_t start = now_ns();

	if (xenforeignmemory_unmap(fmem, p, n)) {
		printf("mapbench: unmap failed (errno %d)\n", errno);
		return 0;
	}
	return now_ns() - start + 1;
}

/* Write each page's word, a page per mapping: false on failure. */
static bool seed(xenforeignmemory_handle *fmem, uint32_t dom,
		 unsigned long pages)
{
	uint64_t ns;

	for (unsigned long gfn = 0; gfn < pages; gfn++) {
		uint64_t *p = map(fmem, dom, gfn, 1, &ns);

		if (!p)
			return false;
		*p = PAGE_WORD(gfn);
		if (!unmap(fmem, p, 1))
			return false;
	}
	return true;
}

/*
 * One pass over pages, BATCH a mapping, checking each page's word: the ns
 * spent in map and unmap calls, or 0 on failure.
 */
static uint64_t pass(xenforeignmemory_handle *fmem, uint32_t dom,
		     unsigned long pages)
{
	uint64_t spent = 0, ns, un;

	for (unsigned long first = 0; first < pages; first += BATCH) {
		unsigned int n = pages - first < BATCH ? pages - first : BATCH;
		uint64_t *p = map(fmem, dom, first, n, &ns);

		if (!p)
			return 0;
		for (unsigned int i = 0; i < n; i++) {
			uint64_t *w = p + i * (4096 / sizeof(*p));
			uint64_t want = PAGE_WORD(first + i);

			if (*w != want) {
				printf("mapbench: domain %u gfn 0x%lx: word "
				       "0x%llx, expected 0x%llx\n",
				       dom, first + i, (unsigned long long)*w,
				       (unsigned long long)want);
				unmap(fmem, p, n);
				return 0;
			}
		}
		un = unmap(fmem, p, n);
		if (!un)
			return 0;
		spent += ns + un;
	}
	return spent;
}

static bool parse(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno && *v && *v <= max;
}

static int cmd_mapbench(int argc, char **argv)
{
	xenforeignmemory_handle *fmem;
	unsigned long dom, mib, pages, rate[RUNS];
	unsigned int r;

	if (argc != 3 || !parse(argv[1], DOMID_SELF - 1, &dom) ||
	    !parse(argv[2], MAX_MIB, &mib)) {
		printf("usage: mapbench DOMID MIB (a domain id, 1 to %lu "
		       "MiB)\n",
		       MAX_MIB);
		return 1;
	}
	fmem = xenforeignmemory_open(NULL, 0);
	if (!fmem) {
		printf("mapbench: xenforeignmemory_open: errno %d\n", errno);
		return 1;
	}
	pages = mib * PAGES_PER_MIB;
	if (!seed(fmem, (uint32_t)dom, pages))
		goto fail;
	for (r = 0; r < RUNS; r++) {
		uint64_t ns = pass(fmem, (uint32_t)dom, pages);
		unsigned long v;
		unsigned int i;

		if (!ns)
			goto fail;
		v = (unsigned long)(pages * 1000000000ULL / ns);
		/* Insertion: rate[0..r] stays sorted. */
		for (i = r; i > 0 && rate[i - 1] > v; i--)
			rate[i] = rate[i - 1];
		rate[i] = v;
	}
	xenforeignmemory_close(fmem);
	printf("mapbench: domain %lu, %lu pages in batches of %u, median "
	       "of %u runs\n",
	       dom, pages, BATCH, RUNS);
	printf("bench dom0_foreign_map_pages_per_s %lu pages/s\n",
	       rate[RUNS / 2]);
	return 0;
fail:
	xenforeignmemory_close(fmem);
	return 1;
}

static struct command mapbench_cmd = {
	.name = "mapbench",
	.args = "DOMID MIB",
	.help = "time foreign mappings of a paused domain's first MIB MiB "
		"(overwrites a word of each page)",
	.fn = cmd_mapbench,
};

void mapbench_init(void)
{
	command_register(&mapbench_cmd);
}
