/*
 * autoexit (a command-line option for test runs): once every domain built
 * from the boot modules is gone, print one verdict line per domain and a
 * summary, and end the emulator with the result. A boot that built no
 * domain ends at once, failing. Domains that can never run again (every
 * vCPU halted with interrupts off, or down, and nothing to wake them) are
 * shut down as hung once nothing else is left to wait for.
 */
#ifndef XEN_AUTOEXIT_H
#define XEN_AUTOEXIT_H

#include <xen/sched.h>

/* For the build line: ", expected to crash", ... ("" for success). */
const char *autoexit_expect_note(enum domain_expect e);
/* Before the first domain is built: the free pages to come back to. */
void autoexit_domains_start(void);
/* Every boot module has been built or refused: the checks may start. */
void autoexit_boot_done(void);
/* d, a domain being destroyed, gets its verdict (if it has one). */
void autoexit_domain_gone(struct domain *d);
/* The reaper, after each pass: end the run when nothing is left. */
void autoexit_check(void);
/* Whether v, just off its CPU, may now be stuck for good (cheap). */
bool autoexit_vcpu_stuck(struct vcpu *v);

#endif
