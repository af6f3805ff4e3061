/* Building a guest from dom0: see xenguest.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <guest_image.h>
#include <xenforeignmemory.h>
#include <xenguest.h>

_Static_assert(XG_BOOT_DEFAULT == IMAGE_BOOT_DEFAULT &&
		       XG_BOOT_LINUX == IMAGE_BOOT_LINUX &&
		       XG_BOOT_PVH == IMAGE_BOOT_PVH &&
		       XG_BOOT_LINUX32 == IMAGE_BOOT_LINUX32,
	       "xenguest.h's boot values are libimage's");

#define PAGE_BYTES 4096UL
#define SUPERPAGE_PAGES 512UL
/* Pages mapped at once while loading. */
#define MAP_CHUNK 64UL

struct builder {
	xc_interface *xch;
	xenforeignmemory_handle *fmem;
	uint32_t domid;
	const struct xg_lazy_ops *lazy;
};

/*
 * Copy buf[len] to the guest's [gpa, gpa + len), or zero that range if buf
 * is NULL, a chunk of mapped pages at a time: 0 or -errno.
 */
static int for_each_chunk(struct builder *b, uint64_t gpa, const uint8_t *buf,
			  size_t len)
{
	xen_pfn_t gfns[MAP_CHUNK];

	while (len) {
		uint64_t first = gpa / PAGE_BYTES;
		size_t off = gpa % PAGE_BYTES;
		size_t pages = (off + len + PAGE_BYTES - 1) / PAGE_BYTES;
		size_t n, i;
		uint8_t *map;

		if (pages > MAP_CHUNK)
			pages = MAP_CHUNK;
		n = pages * PAGE_BYTES - off;
		if (n > len)
			n = len;
		for (i = 0; i < pages; i++)
			gfns[i] = first + i;
		/* Without a list of errors, any page that fails fails it. */
		map = xenforeignmemory_map(b->fmem, b->domid,
					   XENFOREIGNMEMORY_PROT_READ |
						   XENFOREIGNMEMORY_PROT_WRITE,
					   pages, gfns, NULL);
		if (!map)
			return -errno;
		if (buf) {
			memcpy(map + off, buf, n);
			buf += n;
		} else {
			memset(map + off, 0, n);
		}
		xenforeignmemory_unmap(b->fmem, map, pages);
		gpa += n;
		len -= n;
	}
	return 0;
}

static int write_mapped(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	return for_each_chunk(ctx, gpa, buf, len);
}

static int clear_mapped(void *ctx, uint64_t gpa, size_t len)
{
	return for_each_chunk(ctx, gpa, NULL, len);
}

static const struct image_ops foreign_ops = {
	.write = write_mapped,
	.clear = clear_mapped,
};

/*
 * Lazy start: copy buf[len] (NULL: zeros) to [gpa, gpa + len) of the
 * pages lazy->write keeps, a page at a time: 0 or -errno.
 */
static int for_each_lazy_page(struct builder *b, uint64_t gpa,
			      const uint8_t *buf, size_t len)
{
	uint8_t page[PAGE_BYTES];
	int rc;

	while (len) {
		size_t off = gpa % PAGE_BYTES, n = PAGE_BYTES - off;

		if (n > len)
			n = len;
		rc = b->lazy->read(b->lazy->ctx, gpa / PAGE_BYTES, page);
		if (rc)
			return rc;
		if (buf) {
			memcpy(page + off, buf, n);
			buf += n;
		} else {
			memset(page + off, 0, n);
		}
		rc = b->lazy->write(b->lazy->ctx, gpa / PAGE_BYTES, page);
		if (rc)
			return rc;
		gpa += n;
		len -= n;
	}
	return 0;
}

static int write_lazy(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	return for_each_lazy_page(ctx, gpa, buf, len);
}

static int clear_lazy(void *ctx, uint64_t gpa, size_t len)
{
	return for_each_lazy_page(ctx, gpa, NULL, len);
}

static const struct image_ops lazy_ops = {
	.write = write_lazy,
	.clear = clear_lazy,
};

/* Lazy start: every gfn of RAM [0, mem) paged out, no memory taken. */
static int page_out_all(struct builder *b, uint64_t mem)
{
	unsigned long pages = mem / PAGE_BYTES, i;
	xen_pfn_t *gfns = malloc(sizeof(*gfns) * pages);
	int rc;

	if (!gfns) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < pages; i++)
		gfns[i] = i;
	rc = xc_mem_paging_populate_evicted(b->xch, b->domid, gfns, pages,
					    NULL);
	free(gfns);
	return rc;
}

