/* The legacy PICs, which we only silence. */
#ifndef ASM_I8259_H
#define ASM_I8259_H

void i8259_disable(void);

#endif
