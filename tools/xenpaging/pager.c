/* A pager's life: attach or adopt, follow the domain, detach, free. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenguest.h>

#include "pager.h"
#include "xenpaging_os.h"

#define PAGE_KB 4u

static int fail(struct xp_pager *p, char *why, size_t size, int err,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Say why in why[size], free what p holds, errno = err: -1. */
static int fail(struct xp_pager *p, char *why, size_t size, int err,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	xp_pager_free(p);
	errno = err;
	return -1;
}

void xp_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof(line))
		len = sizeof(line) - 1;
	if (len > 0)
		xp_os_write(line, (size_t)len);
}

static int read_accessed(void *ctx, uint64_t first, uint32_t nr,
			 uint8_t *bitmap)
{
	struct xp_pager *p = ctx;

	if (xc_mem_paging_accessed(p->xch, p->domid, first, nr, bitmap))
		return -errno;
	return 0;
}

static bool open_handles(struct xp_pager *p)
{
	p->xch = xc_interface_open(NULL, NULL, 0);
	p->fmem = xenforeignmemory_open(NULL, 0);
	p->xce = xenevtchn_open(NULL, 0);
	return p->xch && p->fmem && p->xce;
}

/* The target in pages that a limit of max_pages leaves the RAM. */
static uint64_t target_of_limit(const struct xp_pager *p, uint64_t max_pages)
{
	uint64_t t = max_pages > XG_SPECIAL_GFNS ? max_pages - XG_SPECIAL_GFNS :
						   0;

	return t < p->nr_gfns ? t : p->nr_gfns;
}

/*
 * Everything attach and adopt share, up to the ring (not opened): 0, or
 * -1 having freed p and said why.
 */
static int prepare(const struct xp_options *o, struct xp_pager **out,
		   xc_domaininfo_t *info, char *why, size_t size)
{
	struct xp_pager *p = calloc(1, sizeof(*p));
	uint64_t ring_gfn;

	if (!p)
		return fail(NULL, why, size, ENOMEM, "out of memory");
	*p = (struct xp_pager){ .domid = o->domid,
				.policy_kind = o->policy,
				.verbose = o->verbose };
	if (!open_handles(p))
		return fail(p, why, size, errno, "cannot open the libraries");
	if (xc_domain_getinfo_single(p->xch, o->domid, info))
		return fail(p, why, size, ESRCH, "no domain %u", o->domid);
	if (info->flags & XEN_DOMINF_dying)
		return fail(p, why, size, ESRCH, "domain %u is dying",
			    o->domid);
	if (xc_hvm_param_get(p->xch, o->domid, HVM_PARAM_PAGING_RING_PFN,
			     &ring_gfn) ||
	    !ring_gfn)
		return fail(p, why, size, EINVAL,
			    "domain %u has no paging ring gfn "
			    "(HVM_PARAM_PAGING_RING_PFN)",
			    o->domid);
	p->nr_gfns = ring_gfn;
	if (xp_pager_set_target(p, o->target_kb, why, size)) {
		xp_pager_free(p);
		errno = EINVAL;
		return -1;
	}
	p->max_pages = info->max_pages;
	p->state = calloc(p->nr_gfns, 1);
	p->policy = xp_policy_create(o->policy, p->nr_gfns, read_accessed, p,
				     xp_os_now_ns() ^ o->domid);
	if (!p->state || !p->policy)
		return fail(p, why, size, ENOMEM, "out of memory");
	if (o->store_kb && o->store_kb < PAGE_KB)
		return fail(p, why, size, EINVAL,
			    "store of %llu KiB: too small",
			    (unsigned long long)o->store_kb);
	p->line_ns = p->info_ns = xp_os_now_ns();
	*out = p;
	return 0;
}

/* The ring, last: 0, or -1 having freed p and said why. */
static int open_ring(struct xp_pager *p, char *why, size_t size)
{
	p->ring = xc_vm_event_ring_open(p->xch, p->fmem, p->xce, p->domid);
	if (p->ring)
		return 0;
	if (errno == EBUSY)
		return fail(p, why, size, EBUSY,
			    "domain %u's paging ring is in use: another pager "
			    "serves it",
			    p->domid);
	return fail(p, why, size, errno,
		    "cannot open domain %u's paging ring (errno %d)", p->domid,
		    errno);
}

int xp_pager_attach(const struct xp_options *o, struct xp_pager **out,
		    char *why, size_t why_size)
{
	xc_domaininfo_t info;
	struct xp_pager *p;

	if (prepare(o, &p, &info, why, why_size))
		return -1;
	if (info.paged_pages)
		return fail(p, why, why_size, EEXIST,
			    "domain %u has %llu pages paged out by another "
			    "pager: their contents are not in this store",
			    o->domid, (unsigned long long)info.paged_pages);
	p->store = xp_store_create(p->nr_gfns, o->store_kb * 1024);
	if (!p->store)
		return fail(p, why, why_size, ENOMEM,
			    "out of memory for the store");
	if (open_ring(p, why, why_size))
		return -1;
	*out = p;
	return 0;
}

