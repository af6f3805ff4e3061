/*
 * Host shim: <asm/hvm.h> is the real header (declarations only), so that
 * common code calling the HVM layer (hvm_copy_to_guest_virt,
 * hvm_raise_upcall, ...) compiles unchanged; the tests define what they
 * call of it.
 */
#ifndef SHIM_ASM_HVM_H
#define SHIM_ASM_HVM_H

#include "../../../../xen/arch/x86/include/asm/hvm.h"

#endif
