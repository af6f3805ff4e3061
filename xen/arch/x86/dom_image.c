/*
 * A boot module's image (asm/dom_image.h): libimage's guest_image, with a
 * bzImage's payload decompressed into the hypervisor's heap.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/dom_image.h>

/*
 * The payload goes into one contiguous run of the heap: the buddy
 * allocator's runs are powers of two, up to 2^MAX_ORDER pages. It is
 * freed once the domain is built.
 */
static void *heap_alloc(void *ctx, size_t size, char *why, size_t wsize)
{
	struct dom_image *di = ctx;
	unsigned int order;

	order = size > PAGE_SIZE ? flsl0((size - 1) >> PAGE_SHIFT) + 1 : 0;
	if (order > MAX_ORDER) {
		refuse(-EINVAL, why, wsize,
		       "the bzImage's payload decompresses to %zu MiB, more "
		       "than the heap's largest run (%lu MiB)",
		       size >> 20, (PAGE_SIZE << MAX_ORDER) >> 20);
		return NULL;
	}
	di->buf = alloc_xenheap_pages(order, MEMF_no_scrub);
	if (!di->buf) {
		refuse(-ENOMEM, why, wsize,
		       "no contiguous %lu MiB free to decompress the bzImage's "
		       "payload (%zu MiB) into",
		       (PAGE_SIZE << order) >> 20, size >> 20);
		return NULL;
	}
	di->buf_order = order;
	return di->buf;
}

static enum image_boot image_boot_of(enum spec_boot boot)
{
	return boot == SPEC_BOOT_PVH	 ? IMAGE_BOOT_PVH :
	       boot == SPEC_BOOT_LINUX	 ? IMAGE_BOOT_LINUX :
	       boot == SPEC_BOOT_LINUX32 ? IMAGE_BOOT_LINUX32 :
					   IMAGE_BOOT_DEFAULT;
}

int dom_image_check(struct dom_image *di, const void *img, size_t size,
		    const struct build_spec *s, paddr_t *image_end, char *why,
		    size_t wsize)
{
	const struct image_alloc heap = { heap_alloc, di };
	uint64_t end = 0;
	int rc;

	di->buf = NULL;
	rc = guest_image_check(&di->gi, img, size, image_boot_of(s->boot),
			       s->mem, s->cmdline, &heap, &end, why, wsize);
	*image_end = end;
	return rc;
}

int dom_image_load(const struct dom_image *di, const struct image_params *p,
		   const struct image_ops *ops, void *ctx,
		   struct image_start *start)
{
	char why[160] = "";
	int rc;

	rc = guest_image_load(&di->gi, p, ops, ctx, start, why, sizeof(why));
	if (why[0])
		printk(XENLOG_ERR "bzImage: %s\n", why);
	return rc;
}

void dom_image_release(struct dom_image *di)
{
	if (di->buf)
		free_xenheap_pages(di->buf, di->buf_order);
	di->buf = NULL;
}
