/* Guest RAM for the libimage tests: see libimage_ram.h. */
#include <string.h>

#include <xen/errno.h>

#include "libimage_ram.h"

uint8_t image_ram[IMAGE_RAM_SIZE];
int image_ram_writes, image_ram_fail_at = -1;

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	if (image_ram_writes++ == image_ram_fail_at)
		return -EFAULT;
	if (gpa > IMAGE_RAM_SIZE || len > IMAGE_RAM_SIZE - gpa)
		return -EINVAL;
	memcpy(image_ram + gpa, buf, len);
	return 0;
}

static int ram_clear(void *ctx, uint64_t gpa, size_t len)
{
	if (gpa > IMAGE_RAM_SIZE || len > IMAGE_RAM_SIZE - gpa)
		return -EINVAL;
	memset(image_ram + gpa, 0, len);
	return 0;
}

const struct image_ops image_ram_ops = { .write = ram_write,
					 .clear = ram_clear };

uint64_t image_ram_get(uint64_t gpa, unsigned int bytes)
{
	uint64_t v = 0;

	memcpy(&v, image_ram + gpa, bytes);
	return v;
}
