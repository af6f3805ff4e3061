/* pagetest64: pagetest's ram.c, built 64-bit (see ../pagetest/ram.c). */
#include "../pagetest/ram.c"
