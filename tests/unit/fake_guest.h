/*
 * Guest memory for handler tests: a guest-virtual address is an offset
 * into a test's buffer mem[size]; anything outside it is -EFAULT, and so
 * is a write that touches the read-only window [ro_start, ro_end).
 */
#ifndef UNIT_FAKE_GUEST_H
#define UNIT_FAKE_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <xen/errno.h>

static inline bool fake_gva_ok(size_t size, unsigned long gva, size_t len)
{
	return gva < size && size - gva >= len;
}

static inline int fake_copy_from(const void *mem, size_t size, void *dst,
				 unsigned long gva, size_t len)
{
	if (!fake_gva_ok(size, gva, len))
		return -EFAULT;
	memcpy(dst, (const char *)mem + gva, len);
	return 0;
}

static inline int fake_copy_to(void *mem, size_t size, unsigned long ro_start,
			       unsigned long ro_end, unsigned long gva,
			       const void *src, size_t len)
{
	if (!fake_gva_ok(size, gva, len) ||
	    (gva < ro_end && gva + len > ro_start))
		return -EFAULT;
	memcpy((char *)mem + gva, src, len);
	return 0;
}

#endif
