/*
 * domain_crash() for tests that do not link xen/common/domain.c: the
 * reason is kept and the domain marked shutting down, nothing more (no
 * vCPU is stopped, nothing is queued for destruction).
 */
#include <stdarg.h>
#include <stdio.h>
#include <xen/lib.h>
#include <xen/sched.h>

void __domain_crash(struct domain *d, const char *file, int line,
		    const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(d->crash_reason, sizeof(d->crash_reason), fmt, args);
	va_end(args);
	printk("d%u crashed (%s:%d): %s\n", d->domain_id, file, line,
	       d->crash_reason);
	WRITE_ONCE(d->is_shutting_down, true);
}
