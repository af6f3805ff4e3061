/*
 * bzImages: the Linux x86 boot protocol (Documentation/x86/boot.rst),
 * version 2.12 or newer, entered at its 64-bit entry or at its 32-bit
 * one (a 32-bit kernel's only entry, or asked for); and the compressed
 * payload inside, which may hold the kernel's ELF (vmlinux, with its PVH
 * note). Part of libimage: the same environment and ops (libimage.h).
 *
 * The layout is libimage's (libimage.h): for a long-mode start page
 * tables, then ACPI tables, memory map, ramdisk after the image. Besides: the
 * protected-mode kernel at its load address (pref_address for a
 * relocatable kernel), boot_params (the "zero page") at
 * BZ_BOOT_PARAMS_GPA and the command line at BZ_CMDLINE_GPA, in RAM the
 * kernel copies them out of before it uses any.
 */
#ifndef LIBIMAGE_BZIMAGE_H
#define LIBIMAGE_BZIMAGE_H

#include "libimage.h"

#define BZ_BOOT_PARAMS_GPA IMAGE_LOW_END
#define BZ_CMDLINE_GPA (BZ_BOOT_PARAMS_GPA + 0x1000)
/* The lowest load address: the kernel stays above the builder's pages. */
#define BZ_LOAD_MIN 0x100000ULL
/* The 64-bit entry, from the load address. */
#define BZ_ENTRY_64 0x200

/* What bzimage_check() found. */
struct bzimage {
	const uint8_t *img;
	size_t size;
	unsigned int version; /* the protocol: 0x20f is 2.15 */
	size_t hdr_end; /* the setup header is img[0x1f1, hdr_end) */
	const uint8_t *kernel; /* the protected-mode kernel */
	size_t kernel_size;
	uint64_t load; /* its load address; the 64-bit entry is +0x200 */
	bool has_entry64; /* XLF_KERNEL_64: a 64-bit kernel */
	/*
	 * Enter at load (code32_start) in 32-bit protected mode, paging off,
	 * rather than at the 64-bit entry: set by the caller after the check
	 * (always for a kernel without the 64-bit entry).
	 */
	bool entry32;
	uint64_t init_size; /* [load, load + init_size) it runs in */
	uint32_t cmdline_max; /* characters, without the NUL */
	uint64_t initrd_max; /* the highest byte an initrd may use */
	const uint8_t *payload; /* the compressed kernel, with its size */
	size_t payload_size;
};

/* Does img start like a bzImage (boot flag and "HdrS")? */
bool bzimage_is(const uint8_t *img, size_t size);

/*
 * Check a bzImage for a domain with RAM [0, mem) and fill in *bz: 0, or
 * -EINVAL with what it is and what is supported in why[size].
 */
int bzimage_check(struct bzimage *bz, const uint8_t *img, size_t size,
		  uint64_t mem, char *why, size_t wsize);

/*
 * Load a checked bzImage for p (modules besides the ramdisk are not used)
 * into populated RAM: the kernel, the page tables, the ACPI tables, the
 * ramdisk, boot_params and the command line. 0 and *start (64-bit, or
 * 32-bit for bz->entry32; RSI = boot_params, vCPU 0 alone), or -EINVAL
 * with the reason in why[wsize]
 * (the command line or the ramdisk does not suit the kernel, bad params),
 * or the first ops error.
 */
int bzimage_load(const struct bzimage *bz, const struct image_params *p,
		 const struct image_ops *ops, void *ctx,
		 struct image_start *start, char *why, size_t wsize);

/*
 * Make the boot_params a kernel is given (the first 4 KiB, zero page):
 * exposed for the tests. zp[BZ_ZERO_PAGE_SIZE].
 */
#define BZ_ZERO_PAGE_SIZE 4096
int bzimage_boot_params(const struct bzimage *bz, const struct image_params *p,
			uint8_t *zp, char *why, size_t wsize);

/*
 * The payload (bzimage_payload.c): Linux appends the size of the
 * decompressed kernel to it (gzip's trailer is that size already). The
 * buffer bzimage_decompress() needs: 0 and *size, or -EINVAL (no payload,
 * or a format that is not decompressed here, named) with why.
 */
int bzimage_payload_size(const struct bzimage *bz, size_t *size, char *why,
			 size_t wsize);

/* Decompress the payload into out[size]: exactly size bytes, or -EINVAL. */
int bzimage_decompress(const struct bzimage *bz, uint8_t *out, size_t size,
		       char *why, size_t wsize);

#endif
