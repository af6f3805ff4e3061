/*
 * libxenctrl through the in-process transport: handles, pause, shutdown,
 * HVM parameters and the memory reservation, with the errors a caller
 * sees in errno (ESRCH, EPERM, EINVAL, EFAULT, and the _exact variants'
 * EBUSY and EINVAL) and the pages the hypervisor counts.
 *
 * Domains: d1 the control domain, d2 "guest" (GUEST_GFNS gfns, 2 vCPUs),
 * d3 "other" (1 vCPU); DOMID_NONE names none.
 */
#include <errno.h>
#include <stdlib.h>
#include <xenctrl.h>

#include <public/errno.h>
#include <xen_os.h>

#include "check_errno.h"
#include "harness.h"
#include "world.h"

#define GUEST 2
#define OTHER 3
#define DOMID_NONE 9
#define GUEST_GFNS 0x400UL

static xc_interface *setup(void)
{
	xc_interface *xch;

	world_init();
	world_guest(GUEST, "guest", GUEST_GFNS, 2);
	world_guest(OTHER, "other", GUEST_GFNS, 1);
	xch = xc_interface_open(NULL, NULL, 0);
	CHECK(xch);
	return xch;
}

TEST(xc_interface_open_refuses_loggers_and_flags)
{
	int dummy;

	CHECK_NULL_ERRNO(xc_interface_open(&dummy, NULL, 0), EINVAL);
	CHECK_NULL_ERRNO(xc_interface_open(NULL, &dummy, 0), EINVAL);
	CHECK_NULL_ERRNO(xc_interface_open(NULL, NULL, 1), EINVAL);
	CHECK_EQ(xc_interface_close(NULL), 0);
}

TEST(xc_pause_unpause_count)
{
	xc_interface *xch = setup();
	unsigned int start = world_pause_count(GUEST);

	CHECK_EQ(xc_domain_pause(xch, GUEST), 0);
	CHECK_EQ(xc_domain_pause(xch, GUEST), 0);
	CHECK_EQ(world_pause_count(GUEST), start + 2);
	CHECK_EQ(xc_domain_unpause(xch, GUEST), 0);
	CHECK_EQ(xc_domain_unpause(xch, GUEST), 0);
	CHECK_EQ(world_pause_count(GUEST), start);
	/* More unpauses than pauses of the toolstack's: refused. */
	CHECK_ERRNO(xc_domain_unpause(xch, GUEST), EINVAL);
	CHECK_EQ(world_pause_count(GUEST), start);
	xc_interface_close(xch);
}

TEST(xc_bad_domain_is_esrch)
{
	xc_interface *xch = setup();
	uint64_t value;
	xen_pfn_t gfn = 0;

	CHECK_ERRNO(xc_domain_pause(xch, DOMID_NONE), ESRCH);
	CHECK_ERRNO(xc_domain_unpause(xch, DOMID_NONE), ESRCH);
	CHECK_ERRNO(xc_domain_shutdown(xch, DOMID_NONE, SHUTDOWN_poweroff),
		    ESRCH);
	CHECK_ERRNO(xc_hvm_param_get(xch, DOMID_NONE, HVM_PARAM_STORE_PFN,
				     &value),
		    ESRCH);
	CHECK_ERRNO(xc_domain_populate_physmap(xch, DOMID_NONE, 1, 0, 0, &gfn),
		    ESRCH);
	/* Ids that no domid_t holds, refused before any hypercall. */
	CHECK_ERRNO(xc_domain_pause(xch, 0x10000 + GUEST), ESRCH);
	CHECK_EQ(world_pause_count(GUEST), 1);
	xc_interface_close(xch);
}

TEST(xc_not_control_domain_is_eperm)
{
	xc_interface *xch = setup();
	uint64_t value;
	xen_pfn_t gfn = 0;
	unsigned long free = world_free_pages();

	world_act_as(GUEST);
	CHECK_ERRNO(xc_domain_pause(xch, OTHER), EPERM);
	CHECK_ERRNO(xc_domain_shutdown(xch, OTHER, SHUTDOWN_poweroff), EPERM);
	CHECK_ERRNO(xc_hvm_param_get(xch, OTHER, HVM_PARAM_STORE_PFN, &value),
		    EPERM);
	CHECK_ERRNO(xc_domain_populate_physmap(xch, OTHER, 1, 0, 0, &gfn),
		    EPERM);
	CHECK_EQ(world_free_pages(), free);
	CHECK(world_domain_exists(OTHER));
	CHECK_EQ(world_pause_count(OTHER), 1);
	xc_interface_close(xch);
}

/* The transport as the library uses it: a stale interface version. */
TEST(xc_transport_domctl_version_is_eacces)
{
	struct xen_domctl dc = {
		.cmd = XEN_DOMCTL_pausedomain,
		.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1,
		.domain = GUEST,
	};

	xc_interface_close(setup());
	CHECK_EQ(xen_os_hypercall(__HYPERVISOR_domctl, (unsigned long)&dc, 0, 0,
				  0, 0),
		 -XEN_EACCES);
	CHECK_EQ(world_pause_count(GUEST), 1);
	dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	CHECK_EQ(xen_os_hypercall(__HYPERVISOR_domctl, (unsigned long)&dc, 0, 0,
				  0, 0),
		 0);
	CHECK_EQ(world_pause_count(GUEST), 2);
}

