/*
 * Distinct types for frame numbers: gfn_t (guest frame), mfn_t (machine
 * frame). In debug builds each is a one-member struct, so passing one
 * where the other is wanted does not compile; release builds use plain
 * integers. Convert with _gfn()/gfn_x() and _mfn()/mfn_x().
 */
#ifndef XEN_FRAME_NUM_H
#define XEN_FRAME_NUM_H

#include <xen/types.h>

#ifndef NDEBUG
#define TYPE_SAFE(type, name)                   \
	typedef struct {                        \
		type name;                      \
	} name##_t;                             \
	static inline name##_t _##name(type n)  \
	{                                       \
		return (name##_t){ n };         \
	}                                       \
	static inline type name##_x(name##_t n) \
	{                                       \
		return n.name;                  \
	}
#else
#define TYPE_SAFE(type, name)                   \
	typedef type name##_t;                  \
	static inline name##_t _##name(type n)  \
	{                                       \
		return n;                       \
	}                                       \
	static inline type name##_x(name##_t n) \
	{                                       \
		return n;                       \
	}
#endif

TYPE_SAFE(unsigned long, gfn)
TYPE_SAFE(unsigned long, mfn)

#define INVALID_MFN_RAW (~0UL)
#define INVALID_GFN_RAW (~0UL)
#define INVALID_MFN _mfn(INVALID_MFN_RAW)
#define INVALID_GFN _gfn(INVALID_GFN_RAW)

static inline bool mfn_eq(mfn_t a, mfn_t b)
{
	return mfn_x(a) == mfn_x(b);
}

static inline bool gfn_eq(gfn_t a, gfn_t b)
{
	return gfn_x(a) == gfn_x(b);
}

static inline mfn_t mfn_add(mfn_t m, unsigned long i)
{
	return _mfn(mfn_x(m) + i);
}

static inline gfn_t gfn_add(gfn_t g, unsigned long i)
{
	return _gfn(gfn_x(g) + i);
}

static inline bool mfn_valid_raw(mfn_t m)
{
	return mfn_x(m) != INVALID_MFN_RAW;
}

#endif
