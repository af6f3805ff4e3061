/* xl's commands that change domains: create, destroy, pause, mem-set. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xenguest.h>
#include <xenpaging.h>

#include "xl.h"
#include "xl_os.h"

#define DESTROY_WAIT_MS 10000u

struct create_args {
	const char *name, *image, *cmdline, *ramdisk;
	uint64_t mem;
	unsigned long vcpus;
	bool paused, lazy;
	unsigned int boot; /* XG_BOOT_*: how a bzImage boots */
};

/*
 * NAME mem=SIZE vcpus=N image=FILE [ramdisk=FILE] [cmdline=...]
 * [lazy=0|1] [boot=linux|linux32|pvh] [paused]: 0, 1 or 2.
 */
static int parse_create(int argc, char **argv, struct create_args *a)
{
	int i;

	if (argc < 2 || strchr(argv[1], '='))
		return 2;
	*a = (struct create_args){ .name = argv[1], .vcpus = 1 };
	for (i = 2; i < argc; i++) {
		const char *v = strchr(argv[i], '=');

		if (!strcmp(argv[i], "paused")) {
			a->paused = true;
		} else if (!v) {
			return xl_fail("create", "'%s': not KEY=VALUE",
				       argv[i]);
		} else if (!strncmp(argv[i], "mem=", 4)) {
			if (!xl_parse_size(v + 1, &a->mem))
				return xl_fail("create", "mem=%s: not a size",
					       v + 1);
		} else if (!strncmp(argv[i], "vcpus=", 6)) {
			if (!xl_parse_uint(v + 1, 1000, &a->vcpus) || !a->vcpus)
				return xl_fail("create",
					       "vcpus=%s: not a number of "
					       "vCPUs",
					       v + 1);
		} else if (!strncmp(argv[i], "image=", 6)) {
			a->image = v + 1;
		} else if (!strncmp(argv[i], "ramdisk=", 8)) {
			a->ramdisk = v + 1;
		} else if (!strncmp(argv[i], "cmdline=", 8)) {
			a->cmdline = v + 1;
		} else if (!strncmp(argv[i], "lazy=", 5)) {
			if (strcmp(v + 1, "0") && strcmp(v + 1, "1"))
				return xl_fail("create", "lazy=%s: 0 or 1",
					       v + 1);
			a->lazy = v[1] == '1';
		} else if (!strncmp(argv[i], "boot=", 5)) {
			if (!strcmp(v + 1, "linux"))
				a->boot = XG_BOOT_LINUX;
			else if (!strcmp(v + 1, "linux32"))
				a->boot = XG_BOOT_LINUX32;
			else if (!strcmp(v + 1, "pvh"))
				a->boot = XG_BOOT_PVH;
			else
				return xl_fail("create",
					       "boot=%s: linux, linux32 or pvh",
					       v + 1);
		} else {
			return xl_fail("create", "'%s': unknown option",
				       argv[i]);
		}
	}
	if (!a->mem || !a->image)
		return xl_fail("create", "mem= and image= are required");
	return 0;
}

static int lazy_read(void *ctx, uint64_t gfn, void *page)
{
	int rc = xp_store_get(ctx, gfn, page);

	if (rc == -ENOENT) {
		memset(page, 0, XP_PAGE_SIZE);
		return 0;
	}
	return rc;
}

static int lazy_write(void *ctx, uint64_t gfn, const void *page)
{
	return xp_store_put(ctx, gfn, page);
}

/*
 * Build domid; lazily (a.lazy): its RAM paged out, what the image fills
 * in a store that a pager started here serves. 0, or -1 with why.
 */
static int build_domain(uint32_t domid, const struct create_args *a,
			const void *image, size_t size,
			struct xg_dom_args *build, char *why, size_t why_size)
{
	struct xg_lazy_ops lazy = { .read = lazy_read, .write = lazy_write };
	struct xp_store *store;

