/*
 * The sleep control and status registers of a domain's hardware-reduced
 * ACPI (public/hvm_platform.h; libimage's FADT points at them). Writing
 * SLP_EN with the DSDT's _S5 type powers the domain off, as SCHEDOP_shutdown
 * poweroff does; other sleep types are not offered by the DSDT, so a write
 * of one is logged once per domain and otherwise ignored.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/hvm.h>
#include <public/hvm_platform.h>
#include <public/sched.h>

bool hvm_acpi_sleep_io(struct vcpu *v, u16 port, unsigned int size, bool in,
		       u32 *val)
{
	struct domain *d = v->domain;
	unsigned int type;

	if (port != HVM_ACPI_SLEEP_CONTROL_PORT &&
	    port != HVM_ACPI_SLEEP_STATUS_PORT)
		return false;
	if (in) {
		/* Nothing sleeps and wakes: no status bit is ever set. */
		*val = 0;
		return true;
	}
	if (port != HVM_ACPI_SLEEP_CONTROL_PORT || !(*val & HVM_ACPI_SLP_EN))
		return true;
	type = (*val & HVM_ACPI_SLP_TYP_MASK) >> HVM_ACPI_SLP_TYP_SHIFT;
	if (type == HVM_ACPI_SLP_TYP_S5) {
		printk("d%u: ACPI S5 (sleep control register): power off\n",
		       d->domain_id);
		domain_shutdown(d, SHUTDOWN_poweroff);
		return true;
	}
	if (!__atomic_exchange_n(&d->acpi_sleep_logged, true, __ATOMIC_RELAXED))
		printk(XENLOG_WARNING "d%u: ACPI sleep type %u requested: "
				      "only S5 is offered; ignored\n",
		       d->domain_id, type);
	return true;
}
