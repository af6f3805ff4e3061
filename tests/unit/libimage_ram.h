/*
 * Guest RAM for the libimage tests: a host array and the image_ops that
 * write it, bounds-checked (-EINVAL past its end), with a write that can
 * be made to fail.
 */
#ifndef UNIT_LIBIMAGE_RAM_H
#define UNIT_LIBIMAGE_RAM_H

#include <stdint.h>

#include <libimage.h>

#define IMAGE_RAM_SIZE (8UL << 20)

extern uint8_t image_ram[IMAGE_RAM_SIZE];
extern const struct image_ops image_ram_ops;
/* Writes so far; write number image_ram_fail_at fails (-1: none does). */
extern int image_ram_writes, image_ram_fail_at;

/* The little-endian value of bytes (up to 8) at gpa. */
uint64_t image_ram_get(uint64_t gpa, unsigned int bytes);

#endif
