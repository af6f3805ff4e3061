/* unpopulated64: the unpopulated guest's source built 64-bit. */
#include "../unpopulated/main.c"
