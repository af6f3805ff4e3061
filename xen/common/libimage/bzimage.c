/* bzImages and the Linux x86 boot protocol: see bzimage.h. */
#include <public/start_info.h>

#include "bzimage.h"
#include "libimage-env.h"

/* Setup header fields: their offsets in the file and in boot_params. */
#define HDR_START 0x1f1
#define HDR_SETUP_SECTS 0x1f1
#define HDR_SYSSIZE 0x1f4
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP_OFFSET 0x201 /* the header ends at 0x202 + this byte */
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_HEAP_END_PTR 0x224
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_HW_SUBARCH 0x23c
#define HDR_HW_SUBARCH_DATA 0x240
#define HDR_PAYLOAD_OFFSET 0x248
#define HDR_PAYLOAD_LENGTH 0x24c
#define HDR_SETUP_DATA 0x250
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
/* Protocol 2.12's header runs to init_size and handover_offset. */
#define HDR_END_MIN 0x268
/* boot_params has room for the header up to here. */
#define HDR_END_MAX 0x290

/* boot_params fields outside the setup header. */
#define BP_ACPI_RSDP_ADDR 0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_SENTINEL 0x1ef
#define BP_E820_TABLE 0x2d0
#define E820_ENTRY_SIZE 20
#define E820_MAX 128

#define BOOT_FLAG 0xaa55
#define VERSION_MIN 0x20c /* xloadflags: the 64-bit entry is declared */
#define VERSION_RSDP 0x20e /* acpi_rsdp_addr */
#define LOADED_HIGH 0x01
#define KEEP_SEGMENTS 0x40
#define CAN_USE_HEAP 0x80
#define XLF_KERNEL_64 0x1
#define XLF_CAN_BE_LOADED_ABOVE_4G 0x2
#define TYPE_OF_LOADER_UNDEFINED 0xff
#define SECTOR 512

_Static_assert(BZ_BOOT_PARAMS_GPA >= IMAGE_START_INFO_GPA + 0x1000 &&
		       BZ_CMDLINE_GPA >=
			       BZ_BOOT_PARAMS_GPA + BZ_ZERO_PAGE_SIZE &&
		       BZ_CMDLINE_GPA + IMAGE_CMDLINE_MAX <= BZ_LOAD_MIN,
	       "boot_params and the command line lie between the start-info "
	       "page and the lowest load address");

static uint32_t get16(const uint8_t *p, size_t off)
{
	return p[off] | (uint32_t)p[off + 1] << 8;
}

static uint32_t get32(const uint8_t *p, size_t off)
{
	return get16(p, off) | get16(p, off + 2) << 16;
}

static uint64_t get64(const uint8_t *p, size_t off)
{
	return get32(p, off) | (uint64_t)get32(p, off + 4) << 32;
}

static void put8(uint8_t *p, size_t off, uint8_t v)
{
	p[off] = v;
}

static void put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = v;
	p[off + 1] = v >> 8;
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	put16(p, off, v);
	put16(p, off + 2, v >> 16);
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	put32(p, off, v);
	put32(p, off + 4, v >> 32);
}

bool bzimage_is(const uint8_t *img, size_t size)
{
	return size >= HDR_VERSION + 2 &&
	       get16(img, HDR_BOOT_FLAG) == BOOT_FLAG &&
	       !memcmp(img + HDR_MAGIC, "HdrS", 4);
}

#define SUPPORTED "(a bzImage of boot protocol 2.12 or newer is supported)"

