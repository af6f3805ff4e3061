/* Between the runtime's own files; tests use xtf.h. */
#ifndef XTF_RUNTIME_H
#define XTF_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>

/* Linker script: the loaded image, code to bss (stacks included). */
extern char __image_start[], __image_end[];

/* Check and record the start info at guest-physical pa (EBX at entry). */
void start_info_init(uint32_t pa);

/* Build the IDT of all 256 vectors (once), then load it (every vCPU). */
void traps_init(void);
void traps_load(void);

bool xtf_verdict_given(void);

/* From head.S on every vCPU, with its own stack. */
noreturn void xtf_start(unsigned int vcpu, uint32_t start_info_pa);

#endif /* XTF_RUNTIME_H */
