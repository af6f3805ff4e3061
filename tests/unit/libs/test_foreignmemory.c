/*
 * libxenforeignmemory through the in-process transport: pages of a guest
 * mapped by the control domain (XENMEM_add_to_physmap_batch underneath),
 * per-page errors, writes reaching the guest's frames, and the frames'
 * references held until the mapping goes, also past the guest's end.
 *
 * d2 "guest" has GUEST_GFNS gfns; gfns FILLED .. FILLED + 3 hold pages of
 * bytes FILL + i, gfn HOLE none.
 */
#include <errno.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

#include "check_errno.h"
#include "harness.h"
#include "shim.h"
#include "world.h"

#define GUEST 2
#define OTHER 3
#define DOMID_NONE 9
#define GUEST_GFNS 0x100UL
#define FILLED 0x40UL
#define HOLE 0x50UL
#define FILL 0xa0

static xenforeignmemory_handle *setup(void)
{
	xenforeignmemory_handle *fmem;

	world_init();
	world_guest(GUEST, "guest", GUEST_GFNS, 1);
	world_guest(OTHER, "other", GUEST_GFNS, 1);
	for (unsigned int i = 0; i < 4; i++)
		world_populate(GUEST, FILLED + i, FILL + i);
	fmem = xenforeignmemory_open(NULL, 0);
	CHECK(fmem);
	return fmem;
}

TEST(fmem_open_refuses_logger_and_flags)
{
	int dummy;

	CHECK_NULL_ERRNO(xenforeignmemory_open(&dummy, 0), EINVAL);
	CHECK_NULL_ERRNO(xenforeignmemory_open(NULL, 1), EINVAL);
	CHECK_EQ(xenforeignmemory_close(NULL), 0);
}

TEST(fmem_map_reads_and_writes_the_guest_frames)
{
	xenforeignmemory_handle *fmem = setup();
	const xen_pfn_t gfns[4] = { FILLED + 2, FILLED, FILLED + 3,
				    FILLED + 1 };
	const unsigned int order[4] = { 2, 0, 3, 1 };
	int err[4] = { -1, -1, -1, -1 };
	uint8_t *p;

	p = xenforeignmemory_map(fmem, GUEST,
				 XENFOREIGNMEMORY_PROT_READ |
					 XENFOREIGNMEMORY_PROT_WRITE,
				 4, gfns, err);
	CHECK(p);
	for (unsigned int i = 0; i < 4; i++) {
		CHECK_EQ(err[i], 0);
		CHECK_EQ(p[i * 4096], FILL + order[i]);
		CHECK_EQ(p[i * 4096 + 4095], FILL + order[i]);
	}
	/* A write through the mapping is a write to the guest's frame... */
	p[4096 + 7] = 0x5a;
	CHECK_EQ(world_gfn_page(GUEST, FILLED)[7], 0x5a);
	/* ... and the guest's writes are seen through it. */
	world_gfn_page(GUEST, FILLED + 3)[100] = 0x3c;
	CHECK_EQ(p[2 * 4096 + 100], 0x3c);
	CHECK_EQ(xenforeignmemory_unmap(fmem, p, 4), 0);
	/* The frame keeps what was written, after the mapping went. */
	CHECK_EQ(world_gfn_page(GUEST, FILLED)[7], 0x5a);
	CHECK_EQ(xenforeignmemory_close(fmem), 0);
}

TEST(fmem_map_per_page_errors)
{
	xenforeignmemory_handle *fmem = setup();
	const xen_pfn_t gfns[4] = { FILLED, HOLE, FILLED + 1, GUEST_GFNS + 5 };
	int err[4] = { -1, -1, -1, -1 };
	uint8_t *p;

	p = xenforeignmemory_map(fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 4,
				 gfns, err);
	CHECK(p);
	CHECK_EQ(err[0], 0);
	CHECK_EQ(err[1], -EINVAL); /* not populated */
	CHECK_EQ(err[2], 0);
	CHECK_EQ(err[3], -EINVAL); /* beyond the guest's p2m */
	/* The pages after a failed one are where they belong. */
	CHECK_EQ(p[0], FILL);
	CHECK_EQ(p[2 * 4096], FILL + 1);
	CHECK_EQ(xenforeignmemory_unmap(fmem, p, 4), 0);
	xenforeignmemory_close(fmem);
}

