/* ELF executables made in memory: see mkelf.h. */
#include <string.h>

#include "mkelf.h"

void mkelf_put(uint8_t *img, unsigned int off, uint64_t v, unsigned int bytes)
{
	memcpy(img + off, &v, bytes); /* a little-endian host */
}

void mkelf(uint8_t *img, size_t size, bool is64, uint64_t entry,
	   const struct mkelf_seg *segs, unsigned int n)
{
	unsigned int i, phsz = is64 ? 56 : 32;

	memset(img, 0, size);
	memcpy(img, "\177ELF", 4);
	img[4] = is64 ? 2 : 1; /* EI_CLASS */
	img[5] = 1; /* little-endian */
	mkelf_put(img, 16, 2, 2); /* ET_EXEC */
	mkelf_put(img, 18, is64 ? 62 : 3, 2);
	if (is64) {
		mkelf_put(img, 24, entry, 8);
		mkelf_put(img, 32, MKELF_PHOFF, 8);
		mkelf_put(img, 54, phsz, 2);
		mkelf_put(img, 56, n, 2);
	} else {
		mkelf_put(img, 24, entry, 4);
		mkelf_put(img, 28, MKELF_PHOFF, 4);
		mkelf_put(img, 42, phsz, 2);
		mkelf_put(img, 44, n, 2);
	}
	for (i = 0; i < n; i++) {
		unsigned int ph = MKELF_PHOFF + i * phsz;

		mkelf_put(img, ph, segs[i].type, 4);
		if (is64) {
			mkelf_put(img, ph + 8, segs[i].offset, 8);
			mkelf_put(img, ph + 24, segs[i].paddr, 8);
			mkelf_put(img, ph + 32, segs[i].filesz, 8);
			mkelf_put(img, ph + 40, segs[i].memsz, 8);
		} else {
			mkelf_put(img, ph + 4, segs[i].offset, 4);
			mkelf_put(img, ph + 12, segs[i].paddr, 4);
			mkelf_put(img, ph + 16, segs[i].filesz, 4);
			mkelf_put(img, ph + 20, segs[i].memsz, 4);
		}
	}
}
