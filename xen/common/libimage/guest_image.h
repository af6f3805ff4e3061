/*
 * A guest image of either kind, as both builders take it (part of
 * libimage): an ELF (libimage.h), or a bzImage (bzimage.h) booted by the
 * Linux boot protocol or, with IMAGE_BOOT_PVH, as the PVH ELF in its
 * payload. The payload is decompressed into a buffer the caller's
 * allocator gives (the hypervisor: one contiguous run of its heap; dom0:
 * malloc), which the caller frees once the domain is built.
 */
#ifndef LIBIMAGE_GUEST_IMAGE_H
#define LIBIMAGE_GUEST_IMAGE_H

#include "bzimage.h"

/*
 * How a bzImage boots (an ELF takes only the default): the boot protocol
 * at its 64-bit entry (its 32-bit one for a 32-bit kernel), at its 32-bit
 * entry, or the PVH ELF in its payload.
 */
enum image_boot {
	IMAGE_BOOT_DEFAULT,
	IMAGE_BOOT_LINUX,
	IMAGE_BOOT_PVH,
	IMAGE_BOOT_LINUX32
};

struct guest_image {
	bool linux_boot; /* bz, by the boot protocol; else elf */
	struct bzimage bz;
	struct elf_image elf; /* the image, or the ELF in a bzImage */
	/* For the log: "" (an ELF), " (bzImage, ...)", " (the ELF in ...)" */
	const char *what;
};

/*
 * The buffer for a payload of size bytes, or NULL with the reason in
 * why[wsize]; the caller keeps track of it to free it.
 */
struct image_alloc {
	void *(*alloc)(void *ctx, size_t size, char *why, size_t wsize);
	void *ctx;
};

/*
 * Check img[size] for a domain with RAM [0, mem) and the command line
 * cmdline (NULL: none): 0 and *image_end (where the image and the memory
 * it runs in end: the ramdisk goes above), or -EINVAL or -ENOMEM with the
 * reason in why[wsize].
 */
int guest_image_check(struct guest_image *gi, const void *img, size_t size,
		      enum image_boot boot, uint64_t mem, const char *cmdline,
		      const struct image_alloc *a, uint64_t *image_end,
		      char *why, size_t wsize);

/*
 * Load a checked image as image_load() or bzimage_load() does: 0 and
 * *start, -EINVAL (with why for a bzImage), or the first ops error.
 */
int guest_image_load(const struct guest_image *gi, const struct image_params *p,
		     const struct image_ops *ops, void *ctx,
		     struct image_start *start, char *why, size_t wsize);

/* Its entry point (the PVH one, the bzImage's) and mode, for the log. */
uint64_t guest_image_entry(const struct guest_image *gi);
bool guest_image_is64(const struct guest_image *gi);

#endif
