/* Host shim: <asm/p2m.h> is the real header (the p2m's API). */
#include "../../../../xen/arch/x86/include/asm/p2m.h"
