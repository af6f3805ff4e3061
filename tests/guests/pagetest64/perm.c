/* pagetest64: pagetest's perm.c, built 64-bit (see ../pagetest/perm.c). */
#include "../pagetest/perm.c"
