/*
 * xenpaging through the in-process transport: the command evicts a
 * domain down to its target, serves page-ins (a foreign map of a paged
 * gfn asks for it, as a vCPU's touch does) with the bytes it evicted,
 * follows the domain's limit, survives being killed and restarted, pages
 * everything back on detach and refuses bad arguments with a message.
 *
 * Domains: d1 the control domain, d2 "guest" (RAM gfns [0, RAM), its ring
 * gfn RAM after them), d3 "other".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>
#include <xenguest.h>
#include <xenpaging.h>
#include <xenpaging_os.h>
#include <xenvmevent.h>

#include "harness.h"
#include "world.h"
#include "xenpaging_host.h"

#define GUEST 2
#define OTHER 3
#define RAM 256UL

static xc_interface *xch;
static xenforeignmemory_handle *fmem;

/* Byte i of gfn's page as the test wrote it (every page different). */
static uint8_t byte_of(unsigned long gfn, unsigned int i)
{
	return (uint8_t)(gfn * 131 + i * 7 + (i >> 8));
}

static void setup(void)
{
	world_init();
	xp_host_reset();
	xp_host_clear_output();
	world_guest(GUEST, "guest", RAM + 1, 1);
	world_guest(OTHER, "other", RAM + 1, 1);
	for (unsigned long gfn = 0; gfn < RAM; gfn++) {
		uint8_t *page;

		world_populate(GUEST, gfn, 0);
		page = world_gfn_page(GUEST, gfn);
		for (unsigned int i = 0; i < 4096; i++)
			page[i] = byte_of(gfn, i);
	}
	xch = xc_interface_open(NULL, NULL, 0);
	fmem = xenforeignmemory_open(NULL, 0);
	CHECK(xch && fmem);
	CHECK_EQ(xc_hvm_param_set(xch, GUEST, HVM_PARAM_PAGING_RING_PFN, RAM),
		 0);
}

static void teardown(void)
{
	xenpaging_domain_destroyed(GUEST);
	xenpaging_domain_destroyed(OTHER);
	xp_host_reset();
	xenforeignmemory_close(fmem);
	xc_interface_close(xch);
}

