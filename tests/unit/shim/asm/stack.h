/*
 * Host shim: <asm/stack.h> is the real header (declarations only), for
 * xen/common/domain.c; the tests define what they call of it.
 */
#ifndef SHIM_ASM_STACK_H
#define SHIM_ASM_STACK_H

#include "../../../../xen/arch/x86/include/asm/stack.h"

#endif