/* Where a kernel goes: relocatable, at pref_address or above, aligned. */
static int place(struct bzimage *bz, char *why, size_t wsize)
{
	uint64_t pref = get64(bz->img, HDR_PREF_ADDRESS);
	uint64_t align = get32(bz->img, HDR_KERNEL_ALIGNMENT);

	if (!bz->img[HDR_RELOCATABLE]) {
		/* It runs at pref_address whatever: loaded at 1 MiB. */
		if (pref < BZ_LOAD_MIN)
			return refuse(-EINVAL, why, wsize,
				      "a bzImage that is not relocatable, with "
				      "pref_address %#llx below 1 MiB",
				      (unsigned long long)pref);
		bz->load = BZ_LOAD_MIN;
		return 0;
	}
	if (!align || (align & (align - 1)) || align > IMAGE_MEM_MAX)
		return refuse(-EINVAL, why, wsize,
			      "a bzImage with kernel_alignment %#llx (not a "
			      "power of two up to 4 GiB)",
			      (unsigned long long)align);
	if (pref < BZ_LOAD_MIN)
		pref = BZ_LOAD_MIN;
	if (pref > IMAGE_MEM_MAX)
		return refuse(-EINVAL, why, wsize,
			      "a bzImage with pref_address %#llx above 4 GiB",
			      (unsigned long long)pref);
	bz->load = (pref + align - 1) & ~(align - 1);
	return 0;
}

/* The kernel's whole run: from its load address, or pref_address. */
static int check_fit(const struct bzimage *bz, uint64_t mem, char *why,
		     size_t wsize)
{
	uint64_t pref = get64(bz->img, HDR_PREF_ADDRESS);
	uint64_t end = bz->load + bz->init_size;

	if (!bz->img[HDR_RELOCATABLE] && pref + bz->init_size > end)
		end = pref + bz->init_size;
	if (end > mem)
		return refuse(-EINVAL, why, wsize,
			      "the kernel needs RAM up to %#llx (init_size "
			      "%#llx from %#llx), more than mem= (%#llx)",
			      (unsigned long long)end,
			      (unsigned long long)bz->init_size,
			      (unsigned long long)bz->load,
			      (unsigned long long)mem);
	return 0;
}

/* The header's own consistency: sizes, offsets, the payload. */
static int check_layout(struct bzimage *bz, char *why, size_t wsize)
{
	const uint8_t *img = bz->img;
	unsigned int sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
	size_t kernel_off = (sects + 1) * SECTOR;
	uint64_t poff, plen;

	bz->hdr_end = HDR_MAGIC + (int8_t)img[HDR_JUMP_OFFSET];
	if (bz->hdr_end < HDR_END_MIN || bz->hdr_end > HDR_END_MAX ||
	    bz->hdr_end > kernel_off)
		return refuse(-EINVAL, why, wsize,
			      "a bzImage whose setup header ends at %#zx "
			      "(expected %#x to %#x)",
			      bz->hdr_end, HDR_END_MIN, HDR_END_MAX);
	if (kernel_off >= bz->size)
		return refuse(-EINVAL, why, wsize,
			      "a truncated bzImage (%zu bytes, its kernel "
			      "starts at %#zx)",
			      bz->size, kernel_off);
	bz->kernel = img + kernel_off;
	bz->kernel_size = bz->size - kernel_off;
	if ((uint64_t)get32(img, HDR_SYSSIZE) * 16 > bz->kernel_size)
		return refuse(-EINVAL, why, wsize,
			      "a truncated bzImage (its kernel has %zu bytes, "
			      "the header says %llu)",
			      bz->kernel_size,
			      (unsigned long long)get32(img, HDR_SYSSIZE) * 16);
	poff = get32(img, HDR_PAYLOAD_OFFSET);
	plen = get32(img, HDR_PAYLOAD_LENGTH);
	if (poff > bz->kernel_size || plen > bz->kernel_size - poff)
		return refuse(-EINVAL, why, wsize,
			      "a bzImage whose payload (%#llx bytes at "
			      "%#llx) lies outside its kernel (%#zx bytes)",
			      (unsigned long long)plen,
			      (unsigned long long)poff, bz->kernel_size);
	bz->payload = bz->kernel + poff;
	bz->payload_size = plen;
	bz->init_size = get32(img, HDR_INIT_SIZE);
	if (bz->init_size < bz->kernel_size)
		return refuse(-EINVAL, why, wsize,
			      "a bzImage whose init_size (%#llx) is smaller "
			      "than its kernel (%#zx)",
			      (unsigned long long)bz->init_size,
			      bz->kernel_size);
	return 0;
}

