/* xenpaging's command line (xenpaging.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "xenpaging.h"
#include "xenpaging_os.h"

/* How long attach waits for the first eviction down to the target. */
#define ATTACH_WAIT_MS 20000u
#define MS 1000000ull

enum action { ATTACH, DETACH, STATS, KILL };

struct args {
	enum action action;
	struct xp_options o;
	bool have_domid, have_target;
};

static int usage(void)
{
	xp_printf("usage: xenpaging -d DOMID -m MAX_KB [-p clock|random] "
		  "[-s STORE_KB] [-v]\n"
		  "       xenpaging -d DOMID --detach | --stats | --kill\n");
	return 2;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	xp_printf("xenpaging: %s\n", line);
	return 1;
}

/* A decimal number below 2^40 into *v: false if malformed. */
static bool parse_number(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long n;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end || errno || n >= (1ull << 40))
		return false;
	*v = n;
	return true;
}

/* An option's value: the next word (advancing *i), or NULL. */
static const char *value(int argc, char **argv, int *i)
{
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static int parse(int argc, char **argv, struct args *a)
{
	uint64_t n;

	*a = (struct args){ .action = ATTACH, .o.policy = XP_POLICY_CLOCK };
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i], *v;

		if (!strcmp(w, "--detach")) {
			a->action = DETACH;
		} else if (!strcmp(w, "--stats")) {
			a->action = STATS;
		} else if (!strcmp(w, "--kill")) {
			a->action = KILL;
		} else if (!strcmp(w, "-v")) {
			a->o.verbose = true;
		} else if (!strcmp(w, "-d")) {
			v = value(argc, argv, &i);
			if (!parse_number(v, &n) || n >= 0x7ff0)
				return fail("-d %s: not a domain id",
					    v ? v : "");
			a->o.domid = (uint32_t)n;
			a->have_domid = true;
		} else if (!strcmp(w, "-m")) {
			v = value(argc, argv, &i);
			if (!parse_number(v, &a->o.target_kb))
				return fail("-m %s: not a size in KiB",
					    v ? v : "");
			a->have_target = true;
		} else if (!strcmp(w, "-s")) {
			v = value(argc, argv, &i);
			if (!parse_number(v, &a->o.store_kb))
				return fail("-s %s: not a size in KiB",
					    v ? v : "");
		} else if (!strcmp(w, "-p")) {
			v = value(argc, argv, &i);
			if (!v || !xp_policy_parse(v, &a->o.policy))
				return fail("-p %s: no such policy (clock, "
					    "random)",
					    v ? v : "");
		} else {
			return fail("'%s': unknown option", w);
		}
	}
	if (!a->have_domid || (a->action == ATTACH && !a->have_target))
		return usage();
	if (a->action != ATTACH && a->have_target)
		return usage();
	return 0;
}

/*
 * Wait until the new pager is at its target (the domain may run and use
 * its pages meanwhile: give up after ATTACH_WAIT_MS) and say so.
 */
static void wait_for_target(struct xp_slot *s, uint64_t since)
{
	uint32_t domid = s->domid;
	struct xp_pager *p = s->pager;

	/* Not busy: the last step evicted nothing (every candidate used). */
	while (xp_slot_find(domid) == s && xp_pager_resident(p) > p->target &&
	       s->busy && !p->store_full &&
	       (xp_os_now_ns() - since) / MS < ATTACH_WAIT_MS)
		xp_os_sleep_ms(5);
	if (xp_slot_find(domid) != s)
		return;
	xp_printf("xenpaging d%u: resident %llu of %llu pages (target %llu) "
		  "after %llu evictions in %llu ms; policy %s%s\n",
		  domid, (unsigned long long)xp_pager_resident(p),
		  (unsigned long long)p->nr_gfns, (unsigned long long)p->target,
		  (unsigned long long)p->n.evictions,
		  (unsigned long long)((xp_os_now_ns() - since) / MS),
		  xp_policy_name(p->policy_kind),
		  p->policy_kind != XP_POLICY_CLOCK  ? "" :
		  xp_policy_uses_accessed(p->policy) ? " (accessed bits read)" :
						       " (no accessed bits: "
						       "page-ins only)");
}