	if (!a->lazy)
		return xg_dom_build(xl_xch(), domid, image, size, build, why,
				    why_size);
	store = xp_store_create(a->mem / XP_PAGE_SIZE, 0);
	if (!store) {
		snprintf(why, why_size, "out of memory for the page store");
		return -1;
	}
	lazy.ctx = store;
	build->lazy = &lazy;
	if (xg_dom_build(xl_xch(), domid, image, size, build, why, why_size)) {
		xp_store_destroy(store);
		return -1;
	}
	/* The store goes to the pager, which frees it on failure too. */
	return xenpaging_lazy_start(domid, store, a->mem >> 10, why, why_size);
}

enum destroyed { DESTROY_FREED, DESTROY_REFUSED, DESTROY_STUCK };

/*
 * Destroy domid and wait until the hypervisor has freed it, a moment later
 * and only once nobody holds a reference, as Xen's xl does: so that a
 * command after this one no longer lists it. REFUSED leaves errno.
 */
static enum destroyed destroy_and_wait(uint32_t domid)
{
	unsigned int waited_ms;
	xc_domaininfo_t info;

	if (xc_domain_destroy(xl_xch(), domid))
		return DESTROY_REFUSED;
	/* Its pager's ring mapping would keep it from being freed. */
	xenpaging_domain_destroyed(domid);
	for (waited_ms = 0; waited_ms < DESTROY_WAIT_MS; waited_ms += 10) {
		if (xc_domain_getinfo_single(xl_xch(), domid, &info))
			return DESTROY_FREED;
		xl_os_sleep_ms(10);
	}
	return DESTROY_STUCK;
}

int xl_create(int argc, char **argv)
{
	struct xen_domctl_createdomain config = {
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
	};
	struct create_args a;
	struct xg_dom_args build;
	uint32_t domid = 0, other;
	const void *image;
	size_t size;
	char why[160];
	int rc = parse_create(argc, argv, &a);

	if (rc)
		return rc;
	if (strlen(a.name) >= sizeof(config.name))
		return xl_fail("create",
			       "name '%s' too long (at most %zu "
			       "characters)",
			       a.name, sizeof(config.name) - 1);
	if (a.name[strspn(a.name, "0123456789")] == '\0')
		return xl_fail("create", "name '%s': a number is a domain id",
			       a.name);
	if (!xl_find_domain_by_name(a.name, &other))
		return xl_fail("create", "a domain called '%s' exists (%u)",
			       a.name, other);
	image = xl_os_file(a.image, &size);
	if (!image)
		return xl_fail("create", "image=%s: no such file", a.image);
	build = (struct xg_dom_args){ .mem = a.mem,
				      .cmdline = a.cmdline,
				      .vcpus = (unsigned int)a.vcpus,
				      .boot = a.boot };
	if (a.ramdisk) {
		build.ramdisk = xl_os_file(a.ramdisk, &build.ramdisk_size);
		if (!build.ramdisk)
			return xl_fail("create", "ramdisk=%s: no such file",
				       a.ramdisk);
	}
	config.max_vcpus = (uint32_t)a.vcpus;
	strcpy(config.name, a.name);
	if (xc_domain_create(xl_xch(), &domid, &config))
		return xl_fail("create", "cannot create domain '%s' (errno %d)",
			       a.name, errno);
	if (build_domain(domid, &a, image, size, &build, why, sizeof(why))) {
		destroy_and_wait(domid);
		return xl_fail("create",
			       "%s (image=%s): %s: domain %u "
			       "destroyed",
			       a.name, a.image, why, domid);
	}
	if (!a.paused && xc_domain_unpause(xl_xch(), domid)) {
		destroy_and_wait(domid);
		return xl_fail("create", "cannot start domain %u (errno %d)",
			       domid, errno);
	}
	xl_printf("domain %u (%s): %llu MiB, %lu vCPU%s, %s%s%s%s%s\n", domid,
		  a.name, (unsigned long long)(a.mem >> 20), a.vcpus,
		  a.vcpus > 1 ? "s" : "", a.image,
		  a.ramdisk ? ", ramdisk " : "", a.ramdisk ? a.ramdisk : "",
		  a.lazy ? ", lazy" : "", a.paused ? ", paused" : "");
	return 0;
}

