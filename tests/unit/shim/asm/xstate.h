/*
 * Host shim: <asm/xstate.h> is the real header (declarations only); the
 * tests that need xstate_mask and xstate_xsave define them.
 */
#include "../../../../xen/arch/x86/include/asm/xstate.h"
