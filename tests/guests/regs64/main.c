/* regs64: the regs guest's source, built 64-bit (see ../regs/main.c). */
#include "../regs/main.c"
