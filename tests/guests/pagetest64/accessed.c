/* pagetest64: ../pagetest/accessed.c, built 64-bit. */
#include "../pagetest/accessed.c"
