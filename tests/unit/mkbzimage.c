/* A bzImage for the tests: see mkbzimage.h. */
#include <string.h>

#include "mkbzimage.h"

static void put(uint8_t *img, size_t off, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		img[off + i] = v >> (8 * i);
}

void mkbzimage(uint8_t *img, size_t plen)
{
	unsigned int i;

	memset(img, 0, MKBZ_SIZE);
	img[0x1f1] = MKBZ_SETUP_SECTS;
	put(img, 0x1f4, MKBZ_KERNEL_SIZE / 16, 4); /* syssize */
	put(img, 0x1fe, 0xaa55, 2);
	img[0x200] = 0xeb;
	img[0x201] = 0x6a; /* the header ends at 0x26c */
	memcpy(img + 0x202, "HdrS", 4);
	put(img, 0x206, 0x20f, 2);
	img[0x210] = 0x55; /* type_of_loader */
	img[0x211] = 0x01 | 0x40 | 0x80; /* LOADED_HIGH, KEEP_SEGMENTS, HEAP */
	put(img, 0x214, 0x100000, 4); /* code32_start */
	put(img, 0x218, 0x1234, 4); /* ramdisk_image */
	put(img, 0x224, 0xfe00, 2); /* heap_end_ptr */
	put(img, 0x22c, 0x7fffffff, 4); /* initrd_addr_max */
	put(img, 0x230, 0x200000, 4); /* kernel_alignment */
	img[0x234] = 1; /* relocatable */
	img[0x235] = 21; /* min_alignment */
	put(img, 0x236, 0x1, 2); /* xloadflags: XLF_KERNEL_64 */
	put(img, 0x238, 255, 4); /* cmdline_size */
	put(img, 0x248, MKBZ_PAYLOAD_OFF, 4);
	put(img, 0x24c, plen, 4);
	put(img, 0x250, 0xdeadbeef, 8); /* setup_data */
	put(img, 0x258, MKBZ_PREF, 8);
	put(img, 0x260, MKBZ_INIT_SIZE, 4);
	for (i = 0; i < MKBZ_KERNEL_SIZE; i++)
		img[MKBZ_KERNEL_OFF + i] = i * 7 + 1;
}
