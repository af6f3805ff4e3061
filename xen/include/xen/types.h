/* Fixed-width types used throughout the hypervisor. */
#ifndef XEN_TYPES_H
#define XEN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 paddr_t;
typedef s64 s_time_t; /* nanoseconds since boot */

#define PRIpaddr "016lx"

#endif
