/*
 * The PVH start-of-day data (Xen's struct hvm_start_info, version 1): the
 * builder writes it into guest memory and every vCPU enters with its
 * guest-physical address in EBX. All addresses are guest-physical; the
 * layout is the same for 32-bit and 64-bit guests.
 */
#ifndef PUBLIC_START_INFO_H
#define PUBLIC_START_INFO_H

#include <stdint.h>

#include "xen.h"

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

/* hvm_start_info.flags (Xen's SIF_* of public/xen.h): a domU has none. */
#define SIF_PRIVILEGED (1U << 0) /* the domain is privileged */
#define SIF_INITDOMAIN (1U << 1) /* the initial control domain */

/* 56 bytes. */
struct hvm_start_info {
	uint32_t magic; /* XEN_HVM_START_MAGIC_VALUE */
	uint32_t version; /* 1: the memory map fields are valid */
	uint32_t flags; /* SIF_* */
	uint32_t nr_modules;
	uint64_aligned_t modlist_paddr; /* struct hvm_modlist_entry[] */
	uint64_aligned_t cmdline_paddr; /* NUL-terminated; 0 if none */
	uint64_aligned_t rsdp_paddr; /* the ACPI RSDP */
	uint64_aligned_t memmap_paddr; /* struct hvm_memmap_table_entry[] */
	uint32_t memmap_entries;
	uint32_t reserved;
};

/* 32 bytes. */
struct hvm_modlist_entry {
	uint64_aligned_t paddr;
	uint64_aligned_t size;
	uint64_aligned_t cmdline_paddr;
	uint64_aligned_t reserved;
};

/* The memory map's types: E820's numbers. */
#define XEN_HVM_MEMMAP_TYPE_RAM 1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2

/* 24 bytes. */
struct hvm_memmap_table_entry {
	uint64_aligned_t addr;
	uint64_aligned_t size;
	uint32_t type; /* XEN_HVM_MEMMAP_TYPE_* */
	uint32_t reserved;
};

#endif
