/*
 * The image a boot module holds, for dom_build.c: an ELF (booted as
 * libimage's image_load() does), a bzImage booted by the Linux boot
 * protocol, or (boot=pvh) the ELF decompressed from a bzImage's payload,
 * in a contiguous buffer from the heap that dom_image_release() frees.
 */
#ifndef ASM_DOM_IMAGE_H
#define ASM_DOM_IMAGE_H

#include <xen/build_spec.h>
#include <xen/types.h>
#include <bzimage.h>

struct dom_image {
	bool linux_boot; /* the Linux boot protocol: bz; else elf */
	struct bzimage bz;
	struct elf_image elf;
	void *buf; /* the decompressed payload, or NULL */
	unsigned int buf_order;
	const char *what; /* for the log: "" (an ELF) or " (bzImage, ...)" */
};

/*
 * Check the module img[size] for the domain s describes: 0 and *image_end
 * (the end of what the image occupies), or -EINVAL or -ENOMEM with the
 * reason in why[wsize]. Call dom_image_release() either way.
 */
int dom_image_check(struct dom_image *di, const void *img, size_t size,
		    const struct build_spec *s, paddr_t *image_end, char *why,
		    size_t wsize);

/* Load a checked image, as image_load() (a refusal is logged). */
int dom_image_load(const struct dom_image *di, const struct image_params *p,
		   const struct image_ops *ops, void *ctx,
		   struct image_start *start);

/* Its entry point and mode, for the log. */
u64 dom_image_entry(const struct dom_image *di);
bool dom_image_is64(const struct dom_image *di);

void dom_image_release(struct dom_image *di);

#endif
