/* pagetest64: pagetest's shinfo.c, built 64-bit (../pagetest/shinfo.c). */
#include "../pagetest/shinfo.c"
