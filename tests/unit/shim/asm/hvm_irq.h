/*
 * Host shim: <asm/hvm_irq.h> is the real header (declarations only); the
 * tests define what they call of it.
 */
#ifndef SHIM_ASM_HVM_IRQ_H
#define SHIM_ASM_HVM_IRQ_H

#include "../../../../xen/arch/x86/include/asm/hvm_irq.h"

#endif