/* RAM [0, mem): 2 MiB extents where aligned, then 4 KiB pages. */
static int populate(struct builder *b, uint64_t mem)
{
	unsigned long pages = mem / PAGE_BYTES,
		      supers = pages / SUPERPAGE_PAGES;
	unsigned long rest = pages - supers * SUPERPAGE_PAGES, i;
	xen_pfn_t *gfns =
		malloc(sizeof(*gfns) * (supers > rest ? supers : rest));
	int rc = 0;

	if (!gfns)
		return -1;
	for (i = 0; i < supers; i++)
		gfns[i] = i * SUPERPAGE_PAGES;
	if (supers)
		rc = xc_domain_populate_physmap_exact(b->xch, b->domid, supers,
						      9, 0, gfns);
	for (i = 0; i < rest && !rc; i++)
		gfns[i] = supers * SUPERPAGE_PAGES + i;
	if (!rc && rest)
		rc = xc_domain_populate_physmap_exact(b->xch, b->domid, rest, 0,
						      0, gfns);
	free(gfns);
	return rc;
}

/* The registers of a vCPU starting at the image's entry. */
static void start_context(const struct image_start *st, vcpu_hvm_context_t *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	if (st->is64) {
		ctx->mode = VCPU_HVM_MODE_64B;
		ctx->cpu_regs.x86_64.rip = st->entry;
		ctx->cpu_regs.x86_64.rbx = st->rbx;
		ctx->cpu_regs.x86_64.rsi = st->rsi;
		ctx->cpu_regs.x86_64.rflags = 0x2;
		/* PE, ET, PG; PAE; LME and LMA. */
		ctx->cpu_regs.x86_64.cr0 = 0x80000011;
		ctx->cpu_regs.x86_64.cr3 = st->cr3;
		ctx->cpu_regs.x86_64.cr4 = 0x20;
		ctx->cpu_regs.x86_64.efer = 0x500;
	} else {
		ctx->mode = VCPU_HVM_MODE_32B;
		ctx->cpu_regs.x86_32.eip = (uint32_t)st->entry;
		ctx->cpu_regs.x86_32.ebx = (uint32_t)st->rbx;
		ctx->cpu_regs.x86_32.esi = (uint32_t)st->rsi;
		ctx->cpu_regs.x86_32.eflags = 0x2;
		ctx->cpu_regs.x86_32.cr0 = 0x11; /* PE, ET: flat, no paging */
	}
}

static int fail(int err, char *why, size_t why_size, const char *what)
{
	snprintf(why, why_size, "%s failed (errno %d)", what, err);
	errno = err;
	return -1;
}

