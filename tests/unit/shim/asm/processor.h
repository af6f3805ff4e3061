/*
 * Host shim: <asm/processor.h> is the real header (register and MSR
 * numbers, inline accessors the tests never call), as <asm/hvm.h>, which
 * includes it.
 */
#include "../../../../xen/arch/x86/include/asm/processor.h"