TEST(fmem_map_without_err_fails_whole)
{
	xenforeignmemory_handle *fmem = setup();
	const xen_pfn_t gfns[3] = { FILLED, FILLED + 1, HOLE };
	unsigned long free = world_free_or_dom0_tables();
	uint8_t *p;

	CHECK_NULL_ERRNO(xenforeignmemory_map(fmem, GUEST,
					      XENFOREIGNMEMORY_PROT_READ, 3,
					      gfns, NULL),
			 EINVAL);
	/* Nothing stays mapped: the same window maps again at once. */
	p = xenforeignmemory_map(fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 2,
				 gfns, NULL);
	CHECK(p);
	CHECK_EQ(p[4096], FILL + 1);
	CHECK_EQ(xenforeignmemory_unmap(fmem, p, 2), 0);
	CHECK_EQ(world_free_or_dom0_tables(), free);
	xenforeignmemory_close(fmem);
}

TEST(fmem_map_nothing_mapped_errors)
{
	xenforeignmemory_handle *fmem = setup();
	const xen_pfn_t gfns[2] = { FILLED, FILLED + 1 };
	int err[2];

	CHECK_NULL_ERRNO(xenforeignmemory_map(fmem, DOMID_NONE,
					      XENFOREIGNMEMORY_PROT_READ, 2,
					      gfns, err),
			 ESRCH);
	CHECK_EQ(err[0], -ESRCH);
	/* Its own memory is not the control domain's to map this way. */
	CHECK_NULL_ERRNO(xenforeignmemory_map(fmem, WORLD_DOM0,
					      XENFOREIGNMEMORY_PROT_READ, 2,
					      gfns, err),
			 EPERM);
	CHECK_NULL_ERRNO(xenforeignmemory_map(fmem, GUEST,
					      XENFOREIGNMEMORY_PROT_READ, 0,
					      gfns, err),
			 EINVAL);
	CHECK_NULL_ERRNO(xenforeignmemory_map(fmem, GUEST, 4, 2, gfns, err),
			 EINVAL);
	/* Every page failing is nothing mapped. */
	CHECK_NULL_ERRNO(xenforeignmemory_map(fmem, GUEST,
					      XENFOREIGNMEMORY_PROT_READ, 1,
					      (const xen_pfn_t[]){ HOLE }, err),
			 EINVAL);
	CHECK_EQ(err[0], -EINVAL);
	xenforeignmemory_close(fmem);
}

TEST(fmem_map_by_a_domu_is_eperm)
{
	xenforeignmemory_handle *fmem = setup();
	const xen_pfn_t gfns[1] = { FILLED };
	int err[1];

	world_act_as(OTHER);
	CHECK_NULL_ERRNO(xenforeignmemory_map(fmem, GUEST,
					      XENFOREIGNMEMORY_PROT_READ, 1,
					      gfns, err),
			 EPERM);
	xenforeignmemory_close(fmem);
}

TEST(fmem_unmap_bad_address)
{
	xenforeignmemory_handle *fmem = setup();
	const xen_pfn_t gfns[2] = { FILLED, FILLED + 1 };
	uint8_t *p = xenforeignmemory_map(
		fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 2, gfns, NULL);

	CHECK(p);
	CHECK_ERRNO(xenforeignmemory_unmap(fmem, p + 4096, 1), EINVAL);
	CHECK_ERRNO(xenforeignmemory_unmap(fmem, p, 1), EINVAL);
	CHECK_EQ(xenforeignmemory_unmap(fmem, p, 2), 0);
	CHECK_ERRNO(xenforeignmemory_unmap(fmem, p, 2), EINVAL);
	xenforeignmemory_close(fmem);
}

