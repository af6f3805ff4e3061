/* An ELF or a bzImage, either way: see guest_image.h. */
#include "guest_image.h"
#include "libimage-env.h"

/* IMAGE_BOOT_PVH: the ELF in the payload, which must have a PVH entry. */
static int check_pvh(struct guest_image *gi, uint64_t mem,
		     const struct image_alloc *a, uint64_t *image_end,
		     char *why, size_t wsize)
{
	size_t size;
	void *buf;

	gi->what = " (the ELF in a bzImage)";
	if (bzimage_payload_size(&gi->bz, &size, why, wsize))
		return -EINVAL;
	buf = a->alloc(a->ctx, size, why, wsize);
	if (!buf)
		return -ENOMEM;
	if (bzimage_decompress(&gi->bz, buf, size, why, wsize))
		return -EINVAL;
	gi->elf = (struct elf_image){ .img = buf, .size = size };
	if (image_check(&gi->elf, mem, image_end, why, wsize))
		return -EINVAL;
	if (!gi->elf.pvh)
		return refuse(-EINVAL, why, wsize,
			      "boot=pvh: the ELF in the bzImage has no PVH "
			      "entry (XEN_ELFNOTE_PHYS32_ENTRY)");
	return 0;
}

int guest_image_check(struct guest_image *gi, const void *img, size_t size,
		      enum image_boot boot, uint64_t mem, const char *cmdline,
		      const struct image_alloc *a, uint64_t *image_end,
		      char *why, size_t wsize)
{
	size_t len = cmdline ? strlen(cmdline) : 0;

	*gi = (struct guest_image){ .elf = { .img = img, .size = size },
				    .what = "" };
	if (!bzimage_is(img, size)) {
		if (boot != IMAGE_BOOT_DEFAULT)
			return refuse(-EINVAL, why, wsize,
				      "boot=%s: the image is not a bzImage",
				      boot == IMAGE_BOOT_PVH	 ? "pvh" :
				      boot == IMAGE_BOOT_LINUX32 ? "linux32" :
								   "linux");
		return image_check(&gi->elf, mem, image_end, why, wsize);
	}
	if (bzimage_check(&gi->bz, img, size, mem, why, wsize))
		return -EINVAL;
	if (boot == IMAGE_BOOT_PVH)
		return check_pvh(gi, mem, a, image_end, why, wsize);
	gi->linux_boot = true;
	if (boot == IMAGE_BOOT_LINUX32)
		gi->bz.entry32 = true;
	gi->what = gi->bz.entry32 ?
			   " (bzImage, Linux boot protocol, 32-bit entry)" :
			   " (bzImage, Linux boot protocol)";
	if (len > gi->bz.cmdline_max)
		return refuse(-EINVAL, why, wsize,
			      "the command line has %zu characters, more than "
			      "this kernel takes (%u)",
			      len, gi->bz.cmdline_max);
	*image_end = gi->bz.load + gi->bz.init_size;
	return 0;
}

int guest_image_load(const struct guest_image *gi, const struct image_params *p,
		     const struct image_ops *ops, void *ctx,
		     struct image_start *start, char *why, size_t wsize)
{
	if (gi->linux_boot)
		return bzimage_load(&gi->bz, p, ops, ctx, start, why, wsize);
	return image_load(&gi->elf, p, ops, ctx, start);
}

uint64_t guest_image_entry(const struct guest_image *gi)
{
	if (gi->linux_boot)
		return gi->bz.entry32 ? gi->bz.load : gi->bz.load + BZ_ENTRY_64;
	return gi->elf.pvh ? gi->elf.pvh_entry : gi->elf.entry;
}

bool guest_image_is64(const struct guest_image *gi)
{
	if (gi->linux_boot)
		return !gi->bz.entry32;
	return gi->elf.is64;
}