/* xenpaging with the words of line (at most 15): what it returned. */
static int run(const char *line)
{
	char copy[256], *argv[16];
	int argc = 0;

	snprintf(copy, sizeof(copy), "xenpaging %s", line);
	for (char *w = strtok(copy, " "); w && argc < 15; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	return xenpaging_main(argc, argv);
}

static uint64_t paged_pages(uint32_t domid)
{
	xc_domaininfo_t info;

	CHECK_EQ(xc_domain_getinfo_single(xch, domid, &info), 0);
	return info.paged_pages;
}

static unsigned long resident_gfns(void)
{
	unsigned long n = 0;

	for (unsigned long gfn = 0; gfn < RAM; gfn++)
		n += world_gfn_page(GUEST, gfn) != NULL;
	return n;
}

/*
 * Map gfn as a mapper that retries on ENOENT while the pager threads run:
 * every byte must be what the test wrote.
 */
static bool page_intact(unsigned long gfn)
{
	xen_pfn_t pfn = gfn;
	uint8_t *map = NULL;
	bool ok = true;
	int err = 0;

	for (int tries = 0; !map && tries < 50; tries++) {
		map = xenforeignmemory_map(
			fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 1, &pfn, &err);
		if (!map) {
			CHECK_EQ(errno, ENOENT);
			xp_host_run();
		}
	}
	CHECK(map);
	for (unsigned int i = 0; i < 4096; i++)
		ok &= map[i] == byte_of(gfn, i);
	CHECK_EQ(xenforeignmemory_unmap(fmem, map, 1), 0);
	return ok;
}

static bool output_has(const char *s)
{
	return strstr(xp_host_output(), s);
}

TEST(xenpaging_evicts_to_the_target_and_pages_back_intact)
{
	setup();
	/* 64 pages of 256 resident: 192 evicted before the command returns. */
	CHECK_EQ(run("-d 2 -m 256"), 0);
	CHECK(output_has("xenpaging d2: attached: 256 pages of RAM, target "
			 "256 KiB, policy clock"));
	CHECK(output_has("xenpaging d2: resident 64 of 256 pages (target 64) "
			 "after 192 evictions"));
	CHECK_EQ(paged_pages(GUEST), 192);
	CHECK_EQ(resident_gfns(), 64);
	CHECK(xenpaging_has_pager(GUEST));
	/* Every page, paged or not, reads back as written. */
	for (unsigned long gfn = 0; gfn < RAM; gfn++)
		CHECK(page_intact(gfn));
	xp_host_clear_output();
	CHECK_EQ(run("-d 2 --stats"), 0);
	CHECK(output_has("xenpaging d2: resident "));
	CHECK(output_has(", evicted "));
	CHECK(!output_has("page-ins 0,"));
	teardown();
}

TEST(xenpaging_detach_brings_every_page_back)
{
	setup();
	CHECK_EQ(run("-d 2 -m 64 -p random"), 0);
	CHECK_EQ(paged_pages(GUEST), RAM - 16);
	CHECK_EQ(run("-d 2 --detach"), 0);
	CHECK(output_has("xenpaging d2: detached: every page back in (240 "
			 "page-ins now), the ring closed"));
	CHECK_EQ(paged_pages(GUEST), 0);
	CHECK_EQ(resident_gfns(), RAM);
	CHECK(!xenpaging_has_pager(GUEST));
	for (unsigned long gfn = 0; gfn < RAM; gfn++)
		CHECK(page_intact(gfn));
	/* The ring is free for the next pager. */
	CHECK_EQ(run("-d 2 -m 1024"), 0);
	teardown();
}

TEST(xenpaging_refuses_bad_arguments_with_a_message)
{
	static const struct {
		const char *line, *message;
		int rc;
	} cases[] = {
		{ "-d 9 -m 64", "xenpaging: no domain 9", 1 },
		{ "-d 2 -m 4096",
		  "xenpaging: target 4096 KiB is above domain "
		  "2's memory (1024 KiB)",
		  1 },
		{ "-d 2 -m 64 -p lru", "xenpaging: -p lru: no such policy", 1 },
		{ "-d 2 -m x", "xenpaging: -m x: not a size in KiB", 1 },
		{ "-d 2 --stats", "xenpaging: domain 2 has no pager", 1 },
		{ "-d 2 --frob", "xenpaging: '--frob': unknown option", 1 },
		{ "-m 64", "usage: xenpaging -d DOMID -m MAX_KB", 2 },
		{ "-d 2", "usage: xenpaging -d DOMID -m MAX_KB", 2 },
		{ "-d 3 -m 64", "xenpaging: domain 3 has no paging ring gfn",
		  1 },
	};

	setup();
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xp_host_clear_output();
		CHECK_EQ(run(cases[i].line), cases[i].rc);
		if (!output_has(cases[i].message))
			FAIL("'xenpaging %s' said '%s'", cases[i].line,
			     xp_host_output());
	}
	CHECK_EQ(paged_pages(GUEST), 0);
	/* A second pager for a paged domain. */
	CHECK_EQ(run("-d 2 -m 512"), 0);
	xp_host_clear_output();
	CHECK_EQ(run("-d 2 -m 512"), 1);
	CHECK(output_has("xenpaging: domain 2 already has a pager"));
	teardown();
}

TEST(xenpaging_refuses_a_ring_another_pager_serves)
{
	xenevtchn_handle *xce;
	xc_vm_event_ring *ring;

	setup();
	xce = xenevtchn_open(NULL, 0);
	ring = xc_vm_event_ring_open(xch, fmem, xce, GUEST);
	CHECK(ring);
	CHECK_EQ(run("-d 2 -m 512"), 1);
	if (!output_has("in use"))
		FAIL("said '%s'", xp_host_output());
	CHECK(output_has("xenpaging: domain 2's paging ring is in use: "
			 "another pager serves it"));
	CHECK(!xenpaging_has_pager(GUEST));
	CHECK_EQ(xc_vm_event_ring_close(ring), 0);
	xenevtchn_close(xce);
	teardown();
}

