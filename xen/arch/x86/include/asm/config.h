/* Architecture constants usable from assembly. */
#ifndef ASM_CONFIG_H
#define ASM_CONFIG_H

/* Hypervisor stack per CPU (boot, IRQs, exceptions). */
#define STACK_ORDER 2
#define STACK_SIZE (4096 << STACK_ORDER)

/* Where the image is loaded (physical) and the AP trampoline page. */
#define XEN_LOAD_ADDR 0x200000
#define TRAMPOLINE_ADDR 0x8000

#endif
