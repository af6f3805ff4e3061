/* Halting the machine and ending emulator runs with a verdict. */
#include <xen/lib.h>
#include <xen/shutdown.h>
#include <asm/io.h>
#include <asm/system.h>

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define QEMU_EXIT_PASS 0x10 /* exit status (0x10 << 1) | 1 = 33 */
#define QEMU_EXIT_FAIL 0x11 /* 35 */
#define BOCHS_SHUTDOWN_PORT 0x8900

bool exit_emulator_when_done;

void machine_halt(void)
{
	local_irq_disable();
	for (;;)
		halt();
}

void emulator_exit(bool pass)
{
	const char *s = "Shutdown";

	local_irq_disable();
	outb(pass ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL, QEMU_DEBUG_EXIT_PORT);
	if (pass)
		__asm__ __volatile__("xchg %%bx, %%bx" ::: "memory");
	else
		while (*s)
			outb((u8)*s++, BOCHS_SHUTDOWN_PORT);
	machine_halt();
}
