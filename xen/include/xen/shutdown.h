/* Stopping the machine. */
#ifndef XEN_SHUTDOWN_H
#define XEN_SHUTDOWN_H

#include <xen/compiler.h>
#include <xen/types.h>

/*
 * Set when a test mode (selftest, autoexit) runs: then panic() and the test
 * verdict end the emulator instead of halting.
 */
extern bool exit_emulator_when_done;

/*
 * End the emulator with a verdict: QEMU's isa-debug-exit (port 0xf4) exits
 * with status 33 on pass and 35 on fail; under Bochs a pass executes the
 * magic breakpoint and a fail writes "Shutdown" to port 0x8900. Elsewhere
 * (hardware) the CPU halts.
 */
__noreturn void emulator_exit(bool pass);
__noreturn void machine_halt(void);

#endif