int bzimage_check(struct bzimage *bz, const uint8_t *img, size_t size,
		  uint64_t mem, char *why, size_t wsize)
{
	unsigned int xlf;
	int rc;

	*bz = (struct bzimage){ .img = img, .size = size };
	if (!bzimage_is(img, size))
		return refuse(-EINVAL, why, wsize, "not a bzImage " SUPPORTED);
	bz->version = get16(img, HDR_VERSION);
	if (bz->version < VERSION_MIN)
		return refuse(
			-EINVAL, why, wsize,
			"a bzImage of boot protocol %u.%02u, too old " SUPPORTED,
			bz->version >> 8, bz->version & 0xff);
	if (size < HDR_END_MIN)
		return refuse(-EINVAL, why, wsize,
			      "a truncated bzImage (%zu bytes)", size);
	if (!(img[HDR_LOADFLAGS] & LOADED_HIGH))
		return refuse(-EINVAL, why, wsize,
			      "a zImage (loaded low) " SUPPORTED);
	xlf = get16(img, HDR_XLOADFLAGS);
	bz->has_entry64 = xlf & XLF_KERNEL_64;
	bz->entry32 = !bz->has_entry64;
	rc = check_layout(bz, why, wsize);
	if (!rc)
		rc = place(bz, why, wsize);
	if (!rc)
		rc = check_fit(bz, mem, why, wsize);
	bz->cmdline_max = get32(img, HDR_CMDLINE_SIZE);
	bz->initrd_max = xlf & XLF_CAN_BE_LOADED_ABOVE_4G ?
				 ~0ULL :
				 get32(img, HDR_INITRD_ADDR_MAX);
	return rc;
}

/*
 * The memory map, as the PVH start info's, in e820 form (page tables
 * reserved for the 64-bit entry only).
 */
static void put_e820(uint8_t *zp, uint64_t mem, bool page_tables)
{
	struct hvm_memmap_table_entry map[IMAGE_MEMMAP_MAX];
	unsigned int n = image_memmap(mem, page_tables, map), i;

	_Static_assert(IMAGE_MEMMAP_MAX <= E820_MAX, "the e820 table holds it");
	for (i = 0; i < n; i++) {
		size_t off = BP_E820_TABLE + i * E820_ENTRY_SIZE;

		put64(zp, off, map[i].addr);
		put64(zp, off + 8, map[i].size);
		put32(zp, off + 16, map[i].type);
	}
	put8(zp, BP_E820_ENTRIES, n);
}

static int put_initrd(const struct bzimage *bz, const struct image_params *p,
		      uint8_t *zp, char *why, size_t wsize)
{
	uint64_t start = p->ramdisk_gpa, end = start + p->ramdisk_size;

	if (!p->ramdisk)
		return 0;
	if (start < IMAGE_LOW_END || start > p->mem ||
	    p->ramdisk_size > p->mem - start)
		return refuse(-EINVAL, why, wsize,
			      "the ramdisk [%#llx, %#llx) is not in RAM "
			      "above %#llx",
			      (unsigned long long)start,
			      (unsigned long long)end,
			      (unsigned long long)IMAGE_LOW_END);
	if (end - 1 > bz->initrd_max)
		return refuse(-EINVAL, why, wsize,
			      "the initrd ends at %#llx, above the kernel's "
			      "initrd_addr_max (%#llx)",
			      (unsigned long long)end - 1,
			      (unsigned long long)bz->initrd_max);
	if (start < bz->load + bz->init_size && bz->load < end)
		return refuse(-EINVAL, why, wsize,
			      "the initrd [%#llx, %#llx) overlaps the kernel "
			      "[%#llx, %#llx)",
			      (unsigned long long)start,
			      (unsigned long long)end,
			      (unsigned long long)bz->load,
			      (unsigned long long)(bz->load + bz->init_size));
	put32(zp, HDR_RAMDISK_IMAGE, start);
	put32(zp, HDR_RAMDISK_SIZE, p->ramdisk_size);
	put32(zp, BP_EXT_RAMDISK_IMAGE, start >> 32);
	put32(zp, BP_EXT_RAMDISK_SIZE, p->ramdisk_size >> 32);
	return 0;
}

