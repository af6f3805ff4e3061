/*
 * ELF executables made in memory for the tests of the image code (libimage,
 * libxenguest, xl): an x86 ET_EXEC, little-endian, of either class, with
 * its program headers at offset 64.
 */
#ifndef UNIT_MKELF_H
#define UNIT_MKELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MKELF_PHOFF 64

struct mkelf_seg {
	uint32_t type; /* PT_LOAD is 1 */
	uint64_t offset, paddr, filesz, memsz;
};

/* Write the image into img[size] (zeroed first): header and n headers. */
void mkelf(uint8_t *img, size_t size, bool is64, uint64_t entry,
	   const struct mkelf_seg *segs, unsigned int n);

/* Store the low bytes of v at img + off (a field of the image). */
void mkelf_put(uint8_t *img, unsigned int off, uint64_t v, unsigned int bytes);

#endif
