/* panic() and failed assertions. */
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/percpu.h>
#include <xen/shutdown.h>
#include <xen/smp.h>
#include <asm/system.h>
#include <asm/traps.h>

static unsigned int panicking;

void panic(const char *fmt, ...)
{
	va_list ap;

	local_irq_disable();
	/* A second panic (on any CPU) while printing the first just stops. */
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		machine_halt();
	smp_send_stop();
	console_force_unlock();
	printk("****************************************\n");
	printk("Panic on CPU%u:\n", smp_processor_id());
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	show_backtrace((unsigned long)__builtin_frame_address(0));
	printk("****************************************\n");
	if (exit_emulator_when_done)
		emulator_exit(false);
	machine_halt();
}

void assert_failed(const char *expr, const char *file, int line)
{
	panic("Assertion '%s' failed at %s:%d\n", expr, file, line);
}
