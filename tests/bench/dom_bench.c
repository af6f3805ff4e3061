/*
 * Domains and foreign mappings through the tool libraries (libxenctrl,
 * libxenguest, libxenforeignmemory) on the in-process transport
 * (tests/unit/libs/world.h): the hypervisor's own hypercall handlers,
 * optimised, without sanitizers. Figures:
 *
 *   host.domain_create_destroy        xc_domain_create + xc_domain_destroy
 *   host.domain_create_build_destroy  the same with xg_dom_build() of a
 *                                     32-bit ELF into BUILD_MEM of RAM
 *   host.foreign_map_pages_per_s      xenforeignmemory_map + unmap of a
 *                                     1 GiB domain, BATCH pages a call
 *
 * Each figure is the median of its runs; every run checks its result
 * (the domain had its pages and its image, every page was freed, every
 * mapped page shows the word written into its frame), so a broken path
 * ends the benchmark without a figure. Prints `bench NAME VALUE UNIT`
 * lines, also written to the file of -o.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>
#include <xenguest.h>

#include "bench.h"
#include "shim.h"
#include "world.h"

/* The create rounds (the mapping figure has ROUNDS runs). */
#define CREATE_ROUNDS 201

#define BUILD_MEM (16UL << 20)
/* The test image: LOAD_BYTES loaded at LOAD, page i all IMAGE_BYTE + i. */
#define LOAD 0x100000UL
#define LOAD_BYTES (64UL << 10)
#define IMAGE_BYTE 0x90

#define MAP_MEM (1UL << 30)
#define MAP_PAGES (MAP_MEM >> 12)
#define BATCH 1024
/* The word each page of the mapped domain holds: its gfn, salted. */
#define PAGE_WORD(gfn) (0x5a5aa5a500000000ULL ^ (gfn))

static FILE *figures;

/* value with decimals digits after the point. */
static void figure(const char *name, double value, int decimals,
		   const char *unit)
{
	printf("bench %s %.*f %s\n", name, decimals, value, unit);
	if (figures)
		fprintf(figures, "bench %s %.*f %s\n", name, decimals, value,
			unit);
}

static uint8_t image[4096 + LOAD_BYTES];

static void put(unsigned int off, uint32_t v, unsigned int bytes)
{
	memcpy(image + off, &v, bytes); /* little-endian host */
}

/* A 32-bit ELF entered the PVH way: one PT_LOAD of LOAD_BYTES at LOAD. */
static void make_image(void)
{
	memcpy(image, "\177ELF", 4);
	image[4] = 1; /* ELFCLASS32 */
	image[5] = 1; /* little-endian */
	image[6] = 1;
	put(16, 2, 2); /* ET_EXEC */
	put(18, 3, 2); /* EM_386 */
	put(20, 1, 4);
	put(24, LOAD, 4); /* entry */
	put(28, 52, 4); /* program headers */
	put(40, 52, 2);
	put(42, 32, 2);
	put(44, 1, 2);
	put(52, 1, 4); /* PT_LOAD */
	put(52 + 4, 4096, 4);
	put(52 + 8, LOAD, 4);
	put(52 + 12, LOAD, 4);
	put(52 + 16, LOAD_BYTES, 4);
	put(52 + 20, LOAD_BYTES, 4);
	put(52 + 24, 7, 4);
	for (unsigned int i = 0; i < LOAD_BYTES >> 12; i++)
		memset(image + ((i + 1) << 12), IMAGE_BYTE + i, 4096);
}

static uint32_t create(xc_interface *xch)
{
	struct xen_domctl_createdomain c = {
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
		.max_vcpus = 1,
		.name = "bench",
	};
	xc_domaininfo_t info;
	uint32_t domid = 0;

	REQUIRE(!xc_domain_create(xch, &domid, &c));
	REQUIRE(!xc_domain_getinfo_single(xch, domid, &info));
	return domid;
}

static void build(xc_interface *xch, uint32_t domid, uint64_t mem)
{
	struct xg_dom_args args = { .mem = mem, .vcpus = 1 };
	char why[160];

	if (xg_dom_build(xch, domid, image, sizeof(image), &args, why,
			 sizeof(why)))
		FAIL("xg_dom_build: %s (errno %d)", why, errno);
}

/* The domain had its RAM and its image, each page at its place. */
static void check_built(xc_interface *xch, uint32_t domid, uint64_t mem)
{
	xc_domaininfo_t info;
	const uint8_t *p;

	REQUIRE(!xc_domain_getinfo_single(xch, domid, &info));
	REQUIRE(info.tot_pages == mem >> 12);
	for (unsigned int i = 0; i < LOAD_BYTES >> 12; i++) {
		p = world_gfn_page((uint16_t)domid, (LOAD >> 12) + i);
		REQUIRE(p && p[0] == IMAGE_BYTE + i && p[4095] == p[0]);
	}
}

