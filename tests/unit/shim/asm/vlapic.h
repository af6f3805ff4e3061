/*
 * Host shim: <asm/vlapic.h> is the real header (declarations only); the
 * tests define what they call of it.
 */
#ifndef SHIM_ASM_VLAPIC_H
#define SHIM_ASM_VLAPIC_H

#include "../../../../xen/arch/x86/include/asm/vlapic.h"

#endif
