/* Where the real-mode trampoline leaves its findings (offsets in its page) */
#ifndef APIC_START_TRAMPOLINE_H
#define APIC_START_TRAMPOLINE_H

#define TRAMP_MAGIC 0x100
#define TRAMP_CS 0x104
#define TRAMP_EDX 0x108
#define TRAMP_MSW 0x10c
#define TRAMP_MAGIC_VALUE 0x53495049 /* "SIPI" */

#endif
