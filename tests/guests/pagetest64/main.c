/* pagetest64: pagetest's main.c, built 64-bit (see ../pagetest/main.c). */
#include "../pagetest/main.c"
