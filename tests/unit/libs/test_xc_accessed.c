/*
 * xc_mem_paging_accessed through the in-process transport: the test sets
 * accessed bits in the guest's nested tables as the CPU would
 * (world_touch()); the call reports exactly those gfns and clears them,
 * needs no ring, and each error comes back in errno without losing a bit.
 *
 * Domains: d1 the control domain, d2 "guest" (GUEST_GFNS gfns, FILLED..
 * populated, the rest holes); DOMID_NONE names none.
 */
#include <errno.h>
#include <string.h>
#include <xenctrl.h>

#include "check_errno.h"
#include "harness.h"
#include "world.h"

#define GUEST 2
#define DOMID_NONE 9
#define GUEST_GFNS 0x1000UL
#define FILLED 0x40UL
#define NR_FILLED 8

static xc_interface *setup(void)
{
	xc_interface *xch;

	world_init();
	world_guest(GUEST, "guest", GUEST_GFNS, 1);
	for (unsigned long i = 0; i < NR_FILLED; i++)
		world_populate(GUEST, FILLED + i, (uint8_t)i);
	xch = xc_interface_open(NULL, NULL, 0);
	CHECK(xch);
	return xch;
}

static bool bit(const uint8_t *bm, unsigned int i)
{
	return (bm[i / 8] >> (i % 8)) & 1;
}

TEST(xc_accessed_reports_the_used_gfns_once)
{
	xc_interface *xch = setup();
	uint8_t bm[4];

	world_touch(GUEST, FILLED);
	world_touch(GUEST, FILLED + 2);
	world_touch(GUEST, FILLED + 7);
	/* A hole: no translation, nothing for the CPU to mark. */
	world_touch(GUEST, FILLED + NR_FILLED);
	memset(bm, 0xff, sizeof(bm));
	/* From the hole below FILLED: bit i is gfn FILLED - 1 + i. */
	CHECK_EQ(xc_mem_paging_accessed(xch, GUEST, FILLED - 1, 10, bm), 0);
	for (unsigned int i = 0; i < 10; i++)
		CHECK_EQ(bit(bm, i), i == 1 || i == 3 || i == 8);
	/* Two bytes written for 10 gfns, not more. */
	CHECK_EQ(bm[2], 0xff);
	/* Cleared: nothing was used since. */
	CHECK_EQ(xc_mem_paging_accessed(xch, GUEST, FILLED - 1, 10, bm), 0);
	CHECK_EQ(bm[0], 0);
	CHECK_EQ(bm[1], 0);
	world_touch(GUEST, FILLED + 2);
	CHECK_EQ(xc_mem_paging_accessed(xch, GUEST, FILLED, 8, bm), 0);
	CHECK_EQ(bm[0], 1u << 2);
	/* nr 0: nothing asked, nothing written (NULL is fine). */
	CHECK_EQ(xc_mem_paging_accessed(xch, GUEST, FILLED, 0, NULL), 0);
	xc_interface_close(xch);
}

TEST(xc_accessed_errors)
{
	xc_interface *xch = setup();
	uint8_t bm[XENMEM_PAGING_ACCESSED_MAX_NR / 8 + 1];

	world_touch(GUEST, FILLED);
	CHECK_ERRNO(xc_mem_paging_accessed(xch, GUEST, 0,
					   XENMEM_PAGING_ACCESSED_MAX_NR + 1,
					   bm),
		    EINVAL);
	CHECK_ERRNO(xc_mem_paging_accessed(xch, GUEST, GUEST_GFNS - 4, 8, bm),
		    EINVAL);
	CHECK_ERRNO(xc_mem_paging_accessed(xch, DOMID_NONE, FILLED, 8, bm),
		    ESRCH);
	CHECK_ERRNO(xc_mem_paging_accessed(xch, 0x10002, FILLED, 8, bm), ESRCH);
	CHECK_ERRNO(xc_mem_paging_accessed(xch, WORLD_DOM0, 0, 8, bm), EINVAL);
	/* A bitmap the hypervisor cannot write: nothing cleared. */
	CHECK_ERRNO(xc_mem_paging_accessed(xch, GUEST, FILLED, 8, NULL),
		    EFAULT);
	/* Only the control domain. */
	world_act_as(GUEST);
	CHECK_ERRNO(xc_mem_paging_accessed(xch, GUEST, FILLED, 8, bm), EPERM);
	world_act_as(WORLD_DOM0);
	/* A CPU that keeps no accessed bits for the guest (EPT without A/D) */
	world_accessed_bits(GUEST, false);
	CHECK_ERRNO(xc_mem_paging_accessed(xch, GUEST, FILLED, 0, NULL),
		    EOPNOTSUPP);
	CHECK_ERRNO(xc_mem_paging_accessed(xch, GUEST, FILLED, 8, bm),
		    EOPNOTSUPP);
	world_accessed_bits(GUEST, true);
	/* The whole range in one call, and the use still there. */
	CHECK_EQ(xc_mem_paging_accessed(xch, GUEST, 0, GUEST_GFNS, bm), 0);
	for (unsigned long g = 0; g < GUEST_GFNS; g++)
		CHECK_EQ(bit(bm, g), g == FILLED);
	xc_interface_close(xch);
}
