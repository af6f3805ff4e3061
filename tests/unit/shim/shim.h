/*
 * The host shim under the hypervisor sources, as seen by tests: CPUs are
 * threads, machine memory is an mmap'd arena (see asm/mm.h).
 */
#ifndef SHIM_H
#define SHIM_H

#include <pthread.h>
#include <stdbool.h>

/* Map the machine-memory arena and reserve the frame table (runner). */
void shim_init(void);

/*
 * Run fn(arg) on a new thread that is a CPU of its own (the lowest CPU
 * number no running thread has; the main thread is CPU 0).
 */
pthread_t shim_thread_start(void (*fn)(void *arg), void *arg);
void shim_thread_join(pthread_t t);

/*
 * Boot-time RAM, as the arch setup code brings it up: give [spfn, epfn)
 * (sub-section aligned, inside machine memory) a frame table and hand it
 * to the heap.
 */
void shim_add_ram(unsigned long spfn, unsigned long epfn);

/* While set, arch_populate_frametable() fails with -ENOMEM. */
extern bool shim_populate_fail;

#endif