int bzimage_boot_params(const struct bzimage *bz, const struct image_params *p,
			uint8_t *zp, char *why, size_t wsize)
{
	size_t len = p->cmdline ? strlen(p->cmdline) : 0;

	if (len > bz->cmdline_max || len >= IMAGE_CMDLINE_MAX)
		return refuse(-EINVAL, why, wsize,
			      "the command line has %zu characters, more than "
			      "this kernel takes (%u)",
			      len, bz->cmdline_max);
	memset(zp, 0, BZ_ZERO_PAGE_SIZE);
	memcpy(zp + HDR_START, bz->img + HDR_START, bz->hdr_end - HDR_START);
	/* The loader's fields: none of the image's values are kept. */
	put8(zp, HDR_TYPE_OF_LOADER, TYPE_OF_LOADER_UNDEFINED);
	/* No real-mode setup code runs, so it has no heap. */
	put8(zp, HDR_LOADFLAGS,
	     zp[HDR_LOADFLAGS] & ~(KEEP_SEGMENTS | CAN_USE_HEAP));
	put16(zp, HDR_HEAP_END_PTR, 0);
	put32(zp, HDR_CODE32_START, bz->load);
	put32(zp, HDR_CMD_LINE_PTR, BZ_CMDLINE_GPA);
	put32(zp, BP_EXT_CMD_LINE_PTR, 0);
	put32(zp, HDR_HW_SUBARCH, 0); /* a PC */
	put64(zp, HDR_HW_SUBARCH_DATA, 0);
	put64(zp, HDR_SETUP_DATA, 0);
	put32(zp, HDR_RAMDISK_IMAGE, 0);
	put32(zp, HDR_RAMDISK_SIZE, 0);
	if (bz->version >= VERSION_RSDP)
		put64(zp, BP_ACPI_RSDP_ADDR, IMAGE_RSDP_GPA);
	put8(zp, BP_SENTINEL, 0);
	put_e820(zp, p->mem, !bz->entry32);
	return put_initrd(bz, p, zp, why, wsize);
}

int bzimage_load(const struct bzimage *bz, const struct image_params *p,
		 const struct image_ops *ops, void *ctx,
		 struct image_start *start, char *why, size_t wsize)
{
	static uint8_t zp[BZ_ZERO_PAGE_SIZE]; /* one build at a time */
	const char *cmdline = p->cmdline ? p->cmdline : "";
	int rc;

	if (p->vcpus < 1 || p->vcpus > IMAGE_MAX_VCPUS ||
	    p->mem > IMAGE_MEM_MAX)
		return refuse(-EINVAL, why, wsize,
			      "%u vCPUs, %#llx bytes of RAM: out of range",
			      p->vcpus, (unsigned long long)p->mem);
	rc = bzimage_boot_params(bz, p, zp, why, wsize);
	if (!rc)
		rc = ops->write(ctx, bz->load, bz->kernel, bz->kernel_size);
	if (!rc && !bz->entry32)
		rc = image_write_page_tables(p->mem, ops, ctx);
	if (!rc)
		rc = image_write_acpi(p->vcpus, ops, ctx);
	if (!rc && p->ramdisk)
		rc = ops->write(ctx, p->ramdisk_gpa, p->ramdisk,
				p->ramdisk_size);
	if (!rc)
		rc = ops->write(ctx, BZ_BOOT_PARAMS_GPA, zp, sizeof(zp));
	if (!rc)
		rc = ops->write(ctx, BZ_CMDLINE_GPA, cmdline,
				strlen(cmdline) + 1);
	*start = (struct image_start){
		.entry = bz->entry32 ? bz->load : bz->load + BZ_ENTRY_64,
		.is64 = !bz->entry32,
		.cr3 = bz->entry32 ? 0 : IMAGE_PML4_GPA,
		.linux_boot = true,
		.rsi = BZ_BOOT_PARAMS_GPA,
	};
	return rc;
}