TEST(xenpaging_killed_and_restarted_loses_nothing)
{
	xen_pfn_t pfn;
	int err;

	setup();
	/* 32 pages resident, and one more out: 31 (the target less 1/32). */
	CHECK_EQ(run("-d 2 -m 128"), 0);
	CHECK_EQ(run("-d 2 --kill"), 0);
	CHECK(output_has("xenpaging d2: pager killed: 225 pages stay paged "
			 "out"));
	CHECK_EQ(xp_host_threads(), 0);
	/* A paged gfn asked for while no pager runs: nobody answers. */
	for (pfn = 0; world_gfn_page(GUEST, pfn); pfn++)
		;
	CHECK(!xenforeignmemory_map(fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 1,
				    &pfn, &err));
	xp_host_run();
	CHECK(!world_gfn_page(GUEST, pfn));
	xp_host_clear_output();
	CHECK_EQ(run("-d 2 --stats"), 0);
	CHECK(output_has("[killed]"));
	CHECK_EQ(run("-d 2 --kill"), 1);
	/* The restart serves the request left on the ring. */
	CHECK_EQ(run("-d 2 -m 128"), 0);
	CHECK(output_has("xenpaging d2: restarted: 225 pages paged out kept"));
	for (int i = 0; i < 10 && !world_gfn_page(GUEST, pfn); i++)
		xp_host_run();
	CHECK(world_gfn_page(GUEST, pfn));
	for (unsigned long gfn = 0; gfn < RAM; gfn++)
		CHECK(page_intact(gfn));
	teardown();
}

TEST(xenpaging_follows_the_domains_memory_limit)
{
	setup();
	CHECK_EQ(run("-d 2 -m 1024"), 0);
	CHECK_EQ(paged_pages(GUEST), 0);
	/* xl mem-set 512K: 128 pages and the special gfns' (ring, console) */
	CHECK_EQ(xc_domain_setmaxmem(xch, GUEST, (128 + XG_SPECIAL_GFNS) * 4),
		 0);
	xp_os_sleep_ms(100);
	for (int i = 0; i < 20; i++)
		xp_host_run();
	CHECK(output_has("xenpaging d2: target 512 KiB (the domain's memory "
			 "limit changed)"));
	/* Down to the target less a batch (1/32 of it). */
	CHECK_EQ(paged_pages(GUEST), 128 + 4);
	/* Back up: the pages come back without being asked for. */
	CHECK_EQ(xc_domain_setmaxmem(xch, GUEST, (RAM + 1) * 4), 0);
	xp_os_sleep_ms(100);
	for (int i = 0; i < 20; i++)
		xp_host_run();
	CHECK_EQ(paged_pages(GUEST), 0);
	for (unsigned long gfn = 0; gfn < RAM; gfn++)
		CHECK(page_intact(gfn));
	teardown();
}

TEST(xenpaging_lets_go_of_a_destroyed_domain)
{
	setup();
	CHECK_EQ(run("-d 2 -m 256"), 0);
	CHECK_EQ(run("-d 2 --kill"), 0);
	CHECK_EQ(xc_domain_destroy(xch, GUEST), 0);
	xenpaging_domain_destroyed(GUEST);
	CHECK(!xenpaging_has_pager(GUEST));
	CHECK(!world_domain_exists(GUEST));
	/* A live pager sees its domain go by itself. */
	CHECK_EQ(xc_hvm_param_set(xch, OTHER, HVM_PARAM_PAGING_RING_PFN, RAM),
		 0);
	world_populate(OTHER, 5, 0x55);
	CHECK_EQ(run("-d 3 -m 0"), 0);
	CHECK_EQ(paged_pages(OTHER), 1);
	xp_host_clear_output();
	CHECK_EQ(xc_domain_destroy(xch, OTHER), 0);
	xp_os_sleep_ms(100);
	CHECK(output_has("xenpaging d3: domain gone: pager stopped (1 "
			 "evictions, 0 page-ins)"));
	CHECK(!xenpaging_has_pager(OTHER));
	CHECK(!world_domain_exists(OTHER));
	teardown();
}

