/*
 * Typed guest handles (public/xen.h): how common code reads and writes the
 * buffers a guest passes to a hypercall, at the current vCPU's
 * guest-virtual addresses. A handle names its element type, so copying
 * to or from a buffer of another type does not compile; counts and
 * offsets are in elements, not bytes. Every copy returns 0, or -EFAULT:
 * the range is not the guest's readable (writable) memory, or does not
 * fit in an address; a copy to the guest then wrote nothing.
 */
#ifndef XEN_GUEST_ACCESS_H
#define XEN_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

#include <xen/errno.h>
#include <xen/guest-copy.h>
#include <xen/sched.h>
#include <public/xen.h>

/* A handle to type at the address a hypercall argument register holds. */
#define guest_handle_from_param(addr, type) \
	((XEN_GUEST_HANDLE(type)){ .q = (addr) })
/* A 32-bit caller's handle (in a compat_ structure), widened. */
#define guest_handle_from_compat(hnd, type)                     \
	({                                                      \
		COMPAT_HANDLE(type) compat_hnd_ = (hnd);        \
		(XEN_GUEST_HANDLE(type)){ .q = compat_hnd_.c }; \
	})
/* The same address, seen as an array of type. */
#define guest_handle_cast(hnd, type) ((XEN_GUEST_HANDLE(type)){ .q = (hnd).q })

#define guest_handle_addr(hnd) ((unsigned long)(hnd).q)
#define guest_handle_is_null(hnd) ((hnd).q == 0)
/* Move hnd nr elements on (a continuation resumes there). */
#define guest_handle_add_offset(hnd, nr) ((hnd).q += (nr) * sizeof(*(hnd).p))

/* A compile-time error unless *ptr is of hnd's element type. */
#define guest_handle_check(hnd, ptr)                                      \
	_Static_assert(__builtin_types_compatible_p(__typeof__(*(hnd).p), \
						    __typeof__(*(ptr))),  \
		       "guest handle and buffer of different types")

/*
 * Bytes [addr + off * size + skip, + nr * size): false if that range
 * does not fit in an address.
 */
static inline bool guest_range(unsigned long addr, unsigned long off,
			       unsigned long skip, unsigned long nr,
			       size_t size, unsigned long *gva, size_t *len)
{
	unsigned long bytes;

	return !__builtin_mul_overflow(off, size, &bytes) &&
	       !__builtin_add_overflow(bytes, skip, &bytes) &&
	       !__builtin_add_overflow(addr, bytes, gva) &&
	       !__builtin_mul_overflow(nr, size, len);
}

/* The copies the macros below make, once the types were checked. */
static inline int copy_from_guest_range(void *dst, unsigned long addr,
					unsigned long off, unsigned long skip,
					unsigned long nr, size_t size)
{
	unsigned long gva;
	size_t len;

	if (!guest_range(addr, off, skip, nr, size, &gva, &len))
		return -EFAULT;
	return copy_from_guest_virt(current, dst, gva, len);
}

static inline int copy_to_guest_range(unsigned long addr, unsigned long off,
				      unsigned long skip, const void *src,
				      unsigned long nr, size_t size)
{
	unsigned long gva;
	size_t len;

	if (!guest_range(addr, off, skip, nr, size, &gva, &len))
		return -EFAULT;
	return copy_to_guest_virt(current, gva, src, len);
}

/* nr elements at element off of hnd to ptr. */
#define copy_from_guest_offset(ptr, hnd, off, nr)                     \
	({                                                            \
		guest_handle_check(hnd, ptr);                         \
		copy_from_guest_range((ptr), (hnd).q, (off), 0, (nr), \
				      sizeof(*(ptr)));                \
	})
/* nr elements at ptr to element off of hnd. */
#define copy_to_guest_offset(hnd, off, ptr, nr)                     \
	({                                                          \
		guest_handle_check(hnd, ptr);                       \
		copy_to_guest_range((hnd).q, (off), 0, (ptr), (nr), \
				    sizeof(*(ptr)));                \
	})
#define copy_from_guest(ptr, hnd, nr) copy_from_guest_offset(ptr, hnd, 0, nr)
#define copy_to_guest(hnd, ptr, nr) copy_to_guest_offset(hnd, 0, ptr, nr)

/* One field of the structure hnd points to, from or to the same at ptr. */
#define copy_field_from_guest(ptr, hnd, field)                                \
	({                                                                    \
		guest_handle_check(hnd, ptr);                                 \
		copy_from_guest_range(&(ptr)->field, (hnd).q, 0,              \
				      offsetof(__typeof__(*(ptr)), field), 1, \
				      sizeof((ptr)->field));                  \
	})
#define copy_field_to_guest(hnd, ptr, field)                                 \
	({                                                                   \
		guest_handle_check(hnd, ptr);                                \
		copy_to_guest_range((hnd).q, 0,                              \
				    offsetof(__typeof__(*(ptr)), field),     \
				    &(ptr)->field, 1, sizeof((ptr)->field)); \
	})

#endif