/* DOMAIN as the only argument: 0 and *domid, 1 or 2. */
static int one_domain(const char *cmd, int argc, char **argv, uint32_t *domid)
{
	if (argc != 2)
		return 2;
	return xl_find_domain(cmd, argv[1], domid);
}

int xl_destroy(int argc, char **argv)
{
	uint32_t domid;
	int rc = one_domain("destroy", argc, argv, &domid);

	if (rc)
		return rc;
	switch (destroy_and_wait(domid)) {
	case DESTROY_FREED:
		return 0;
	case DESTROY_REFUSED:
		return xl_fail("destroy", "domain %u: errno %d", domid, errno);
	case DESTROY_STUCK:
		break;
	}
	return xl_fail("destroy",
		       "domain %u is dead but not freed after %u "
		       "s: something holds a reference to it",
		       domid, DESTROY_WAIT_MS / 1000);
}

int xl_pause(int argc, char **argv)
{
	uint32_t domid;
	int rc = one_domain("pause", argc, argv, &domid);

	if (rc)
		return rc;
	if (xc_domain_pause(xl_xch(), domid))
		return xl_fail("pause", "domain %u: errno %d", domid, errno);
	return 0;
}

int xl_unpause(int argc, char **argv)
{
	uint32_t domid;
	int rc = one_domain("unpause", argc, argv, &domid);

	if (rc)
		return rc;
	if (xc_domain_unpause(xl_xch(), domid))
		return xl_fail("unpause", "domain %u: %s", domid,
			       errno == EINVAL ? "not paused by xl" :
						 "refused");
	return 0;
}

int xl_mem_set(int argc, char **argv)
{
	uint64_t bytes;
	uint32_t domid;
	int rc;

	if (argc != 3)
		return 2;
	rc = xl_find_domain("mem-set", argv[1], &domid);
	if (rc)
		return rc;
	if (!xl_parse_size(argv[2], &bytes) || bytes % 4096)
		return xl_fail("mem-set", "%s: not a size in whole pages",
			       argv[2]);
	if (xc_domain_setmaxmem(xl_xch(), domid, bytes >> 10))
		return xl_fail("mem-set", "domain %u: errno %d", domid, errno);
	return 0;
}

static const char *shutdown_reason(unsigned int r)
{
	static const char *const names[] = { "poweroff", "reboot",
					     "suspend",	 "crash",
					     "watchdog", "soft_reset" };

	return r < sizeof(names) / sizeof(names[0]) ? names[r] : "unknown";
}

int xl_wait(int argc, char **argv)
{
	unsigned long seconds = 0, waited_ms = 0;
	xc_domaininfo_t info;
	uint32_t domid;
	char name[XEN_DOMAIN_NAME_MAX];
	unsigned int reason;
	int rc;

	if (argc != 2 && argc != 3)
		return 2;
	if (argc == 3 && !xl_parse_uint(argv[2], 1000000, &seconds))
		return xl_fail("wait", "%s: not a number of seconds", argv[2]);
	rc = xl_find_domain("wait", argv[1], &domid);
	if (rc)
		return rc;
	xl_domain_name(domid, name, sizeof(name));
	for (;;) {
		if (xc_domain_getinfo_single(xl_xch(), domid, &info))
			return xl_fail("wait", "domain %u (%s) is gone", domid,
				       name);
		if (info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying))
			break;
		if (seconds && waited_ms >= seconds * 1000)
			return xl_fail("wait",
				       "domain %u (%s) still runs "
				       "after %lu s",
				       domid, name, seconds);
		xl_os_sleep_ms(20);
		waited_ms += 20;
	}
	reason = (info.flags >> XEN_DOMINF_shutdownshift) &
		 XEN_DOMINF_shutdownmask;
	if (!(info.flags & XEN_DOMINF_shutdown))
		return xl_fail("wait", "domain %u (%s) was destroyed", domid,
			       name);
	xl_printf("domain %u (%s): %s\n", domid, name, shutdown_reason(reason));
	return reason == SHUTDOWN_poweroff ? 0 : 1;
}
