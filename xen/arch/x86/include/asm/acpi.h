/* The little of ACPI we need: the MADT's CPUs and local APIC address. */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <xen/types.h>

#define MAX_ACPI_CPUS 256

struct acpi_cpus {
	paddr_t lapic_base;
	unsigned int nr;
	u32 apic_ids[MAX_ACPI_CPUS]; /* enabled CPUs, in MADT order */
};

extern struct acpi_cpus acpi_cpus;

/* Find the RSDP (given by the loader or scanned for) and parse the MADT. */
int acpi_init(paddr_t loader_rsdp);

#endif
