/*
 * Host shim: <asm/stack.h> is the real header (declarations only), for
 * xen/common/domain.c in the libraries' runner, which defines what it
 * calls of it.
 */
#ifndef SHIM_ASM_STACK_H
#define SHIM_ASM_STACK_H

#include "../../../../xen/arch/x86/include/asm/stack.h"

#endif