/* A page the guest gives back stays the mapper's until it unmaps. */
TEST(fmem_unmap_releases_given_back_pages)
{
	xenforeignmemory_handle *fmem = setup();
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xen_pfn_t gfns[2] = { FILLED, FILLED + 1 };
	unsigned long free;
	uint8_t *p;

	p = xenforeignmemory_map(fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 2,
				 gfns, NULL);
	CHECK(p);
	free = world_free_or_dom0_tables();
	CHECK_EQ(xc_domain_decrease_reservation_exact(xch, GUEST, 2, 0, gfns),
		 0);
	CHECK(!world_gfn_page(GUEST, FILLED));
	/* Not freed: still mapped, still readable, still the guest's. */
	CHECK_EQ(world_free_or_dom0_tables(), free);
	CHECK_EQ(world_tot_pages(GUEST), 4);
	CHECK_EQ(p[4096], FILL + 1);
	CHECK_EQ(xenforeignmemory_unmap(fmem, p, 2), 0);
	CHECK_EQ(world_free_or_dom0_tables(), free + 2);
	CHECK_EQ(world_tot_pages(GUEST), 2);
	xc_interface_close(xch);
	xenforeignmemory_close(fmem);
}

/* A guest destroyed under a mapping: its frames live until the unmap. */
TEST(fmem_mapping_outlives_its_guest)
{
	xenforeignmemory_handle *fmem = setup();
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	const xen_pfn_t gfns[4] = { FILLED, FILLED + 1, FILLED + 2,
				    FILLED + 3 };
	unsigned long before = world_free_or_dom0_tables(), after;
	uint8_t *p;

	p = xenforeignmemory_map(fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 4,
				 gfns, NULL);
	CHECK(p);
	CHECK_EQ(xc_domain_shutdown(xch, GUEST, SHUTDOWN_poweroff), 0);
	CHECK(!world_domain_exists(GUEST));
	after = world_free_or_dom0_tables();
	CHECK(after > before);
	CHECK_EQ(p[3 * 4096], FILL + 3);
	CHECK_EQ(xenforeignmemory_unmap(fmem, p, 4), 0);
	CHECK_EQ(world_free_or_dom0_tables(), after + 4);
	xc_interface_close(xch);
	xenforeignmemory_close(fmem);
}

struct mapper {
	xenforeignmemory_handle *fmem;
	unsigned int first; /* of its two gfns, from FILLED */
};

/* Map, check, write, unmap its two pages, many times over. */
static void map_many(void *arg)
{
	struct mapper *m = arg;
	const xen_pfn_t gfns[2] = { FILLED + m->first, FILLED + m->first + 1 };

	for (unsigned int i = 0; i < 300; i++) {
		uint8_t *p = xenforeignmemory_map(m->fmem, GUEST,
						  XENFOREIGNMEMORY_PROT_WRITE,
						  2, gfns, NULL);

		CHECK(p);
		CHECK_EQ(p[4096 + 1], (uint8_t)(FILL + m->first + 1));
		p[2] = (uint8_t)i;
		CHECK_EQ(xenforeignmemory_unmap(m->fmem, p, 2), 0);
	}
}

/* Two threads map and unmap at once: each sees its own frames. */
TEST(fmem_map_unmap_threads)
{
	xenforeignmemory_handle *fmem = setup();
	struct mapper a = { fmem, 0 }, b = { fmem, 2 };
	unsigned long free = world_free_or_dom0_tables();
	pthread_t t = shim_thread_start(map_many, &a);

	map_many(&b);
	shim_thread_join(t);
	CHECK_EQ(world_gfn_page(GUEST, FILLED)[2], (uint8_t)299);
	CHECK_EQ(world_gfn_page(GUEST, FILLED + 2)[2], (uint8_t)299);
	CHECK_EQ(world_free_or_dom0_tables(), free);
	xenforeignmemory_close(fmem);
}
