/* pagetest64: pagetest's bench.c, built 64-bit (see ../pagetest/bench.c). */
#include "../pagetest/bench.c"
