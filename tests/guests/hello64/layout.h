/* Constants shared by head.S and main.c. */
#ifndef HELLO64_LAYOUT_H
#define HELLO64_LAYOUT_H

/* The hypervisor's limit; head.S stops any vCPU beyond it. */
#define MAX_VCPUS 8
#define STACK_SIZE 4096

#endif /* HELLO64_LAYOUT_H */
