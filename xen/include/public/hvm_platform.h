/*
 * The small platform every domain sees besides its RAM: fixed addresses,
 * ports and numbers. The hypervisor emulates the devices at them and the
 * builder's ACPI tables (libimage) describe them, so both take them from
 * here. Not Xen's ABI: Xen's HVM firmware chooses its own; a guest finds
 * these through ACPI (the RSDP in hvm_start_info or boot_params).
 */
#ifndef PUBLIC_HVM_PLATFORM_H
#define PUBLIC_HVM_PLATFORM_H

/* Each vCPU's local APIC (xAPIC MMIO page); its APIC ID is the vCPU id. */
#define HVM_LAPIC_BASE 0xfee00000ULL
/* The one I/O APIC: its MMIO page, ID and number of pins (GSIs 0-23). */
#define HVM_IOAPIC_BASE 0xfec00000ULL
#define HVM_IOAPIC_ID 1
#define HVM_IOAPIC_PINS 24
/* COM1 (0x3f8) raises ISA IRQ 4, which is GSI 4 (no override). */
#define HVM_COM1_IRQ 4

/*
 * ACPI is hardware-reduced (no PM1 blocks, no SCI): the FADT's sleep
 * control and status registers are these one-byte I/O ports. Writing
 * SLP_EN with SLP_TYP = HVM_ACPI_SLP_TYP_S5 (the DSDT's _S5) powers the
 * domain off.
 */
#define HVM_ACPI_SLEEP_CONTROL_PORT 0xb004
#define HVM_ACPI_SLEEP_STATUS_PORT 0xb000
#define HVM_ACPI_SLP_TYP_SHIFT 2
#define HVM_ACPI_SLP_TYP_MASK 0x1c
#define HVM_ACPI_SLP_EN 0x20
#define HVM_ACPI_SLP_TYP_S5 5

#endif