TEST(xc_shutdown_ends_the_domain)
{
	xc_interface *xch = setup();
	unsigned long free = world_free_pages();
	xen_pfn_t gfns[4] = { 0, 1, 2, 3 };

	CHECK_EQ(xc_domain_populate_physmap_exact(xch, GUEST, 4, 0, 0, gfns),
		 0);
	CHECK_ERRNO(xc_domain_shutdown(xch, GUEST, SHUTDOWN_crash + 1), EINVAL);
	CHECK(world_domain_exists(GUEST));
	CHECK_EQ(xc_domain_shutdown(xch, GUEST, SHUTDOWN_poweroff), 0);
	CHECK(harness_output_contains("d2 (guest): shutdown: poweroff"));
	CHECK(!world_domain_exists(GUEST));
	/* Its pages, p2m tables and vCPU pages went back. */
	CHECK(world_free_pages() > free);
	xc_interface_close(xch);
}

TEST(xc_hvm_param_set_get)
{
	xc_interface *xch = setup();
	uint64_t value = 0;

	CHECK_EQ(xc_hvm_param_set(xch, GUEST, HVM_PARAM_STORE_PFN, 0x1234), 0);
	CHECK_EQ(xc_hvm_param_get(xch, GUEST, HVM_PARAM_STORE_PFN, &value), 0);
	CHECK_EQ(value, 0x1234);
	/* Another domain's is its own. */
	CHECK_EQ(xc_hvm_param_get(xch, OTHER, HVM_PARAM_STORE_PFN, &value), 0);
	CHECK_EQ(value, 0);
	CHECK_ERRNO(xc_hvm_param_get(xch, GUEST, 1000, &value), EINVAL);
	CHECK_ERRNO(xc_hvm_param_set(xch, GUEST, HVM_PARAM_CALLBACK_IRQ, 7),
		    EINVAL);
	xc_interface_close(xch);
}

TEST(xc_populate_exact_and_decrease_exact)
{
	xc_interface *xch = setup();
	unsigned long free = world_free_pages(), populated;
	xen_pfn_t gfns[3] = { 0x10, 0x11, 0x40 };
	xen_pfn_t big = 0x200; /* a 2 MiB extent */

	CHECK_EQ(xc_domain_populate_physmap_exact(xch, GUEST, 3, 0, 0, gfns),
		 0);
	CHECK_EQ(world_tot_pages(GUEST), 3);
	/* The pages, and the p2m's tables. */
	CHECK(world_free_pages() < free - 3);
	CHECK(world_gfn_page(GUEST, 0x11));
	CHECK(!world_gfn_page(GUEST, 0x12));
	CHECK_EQ(xc_domain_populate_physmap_exact(xch, GUEST, 1, 9, 0, &big),
		 0);
	CHECK_EQ(world_tot_pages(GUEST), 3 + 512);
	CHECK(world_gfn_page(GUEST, 0x3ff));
	populated = world_free_pages();

	CHECK_EQ(xc_domain_decrease_reservation_exact(xch, GUEST, 3, 0, gfns),
		 0);
	CHECK_EQ(xc_domain_decrease_reservation_exact(xch, GUEST, 1, 9, &big),
		 0);
	CHECK_EQ(world_tot_pages(GUEST), 0);
	CHECK(!world_gfn_page(GUEST, 0x10));
	/* Every page back (and a p2m table or so that emptied). */
	CHECK(world_free_pages() >= populated + 3 + 512);
	xc_interface_close(xch);
}

TEST(xc_populate_partial)
{
	xc_interface *xch = setup();
	/* The third is taken already: the call stops there. */
	xen_pfn_t first = 0x22;
	xen_pfn_t gfns[4] = { 0x20, 0x21, 0x22, 0x23 };

	CHECK_EQ(xc_domain_populate_physmap(xch, GUEST, 1, 0, 0, &first), 1);
	CHECK_EQ(xc_domain_populate_physmap(xch, GUEST, 4, 0, 0, gfns), 2);
	CHECK_EQ(world_tot_pages(GUEST), 3);
	CHECK(!world_gfn_page(GUEST, 0x23));
	CHECK_ERRNO(xc_domain_populate_physmap_exact(xch, GUEST, 4, 0, 0, gfns),
		    EBUSY);
	CHECK_EQ(world_tot_pages(GUEST), 3);
	/* Beyond the p2m: none done, which is no error of the call. */
	gfns[0] = GUEST_GFNS;
	CHECK_EQ(xc_domain_populate_physmap(xch, GUEST, 1, 0, 0, gfns), 0);
	xc_interface_close(xch);
}

TEST(xc_decrease_partial)
{
	xc_interface *xch = setup();
	xen_pfn_t gfns[3] = { 0x30, 0x31, 0x32 };

	CHECK_EQ(xc_domain_populate_physmap_exact(xch, GUEST, 2, 0, 0, gfns),
		 0);
	/* 0x32 was never populated: two of three. */
	CHECK_EQ(xc_domain_decrease_reservation(xch, GUEST, 3, 0, gfns), 2);
	CHECK_EQ(world_tot_pages(GUEST), 0);
	CHECK_EQ(xc_domain_populate_physmap_exact(xch, GUEST, 2, 0, 0, gfns),
		 0);
	CHECK_ERRNO(xc_domain_decrease_reservation_exact(xch, GUEST, 3, 0,
							 gfns),
		    EINVAL);
	CHECK_EQ(world_tot_pages(GUEST), 0);
	xc_interface_close(xch);
}

TEST(xc_memory_bad_buffer_and_order)
{
	xc_interface *xch = setup();
	xen_pfn_t gfn = 0;

	CHECK_ERRNO(xc_domain_populate_physmap(xch, GUEST, 1, 0, 0, NULL),
		    EFAULT);
	CHECK_ERRNO(xc_domain_populate_physmap(xch, GUEST, 1, 40, 0, &gfn),
		    EINVAL);
	CHECK_EQ(world_tot_pages(GUEST), 0);
	xc_interface_close(xch);
}
