/*
 * A boot module's image: an ELF, or a bzImage booted by the Linux boot
 * protocol or (boot=pvh) through the ELF in its payload. See
 * asm/dom_image.h.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/dom_image.h>
#include <bzimage.h>

/*
 * The payload is decompressed into one contiguous run of the heap (the
 * buddy allocator's largest runs are 2^MAX_ORDER pages), freed once the
 * domain is built.
 */
static int decompress_payload(struct dom_image *di, char *why, size_t wsize)
{
	size_t size;
	unsigned int order;

	if (bzimage_payload_size(&di->bz, &size, why, wsize))
		return -EINVAL;
	order = size > PAGE_SIZE ? flsl0((size - 1) >> PAGE_SHIFT) + 1 : 0;
	if (order > MAX_ORDER)
		return refuse(-EINVAL, why, wsize,
			      "the bzImage's payload decompresses to %zu MiB, "
			      "more than the heap's largest run (%lu MiB)",
			      size >> 20, (PAGE_SIZE << MAX_ORDER) >> 20);
	di->buf = alloc_xenheap_pages(order, MEMF_no_scrub);
	if (!di->buf)
		return refuse(-ENOMEM, why, wsize,
			      "no contiguous %lu MiB free to decompress the "
			      "bzImage's payload (%zu MiB) into",
			      (PAGE_SIZE << order) >> 20, size >> 20);
	di->buf_order = order;
	if (bzimage_decompress(&di->bz, di->buf, size, why, wsize))
		return -EINVAL;
	di->elf = (struct elf_image){ .img = di->buf, .size = size };
	return 0;
}

/* boot=pvh: the ELF in the payload, which must have a PVH entry. */
static int check_pvh(struct dom_image *di, const struct build_spec *s,
		     paddr_t *image_end, char *why, size_t wsize)
{
	uint64_t end;
	int rc;

	di->what = " (the ELF in a bzImage)";
	rc = decompress_payload(di, why, wsize);
	if (rc)
		return rc;
	if (image_check(&di->elf, s->mem, &end, why, wsize))
		return -EINVAL;
	if (!di->elf.pvh)
		return refuse(-EINVAL, why, wsize,
			      "boot=pvh: the ELF in the bzImage has no PVH "
			      "entry (XEN_ELFNOTE_PHYS32_ENTRY)");
	*image_end = end;
	return 0;
}

int dom_image_check(struct dom_image *di, const void *img, size_t size,
		    const struct build_spec *s, paddr_t *image_end, char *why,
		    size_t wsize)
{
	uint64_t end;

	*di = (struct dom_image){ .elf = { .img = img, .size = size } };
	if (!bzimage_is(img, size)) {
		di->what = "";
		if (s->boot != SPEC_BOOT_DEFAULT)
			return refuse(-EINVAL, why, wsize,
				      "boot=%s: the image is not a bzImage",
				      s->boot == SPEC_BOOT_PVH ? "pvh" :
								 "linux");
		if (image_check(&di->elf, s->mem, &end, why, wsize))
			return -EINVAL;
		*image_end = end;
		return 0;
	}
	if (bzimage_check(&di->bz, img, size, s->mem, why, wsize))
		return -EINVAL;
	if (s->boot == SPEC_BOOT_PVH)
		return check_pvh(di, s, image_end, why, wsize);
	di->what = " (bzImage, Linux boot protocol)";
	di->linux_boot = true;
	if (strlen(s->cmdline) > di->bz.cmdline_max)
		return refuse(-EINVAL, why, wsize,
			      "the command line has %zu characters, more than "
			      "this kernel takes (%u)",
			      strlen(s->cmdline), di->bz.cmdline_max);
	*image_end = di->bz.load + di->bz.init_size;
	return 0;
}

int dom_image_load(const struct dom_image *di, const struct image_params *p,
		   const struct image_ops *ops, void *ctx,
		   struct image_start *start)
{
	char why[160] = "";
	int rc;

	if (!di->linux_boot)
		return image_load(&di->elf, p, ops, ctx, start);
	rc = bzimage_load(&di->bz, p, ops, ctx, start, why, sizeof(why));
	if (why[0])
		printk(XENLOG_ERR "bzImage: %s\n", why);
	return rc;
}

u64 dom_image_entry(const struct dom_image *di)
{
	if (di->linux_boot)
		return di->bz.load + BZ_ENTRY_64;
	return di->elf.pvh ? di->elf.pvh_entry : di->elf.entry;
}

bool dom_image_is64(const struct dom_image *di)
{
	return di->linux_boot || di->elf.is64;
}

void dom_image_release(struct dom_image *di)
{
	if (di->buf)
		free_xenheap_pages(di->buf, di->buf_order);
	di->buf = NULL;
}
