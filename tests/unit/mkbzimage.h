/*
 * A bzImage made field by field for the tests, as the Linux boot protocol
 * (Documentation/x86/boot.rst) lays one out: protocol 2.15, one setup
 * sector, a relocatable 64-bit kernel of MKBZ_KERNEL_SIZE bytes preferring
 * MKBZ_PREF with MKBZ_INIT_SIZE, a payload of plen bytes at
 * MKBZ_PAYLOAD_OFF in the kernel, and the loader's fields set to junk (a
 * loader must put them right).
 */
#ifndef UNIT_MKBZIMAGE_H
#define UNIT_MKBZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#define MKBZ_SETUP_SECTS 1
#define MKBZ_KERNEL_OFF ((MKBZ_SETUP_SECTS + 1) * 512)
#define MKBZ_KERNEL_SIZE 0x4000
#define MKBZ_SIZE (MKBZ_KERNEL_OFF + MKBZ_KERNEL_SIZE)
#define MKBZ_PAYLOAD_OFF 0x100
#define MKBZ_PREF 0x1000000ULL
#define MKBZ_INIT_SIZE 0x100000

/* Fill img[MKBZ_SIZE]; kernel byte i is i * 7 + 1. */
void mkbzimage(uint8_t *img, size_t plen);

#endif
