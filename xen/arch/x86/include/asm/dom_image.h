/*
 * The image a boot module holds, for dom_build.c: libimage's guest_image
 * (an ELF, a bzImage by the Linux boot protocol, or with boot=pvh the ELF
 * in a bzImage's payload), whose payload goes into one contiguous run of
 * the heap that dom_image_release() frees.
 */
#ifndef ASM_DOM_IMAGE_H
#define ASM_DOM_IMAGE_H

#include <xen/build_spec.h>
#include <xen/types.h>
#include <guest_image.h>

struct dom_image {
	struct guest_image gi;
	void *buf; /* the decompressed payload, or NULL */
	unsigned int buf_order;
};

/*
 * Check the module img[size] for the domain s describes: 0 and *image_end
 * (where the image and the memory it runs in end), or -EINVAL or -ENOMEM
 * with the reason in why[wsize]. Call dom_image_release() either way.
 */
int dom_image_check(struct dom_image *di, const void *img, size_t size,
		    const struct build_spec *s, paddr_t *image_end, char *why,
		    size_t wsize);

/* Load a checked image, as image_load() (a refusal is logged). */
int dom_image_load(const struct dom_image *di, const struct image_params *p,
		   const struct image_ops *ops, void *ctx,
		   struct image_start *start);

void dom_image_release(struct dom_image *di);

#endif
