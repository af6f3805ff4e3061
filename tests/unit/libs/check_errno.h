/*
 * Checks of the libraries' error convention: the call fails (-1, or
 * NULL) and leaves errno set to err. errno is cleared first, so that a
 * value left by an earlier call cannot pass for this one's.
 */
#ifndef UNIT_LIBS_CHECK_ERRNO_H
#define UNIT_LIBS_CHECK_ERRNO_H

#include <errno.h>

#include "harness.h"

#define CHECK_ERRNO(call, err)          \
	do {                            \
		errno = 0;              \
		CHECK_EQ((call), -1);   \
		CHECK_EQ(errno, (err)); \
	} while (0)

#define CHECK_NULL_ERRNO(call, err)     \
	do {                            \
		errno = 0;              \
		CHECK(!(call));         \
		CHECK_EQ(errno, (err)); \
	} while (0)

#endif