/* The domain is gone and every page it held is free again. */
static void destroy(xc_interface *xch, uint32_t domid, unsigned long free)
{
	xc_domaininfo_t info;

	REQUIRE(!xc_domain_destroy(xch, domid));
	REQUIRE(xc_domain_getinfo_single(xch, domid, &info) == -1 &&
		errno == ESRCH);
	REQUIRE(world_free_or_dom0_tables() == free);
}

/* Median ns of a create (+ build) + destroy round. */
static double create_rounds(xc_interface *xch, bool with_build)
{
	static double t[CREATE_ROUNDS];
	unsigned long free = world_free_or_dom0_tables();

	for (unsigned int r = 0; r < CREATE_ROUNDS; r++) {
		double start = now_ns(), checks = 0, c0;
		uint32_t domid = create(xch);

		if (with_build) {
			build(xch, domid, BUILD_MEM);
			c0 = now_ns();
			check_built(xch, domid, BUILD_MEM);
			checks = now_ns() - c0;
		}
		destroy(xch, domid, free);
		t[r] = now_ns() - start - checks;
	}
	return median(t, CREATE_ROUNDS);
}

/*
 * One run over the domain's MAP_PAGES pages: the ns spent in map and
 * unmap calls (the check of each page between them is not counted).
 */
static double map_run(xenforeignmemory_handle *fmem, uint32_t domid)
{
	static xen_pfn_t gfns[BATCH];
	static int errs[BATCH];
	double spent = 0;

	for (unsigned long first = 0; first < MAP_PAGES; first += BATCH) {
		double t0, t1, t2;
		uint8_t *p;

		for (unsigned int i = 0; i < BATCH; i++)
			gfns[i] = first + i;
		t0 = now_ns();
		p = xenforeignmemory_map(fmem, domid,
					 XENFOREIGNMEMORY_PROT_READ, BATCH,
					 gfns, errs);
		t1 = now_ns();
		REQUIRE(p);
		for (unsigned int i = 0; i < BATCH; i++) {
			REQUIRE(!errs[i]);
			REQUIRE(*(const uint64_t *)(p + ((size_t)i << 12)) ==
				PAGE_WORD(first + i));
		}
		t2 = now_ns();
		REQUIRE(!xenforeignmemory_unmap(fmem, p, BATCH));
		spent += (t1 - t0) + (now_ns() - t2);
	}
	return spent;
}

static double map_pages_per_s(xc_interface *xch)
{
	xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
	unsigned long free = world_free_or_dom0_tables();
	double t[ROUNDS];
	uint32_t domid = create(xch);

	REQUIRE(fmem);
	build(xch, domid, MAP_MEM);
	check_built(xch, domid, MAP_MEM);
	/* The guest's side: a word in each frame, not through a mapping. */
	for (unsigned long gfn = 0; gfn < MAP_PAGES; gfn++) {
		uint64_t *w = (uint64_t *)world_gfn_page((uint16_t)domid, gfn);

		REQUIRE(w);
		*w = PAGE_WORD(gfn);
	}
	for (unsigned int r = 0; r < ROUNDS; r++)
		t[r] = MAP_PAGES / (map_run(fmem, domid) / 1e9);
	destroy(xch, domid, free);
	xenforeignmemory_close(fmem);
	return median(t, ROUNDS);
}

int main(int argc, char **argv)
{
	xc_interface *xch;
	int opt;

	while ((opt = getopt(argc, argv, "o:")) != -1) {
		if (opt != 'o') {
			fprintf(stderr, "usage: %s [-o FIGURES]\n", argv[0]);
			return 2;
		}
		figures = fopen(optarg, "w");
		if (!figures) {
			perror(optarg);
			return 2;
		}
	}
	shim_init();
	world_init();
	xch = xc_interface_open(NULL, NULL, 0);
	REQUIRE(xch);
	make_image();
	figure("host.domain_create_destroy", create_rounds(xch, false) / 1e3, 1,
	       "us");
	figure("host.domain_create_build_destroy",
	       create_rounds(xch, true) / 1e3, 1, "us");
	figure("host.foreign_map_pages_per_s", map_pages_per_s(xch), 0,
	       "pages/s");
	xc_interface_close(xch);
	return figures && fclose(figures) ? 1 : 0;
}
