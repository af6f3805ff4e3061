/*
 * Host shim: <asm/hvm_mmio.h> is the real header (declarations only), so
 * that the MMIO dispatch and emulator compile unchanged.
 */
#ifndef SHIM_ASM_HVM_MMIO_H
#define SHIM_ASM_HVM_MMIO_H

#include "../../../../xen/arch/x86/include/asm/hvm_mmio.h"

#endif