/* Gfns [0, 64) used (the CPU set their accessed bits), the rest not. */
static void touch_first_64(void)
{
	for (unsigned long gfn = 0; gfn < 64; gfn++)
		world_touch(GUEST, gfn);
}

static unsigned long used_ones_paged(void)
{
	unsigned long n = 0;

	for (unsigned long gfn = 0; gfn < 64; gfn++)
		n += !world_gfn_page(GUEST, gfn);
	return n;
}

TEST(xenpaging_clock_passes_over_used_pages)
{
	setup();
	/* The memory is new: every leaf starts with its bit clear. */
	touch_first_64();
	CHECK_EQ(run("-d 2 -m 768"), 0);
	CHECK(output_has("policy clock (accessed bits read)"));
	CHECK_EQ(paged_pages(GUEST), 64);
	CHECK_EQ(used_ones_paged(), 0);
	teardown();
}

TEST(xenpaging_clock_without_accessed_bits)
{
	setup();
	world_accessed_bits(GUEST, false);
	touch_first_64();
	CHECK_EQ(run("-d 2 -m 768"), 0);
	CHECK(output_has("policy clock (no accessed bits: page-ins only)"));
	/* A sweep from gfn 0 with nothing to go by takes the first 64. */
	CHECK_EQ(used_ones_paged(), 64);
	teardown();
}

TEST(xenpaging_random_ignores_accessed_bits)
{
	setup();
	touch_first_64();
	CHECK_EQ(run("-d 2 -m 256 -p random"), 0);
	/* 192 of 256 at random: a quarter of the used ones stay. */
	CHECK(used_ones_paged() > 16 && used_ones_paged() < 64);
	teardown();
}

TEST(xenpaging_store_limit_stops_evicting_and_loses_nothing)
{
	setup();
	/* 64 KiB of store: well short of 192 pages of these. */
	CHECK_EQ(run("-d 2 -m 256 -s 64"), 0);
	CHECK(output_has("xenpaging d2: store full: "));
	CHECK(paged_pages(GUEST) > 0);
	CHECK(paged_pages(GUEST) < 192);
	for (unsigned long gfn = 0; gfn < RAM; gfn++)
		CHECK(page_intact(gfn));
	CHECK_EQ(run("-d 2 --detach"), 0);
	CHECK_EQ(paged_pages(GUEST), 0);
	teardown();
}

TEST(xenpaging_page_in_at_the_limit_waits_for_room)
{
	xen_pfn_t pfn;
	int err;

	setup();
	CHECK_EQ(run("-d 2 -m 512"), 0);
	for (pfn = 0; world_gfn_page(GUEST, pfn); pfn++)
		;
	/* The limit drops to 64 pages before the pager has looked. */
	CHECK_EQ(xc_domain_setmaxmem(xch, GUEST, (64 + 1) * 4), 0);
	CHECK(!xenforeignmemory_map(fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 1,
				    &pfn, &err));
	xp_host_run();
	CHECK(output_has("xenpaging d2: at its memory limit with nothing left "
			 "to evict: page-ins wait"));
	/* Once it follows the limit there is room, and the request is met. */
	xp_os_sleep_ms(100);
	for (int i = 0; i < 10 && !world_gfn_page(GUEST, pfn); i++)
		xp_host_run();
	CHECK(world_gfn_page(GUEST, pfn));
	CHECK(paged_pages(GUEST) >= RAM - 64);
	CHECK(page_intact(pfn));
	teardown();
}

TEST(xenpaging_verbose_says_each_move)
{
	setup();
	CHECK_EQ(run("-d 2 -m 512 -v"), 0);
	CHECK(output_has("xenpaging d2: evicted 64, resident 192"));
	CHECK(!world_gfn_page(GUEST, 0));
	CHECK(page_intact(0));
	CHECK(output_has("xenpaging d2: page-in request for gfn 0x"));
	CHECK(output_has(" (foreign)"));
	teardown();
}
