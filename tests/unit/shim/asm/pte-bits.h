/* Host shim: <asm/pte-bits.h> is the real header (constants only). */
#include "../../../../xen/arch/x86/include/asm/pte-bits.h"
