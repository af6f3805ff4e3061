/*
 * The test-guest runtime, in the style of the Xen Test Framework: include
 * this and define test_main().
 *
 * Every vCPU enters test_main(vcpu) once the runtime is set up. The domain's
 * verdict is the first of xtf_success(), xtf_skip(), xtf_error() or
 * xtf_failure() called on any vCPU: it prints the one line
 * "Test result: ..." and shuts the domain down (poweroff for SUCCESS and
 * SKIP, crash for ERROR and FAILURE); a later caller just stops. A vCPU
 * other than 0 that returns from test_main() blocks until the domain is
 * gone; vCPU 0 returning without a verdict is an ERROR.
 */
#ifndef XTF_H
#define XTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "arch.h"
#include "atomic.h"
#include "console.h"
#include "evtchn.h"
#include "hypercall.h"
#include "layout.h"
#include "start_info.h"
#include "string.h"

void test_main(unsigned int vcpu);

noreturn void xtf_success(void);
noreturn void xtf_skip(const char *fmt, ...) __printf(1, 2);
noreturn void xtf_error(const char *fmt, ...) __printf(1, 2);
noreturn void xtf_failure(const char *fmt, ...) __printf(1, 2);

/* FAILURE (with a printf-style reason) unless cond holds. */
#define check(cond, ...)                          \
	do {                                      \
		if (!(cond))                      \
			xtf_failure(__VA_ARGS__); \
	} while (0)

/* FAILURE unless the call returned want. */
#define check_rc(rc, want, what)                                             \
	do {                                                                 \
		long rc_ = (rc);                                             \
		check(rc_ == (long)(want), "%s returned %ld, not %ld", what, \
		      rc_, (long)(want));                                    \
	} while (0)

/* Whether CPUID shows the hypervisor ("XenVMMXenVMM"); hypercalls need it. */
bool xtf_has_xen(void);

/* The domain id from CPUID, or 0 without a hypervisor. */
unsigned int xtf_domid(void);

/*
 * The number of vCPUs the hypervisor gave the domain (VCPUOP_is_up answers
 * for ids below it), or 1 without a hypervisor.
 */
unsigned int xtf_nr_vcpus(void);

/*
 * The first gfn past this domain's p2m: the p2m takes every gfn the guest
 * can address (MAXPHYADDR, CPUID 0x80000008), up to 48 bits.
 */
uint64_t xtf_p2m_end(void);

/* The TSC frequency in kHz from CPUID 0x40000003, or 0 if not reported. */
uint32_t xtf_tsc_khz(void);

/* Spin ms milliseconds on the TSC (xtf_tsc_khz()), interrupts as they are. */
void xtf_spin_ms(unsigned int ms);
/*
 * Spin ms with IF=1, then take IF down and up again (it stays up), so
 * that an upcall the hypervisor raised meanwhile is in by the end: Bochs
 * 2.7 takes a virtual interrupt injected while IF=1 only after the next
 * STI.
 */
void xtf_idle_ms(unsigned int ms);

/*
 * Run fn for interrupt vector (32 to 255) from now on, on every vCPU (the
 * IDT is shared). It runs with IF=0 on the interrupted vCPU's stack and
 * returns with iret; nothing needs an EOI. A vector without a handler is
 * an ERROR verdict when it arrives, as is an exception.
 */
void xtf_set_irq_handler(uint8_t vector, void (*fn)(void));

#endif /* XTF_H */
