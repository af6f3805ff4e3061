/*
 * Host shim: <asm/time.h> is the real header (declarations only); the
 * tests that include a source calling NOW() or udelay() define them.
 */
#ifndef SHIM_ASM_TIME_H
#define SHIM_ASM_TIME_H

#include "../../../../xen/arch/x86/include/asm/time.h"

#endif
