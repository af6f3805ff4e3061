/*
 * Host shim: <asm/config.h> is the real header (declarations only), for
 * xen/common/domain.c in the libraries' runner, which defines what it
 * calls of it.
 */
#ifndef SHIM_ASM_CONFIG_H
#define SHIM_ASM_CONFIG_H

#include "../../../../xen/arch/x86/include/asm/config.h"

#endif