/* The console ring read to its end: only new lines are looked at. */
static void skip_console(struct xp_pager *p)
{
	char buf[1024];
	unsigned int nr;

	do
		nr = sizeof(buf);
	while (!xc_readconsolering(p->xch, buf, &nr, 0, 1, &p->console_index) &&
	       nr);
}

int xp_pager_adopt(const struct xp_options *o, struct xp_store *store,
		   struct xp_pager **out, char *why, size_t why_size)
{
	xc_domaininfo_t info;
	struct xp_pager *p;

	if (prepare(o, &p, &info, why, why_size)) {
		xp_store_destroy(store);
		return -1;
	}
	p->store = store;
	for (uint64_t gfn = 0; gfn < p->nr_gfns; gfn++) {
		if (!xp_store_has(store, gfn) && xp_store_put_zero(store, gfn))
			return fail(p, why, why_size, ENOMEM,
				    "out of memory for the store");
		p->state[gfn] = XP_PAGED;
	}
	p->paged = p->nr_gfns;
	p->lazy = true;
	p->lazy_start_ns = xp_os_now_ns();
	skip_console(p);
	if (open_ring(p, why, why_size))
		return -1;
	*out = p;
	return 0;
}

int xp_pager_set_target(struct xp_pager *p, uint64_t target_kb, char *why,
			size_t size)
{
	if (target_kb / PAGE_KB > p->nr_gfns) {
		snprintf(
			why, size,
			"target %llu KiB is above domain %u's memory (%llu KiB)",
			(unsigned long long)target_kb, p->domid,
			(unsigned long long)(p->nr_gfns * PAGE_KB));
		return -1;
	}
	p->target = target_kb / PAGE_KB;
	return 0;
}

bool xp_pager_check_domain(struct xp_pager *p)
{
	xc_domaininfo_t info;
	uint64_t target;

	p->info_ns = xp_os_now_ns();
	if (p->gone)
		return false;
	if (xc_domain_getinfo_single(p->xch, p->domid, &info) ||
	    (info.flags & XEN_DOMINF_dying)) {
		p->gone = true;
		return false;
	}
	if (info.max_pages == p->max_pages)
		return true;
	/* xl mem-set: the pager's target follows the domain's limit. */
	p->max_pages = info.max_pages;
	target = target_of_limit(p, info.max_pages);
	p->prefetch = target > p->target;
	p->target = target;
	xp_printf("xenpaging d%u: target %llu KiB (the domain's memory limit "
		  "changed)\n",
		  p->domid, (unsigned long long)(target * PAGE_KB));
	return true;
}

uint64_t xp_pager_low_water(const struct xp_pager *p)
{
	uint64_t slack = p->target / 32;

	if (slack > XP_LOW_WATER_MAX)
		slack = XP_LOW_WATER_MAX;
	return p->target - slack;
}

uint64_t xp_pager_resident(const struct xp_pager *p)
{
	return p->nr_gfns - p->paged - p->not_pageable;
}

void xp_pager_stats_line(struct xp_pager *p, uint64_t now_ns, char *buf,
			 size_t size)
{
	struct xp_store_stats st;
	uint64_t ms = (now_ns - p->line_ns) / 1000000;
	uint64_t faults = p->n.requests - p->line_requests;
	uint64_t rate = ms ? faults * 1000 / ms : 0;

	xp_store_get_stats(p->store, &st);
	snprintf(buf, size,
		 "xenpaging d%u: resident %llu, evicted %llu, page-ins %llu, "
		 "faults/s %llu, store %llu bytes (%llu pages: %llu zero, "
		 "%llu compressed, %llu raw)",
		 p->domid, (unsigned long long)xp_pager_resident(p),
		 (unsigned long long)p->n.evictions,
		 (unsigned long long)p->n.pageins, (unsigned long long)rate,
		 (unsigned long long)st.bytes, (unsigned long long)st.pages,
		 (unsigned long long)st.zero, (unsigned long long)st.compressed,
		 (unsigned long long)st.raw);
	p->line_ns = now_ns;
	p->line_requests = p->n.requests;
}

void xp_pager_free(struct xp_pager *p)
{
	if (!p)
		return;
	xc_vm_event_ring_close(p->ring);
	xp_store_destroy(p->store);
	xp_policy_destroy(p->policy);
	free(p->state);
	xenevtchn_close(p->xce);
	xenforeignmemory_close(p->fmem);
	xc_interface_close(p->xch);
	free(p);
}