static int check_args(const struct xg_dom_args *a, char *why, size_t size)
{
	if (!a->mem || a->mem % PAGE_BYTES || a->mem < (1UL << 20) ||
	    a->mem > IMAGE_MEM_MAX) {
		snprintf(why, size,
			 "memory %llu bytes: out of range (1 MiB "
			 "to 4 GiB, whole pages)",
			 (unsigned long long)a->mem);
		errno = EINVAL;
		return -1;
	}
	if (!a->vcpus || a->vcpus > IMAGE_MAX_VCPUS) {
		snprintf(why, size, "%u vCPUs: out of range (1 to %u)",
			 a->vcpus, IMAGE_MAX_VCPUS);
		errno = EINVAL;
		return -1;
	}
	if (a->boot > XG_BOOT_LINUX32) {
		snprintf(why, size, "boot %u: unknown", a->boot);
		errno = EINVAL;
		return -1;
	}
	if (a->cmdline && strlen(a->cmdline) >= IMAGE_CMDLINE_MAX) {
		snprintf(why, size, "command line longer than %u characters",
			 IMAGE_CMDLINE_MAX - 1);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* A bzImage's payload (boot=pvh): malloc'ed, freed after the build. */
static void *payload_alloc(void *ctx, size_t size, char *why, size_t wsize)
{
	void **buf = ctx;

	*buf = malloc(size);
	if (!*buf)
		snprintf(why, wsize,
			 "no memory to decompress the bzImage's payload "
			 "(%zu MiB) into",
			 size >> 20);
	return *buf;
}

static int build_checked(xc_interface *xch, uint32_t domid,
			 const struct guest_image *gi, uint64_t image_end,
			 const struct xg_dom_args *args, char *why,
			 size_t why_size);

int xg_dom_build(xc_interface *xch, uint32_t domid, const void *image,
		 size_t size, const struct xg_dom_args *args, char *why,
		 size_t why_size)
{
	void *payload = NULL;
	const struct image_alloc heap = { payload_alloc, &payload };
	struct guest_image gi;
	uint64_t image_end;
	int rc;

	if (check_args(args, why, why_size))
		return -1;
	rc = guest_image_check(&gi, image, size, args->boot, args->mem,
			       args->cmdline, &heap, &image_end, why, why_size);
	if (rc) {
		free(payload);
		errno = -rc;
		return -1;
	}
	rc = build_checked(xch, domid, &gi, image_end, args, why, why_size);
	free(payload);
	return rc;
}

/* Build from a checked image: 0, or -1 with errno and why. */
static int build_checked(xc_interface *xch, uint32_t domid,
			 const struct guest_image *gi, uint64_t image_end,
			 const struct xg_dom_args *args, char *why,
			 size_t why_size)
{
	struct image_params params = { .mem = args->mem,
				       .cmdline = args->cmdline,
				       .vcpus = args->vcpus,
				       .ramdisk = args->ramdisk,
				       .ramdisk_size = args->ramdisk_size };
	struct builder b = { .xch = xch, .domid = domid, .lazy = args->lazy };
	uint64_t ring_gfn = args->mem / PAGE_BYTES;
	xen_pfn_t console_gfn;
	struct image_start st;
	vcpu_hvm_context_t ctx;
	xc_physinfo_t host;
	unsigned int i;
	int rc;

	if (args->ramdisk &&
	    image_ramdisk_place(image_end, args->mem, args->ramdisk_size,
				&params.ramdisk_gpa, why, why_size)) {
		errno = EINVAL;
		return -1;
	}
	if (xc_physinfo(xch, &host))
		return fail(errno, why, why_size, "reading the host's memory");
	if (args->mem / PAGE_BYTES > host.free_pages) {
		snprintf(why, why_size,
			 "%llu MiB asked, the host has %llu MiB free",
			 (unsigned long long)(args->mem >> 20),
			 (unsigned long long)(host.free_pages >> 8));
		errno = ENOMEM;
		return -1;
	}
	if (xc_domain_setmaxmem(xch, domid,
				(args->mem / PAGE_BYTES + XG_SPECIAL_GFNS) *
					(PAGE_BYTES / 1024)))
		return fail(errno, why, why_size, "setting its memory limit");
	why[0] = 0;
	if (b.lazy) {
		if (page_out_all(&b, args->mem))
			return fail(errno, why, why_size,
				    "paging out its memory");
		rc = guest_image_load(gi, &params, &lazy_ops, &b, &st, why,
				      why_size);
	} else {
		/* Populating that stops short (EBUSY): out of memory. */
		if (populate(&b, args->mem))
			return fail(errno == EBUSY ? ENOMEM : errno, why,
				    why_size, "populating its memory");
		b.fmem = xenforeignmemory_open(NULL, 0);
		if (!b.fmem)
			return fail(errno, why, why_size,
				    "opening foreign memory");
		rc = guest_image_load(gi, &params, &foreign_ops, &b, &st, why,
				      why_size);
		xenforeignmemory_close(b.fmem);
	}
	/* A bzImage's kernel may refuse its ramdisk (why says how). */
	if (rc == -EINVAL && why[0]) {
		errno = EINVAL;
		return -1;
	}
	if (rc)
		return fail(-rc, why, why_size, "loading the image");
	if (xc_hvm_param_set(xch, domid, HVM_PARAM_PAGING_RING_PFN, ring_gfn))
		return fail(errno, why, why_size,
			    "setting its paging ring gfn");
	/*
	 * Its PV console: a zeroed page after the ring's gfn, which the
	 * hypervisor serves (drained into its log) once the param names it.
	 */
	console_gfn = ring_gfn + 1;
	if (xc_domain_populate_physmap_exact(xch, domid, 1, 0, 0,
					     &console_gfn) ||
	    xc_hvm_param_set(xch, domid, HVM_PARAM_CONSOLE_PFN, console_gfn))
		return fail(errno, why, why_size, "setting up its console");
	start_context(&st, &ctx);
	/*
	 * PVH, bzImage: vCPU 0 alone; the others exist offline (no context)
	 * until the guest starts them.
	 */
	for (i = 0; i < args->vcpus; i++)
		if (xc_vcpu_setcontext(xch, domid, i,
				       i && (st.pvh || st.linux_boot) ? NULL :
									&ctx))
			return fail(errno, why, why_size, "starting a vCPU");
	return 0;
}