static int attach(const struct args *a)
{
	struct xp_slot *s = xp_slot_find(a->o.domid);
	uint64_t since = xp_os_now_ns();
	struct xp_pager *p;
	char why[160];

	if (s && s->running)
		return fail("domain %u already has a pager (--detach or "
			    "--kill it first)",
			    a->o.domid);
	if (s) {
		/* A killed pager: its ring and store are taken up again. */
		if (xp_pager_set_target(s->pager, a->o.target_kb, why,
					sizeof(why)))
			return fail("%s", why);
		s->pager->verbose = a->o.verbose;
		if (xp_slot_restart(s))
			return fail("no thread for domain %u's pager",
				    a->o.domid);
		xp_printf("xenpaging d%u: restarted: %llu pages paged out "
			  "kept in the store, the ring taken up again\n",
			  a->o.domid, (unsigned long long)s->pager->paged);
		wait_for_target(s, since);
		return 0;
	}
	if (xp_pager_attach(&a->o, &p, why, sizeof(why)))
		return fail("%s", why);
	xp_printf("xenpaging d%u: attached: %llu pages of RAM, target %llu "
		  "KiB, policy %s, store %s%s\n",
		  a->o.domid, (unsigned long long)p->nr_gfns,
		  (unsigned long long)a->o.target_kb,
		  xp_policy_name(a->o.policy),
		  a->o.store_kb ? "limited" : "unlimited",
		  a->o.verbose ? ", verbose" : "");
	s = xp_slot_start(p);
	if (!s)
		return fail("no thread for domain %u's pager", a->o.domid);
	wait_for_target(s, since);
	return 0;
}

static int detach(struct xp_slot *s)
{
	uint32_t domid = s->domid;
	uint64_t pageins;

	xp_slot_stop(s);
	pageins = s->pager->n.pageins;
	if (xp_pager_detach(s->pager)) {
		/* Nothing lost: the pager goes on where it was. */
		xp_slot_restart(s);
		return fail("%s", s->pager->why);
	}
	xp_printf("xenpaging d%u: detached: every page back in (%llu "
		  "page-ins now), the ring closed\n",
		  domid, (unsigned long long)(s->pager->n.pageins - pageins));
	xp_slot_free(s);
	return 0;
}

int xenpaging_main(int argc, char **argv)
{
	struct xp_slot *s;
	struct args a;
	char line[200];
	int rc = parse(argc, argv, &a);

	if (rc)
		return rc;
	if (a.action == ATTACH)
		return attach(&a);
	s = xp_slot_find(a.o.domid);
	if (!s)
		return fail("domain %u has no pager", a.o.domid);
	switch (a.action) {
	case STATS:
		xp_pager_stats_line(s->pager, xp_os_now_ns(), line,
				    sizeof(line));
		xp_printf("%s%s\n", line, s->running ? "" : " [killed]");
		return 0;
	case KILL:
		if (!s->running)
			return fail("domain %u's pager is not running",
				    a.o.domid);
		xp_slot_stop(s);
		xp_printf("xenpaging d%u: pager killed: %llu pages stay paged "
			  "out; its ring and store wait for a restart\n",
			  a.o.domid, (unsigned long long)s->pager->paged);
		return 0;
	default:
		return detach(s);
	}
}

int xenpaging_lazy_start(uint32_t domid, struct xp_store *store,
			 uint64_t target_kb, char *why, size_t size)
{
	struct xp_options o = { .domid = domid,
				.target_kb = target_kb,
				.policy = XP_POLICY_CLOCK };
	struct xp_pager *p;

	if (xp_slot_find(domid)) {
		xp_store_destroy(store);
		snprintf(why, size, "domain %u already has a pager", domid);
		return -1;
	}
	if (xp_pager_adopt(&o, store, &p, why, size))
		return -1;
	if (!xp_slot_start(p)) {
		snprintf(why, size, "no thread for domain %u's pager", domid);
		return -1;
	}
	return 0;
}
