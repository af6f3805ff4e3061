/*
 * Host shim: <asm/hvm.h> is the real header (declarations only), so that
 * the HVM sources under test (hvm/params.c, vcpu_op.c, ...) compile
 * unchanged; the tests define what they call of it.
 */
#ifndef SHIM_ASM_HVM_H
#define SHIM_ASM_HVM_H

#include "../../../../xen/arch/x86/include/asm/hvm.h"

#endif
