/*
 * A domain's ACPI tables (see libimage.h): what a kernel reads to find its
 * CPUs, its interrupt controllers and how to power off. The platform is
 * hardware-reduced ACPI: no PM1 blocks, no SCI, no GPEs; the FADT's sleep
 * registers are the I/O ports of public/hvm_platform.h, which the
 * hypervisor traps. Layouts from the ACPI specification (6.x): every
 * table starts with the common 36-byte header, and the bytes of each
 * table (of the RSDP: its first 20, then all 36) sum to 0 mod 256.
 */
#include <public/hvm_platform.h>

#include "libimage.h"
#include "libimage-env.h"

#define OEM_ID "XENLIB"
#define OEM_TABLE_ID "LIBIMAGE"
#define CREATOR_ID "LIBI"

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem_id[6], oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((__packed__));

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum; /* of the first 20 bytes (the ACPI 1.0 part) */
	char oem_id[6];
	uint8_t revision; /* 2: the XSDT and the fields below are valid */
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* of all 36 bytes */
	uint8_t reserved[3];
} __attribute__((__packed__));

/* Generic Address Structure. */
struct acpi_gas {
	uint8_t space_id, bit_width, bit_offset, access_size;
	uint64_t address;
} __attribute__((__packed__));

#define GAS_SYSTEM_IO 1
#define GAS_ACCESS_BYTE 1

/* The FADT of ACPI 6.0 (revision 6): 276 bytes. */
struct acpi_fadt {
	struct acpi_header h;
	uint32_t firmware_ctrl, dsdt;
	uint8_t reserved0, preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl, x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk, x_pm2_cnt_blk, x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control_reg, sleep_status_reg;
	uint64_t hypervisor_vendor_identity;
} __attribute__((__packed__));

_Static_assert(sizeof(struct acpi_header) == 36, "ACPI header");
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT revision 6");

#define FADT_HW_REDUCED_ACPI (1U << 20)
/* IAPC_BOOT_ARCH: ISA devices (the 16550, the RTC); no VGA; no 8042. */
#define BOOT_ARCH_LEGACY_DEVICES (1U << 0)
#define BOOT_ARCH_NO_VGA (1U << 2)

/*
 * The DSDT's AML: the one object a kernel needs from it,
 *   Name (_S5, Package (4) { S5, S5, 0, 0 })
 * (SLP_TYPa, SLP_TYPb, two reserved), in the root scope.
 */
#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_BYTE_PREFIX 0x0a
#define AML_ZERO_OP 0x00
static const uint8_t dsdt_aml[] = {
	AML_NAME_OP,
	'_',
	'S',
	'5',
	'_',
	AML_PACKAGE_OP,
	/* PkgLength: this byte and the 7 after it. */
	0x08,
	/* NumElements */
	0x04,
	AML_BYTE_PREFIX,
	HVM_ACPI_SLP_TYP_S5,
	AML_BYTE_PREFIX,
	HVM_ACPI_SLP_TYP_S5,
	AML_ZERO_OP,
	AML_ZERO_OP,
};

struct acpi_madt {
	struct acpi_header h;
	uint32_t lapic_address;
	uint32_t flags; /* PCAT_COMPAT (bit 0): no 8259s here */
} __attribute__((__packed__));

#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_LAPIC_ENABLED 1

struct madt_lapic {
	uint8_t type, length, processor_uid, apic_id;
	uint32_t flags;
} __attribute__((__packed__));

struct madt_ioapic {
	uint8_t type, length, ioapic_id, reserved;
	uint32_t address, gsi_base;
} __attribute__((__packed__));

/* Where each table goes in the platform page, 16-byte aligned. */
#define ALIGN16(x) (((x) + 15ULL) & ~15ULL)
#define XSDT_ENTRIES 2
#define XSDT_LEN (sizeof(struct acpi_header) + XSDT_ENTRIES * sizeof(uint64_t))
#define DSDT_LEN (sizeof(struct acpi_header) + sizeof(dsdt_aml))
#define MADT_LEN(n)                                                   \
	(sizeof(struct acpi_madt) + (n) * sizeof(struct madt_lapic) + \
	 sizeof(struct madt_ioapic))
#define XSDT_GPA (IMAGE_RSDP_GPA + ALIGN16(sizeof(struct acpi_rsdp)))
#define FADT_GPA (XSDT_GPA + ALIGN16(XSDT_LEN))
#define DSDT_GPA (FADT_GPA + ALIGN16(sizeof(struct acpi_fadt)))
#define MADT_GPA (DSDT_GPA + ALIGN16(DSDT_LEN))
_Static_assert(MADT_GPA + MADT_LEN(IMAGE_MAX_VCPUS) <= IMAGE_MODLIST_GPA,
	       "the tables fit below the module list");

static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return (uint8_t)-sum;
}

static void fill_header(struct acpi_header *h, const char *sig, size_t len,
			uint8_t revision)
{
	memcpy(h->signature, sig, 4);
	h->length = (uint32_t)len;
	h->revision = revision;
	memcpy(h->oem_id, OEM_ID, 6);
	memcpy(h->oem_table_id, OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, CREATOR_ID, 4);
	h->creator_revision = 1;
}

/* A one-byte I/O port register. */
static struct acpi_gas io_byte(uint16_t port)
{
	return (struct acpi_gas){ .space_id = GAS_SYSTEM_IO,
				  .bit_width = 8,
				  .access_size = GAS_ACCESS_BYTE,
				  .address = port };
}

static int write_rsdp(const struct image_ops *ops, void *ctx)
{
	struct acpi_rsdp r = {
		.revision = 2,
		.length = sizeof(r),
		.xsdt_address = XSDT_GPA,
	};

	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(r.oem_id, OEM_ID, 6);
	r.checksum = checksum(&r, 20);
	r.extended_checksum = checksum(&r, sizeof(r));
	return ops->write(ctx, IMAGE_RSDP_GPA, &r, sizeof(r));
}

static int write_xsdt(const struct image_ops *ops, void *ctx)
{
	struct {
		struct acpi_header h;
		uint64_t entry[XSDT_ENTRIES];
	} __attribute__((__packed__)) x = { .entry = { FADT_GPA, MADT_GPA } };

	fill_header(&x.h, "XSDT", sizeof(x), 1);
	x.h.checksum = checksum(&x, sizeof(x));
	return ops->write(ctx, XSDT_GPA, &x, sizeof(x));
}

static int write_fadt(const struct image_ops *ops, void *ctx)
{
	struct acpi_fadt f = {
		.dsdt = DSDT_GPA,
		.iapc_boot_arch = BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_NO_VGA,
		.flags = FADT_HW_REDUCED_ACPI,
		.x_dsdt = DSDT_GPA,
		.sleep_control_reg = io_byte(HVM_ACPI_SLEEP_CONTROL_PORT),
		.sleep_status_reg = io_byte(HVM_ACPI_SLEEP_STATUS_PORT),
	};

	fill_header(&f.h, "FACP", sizeof(f), 6);
	f.h.checksum = checksum(&f, sizeof(f));
	return ops->write(ctx, FADT_GPA, &f, sizeof(f));
}

static int write_dsdt(const struct image_ops *ops, void *ctx)
{
	struct {
		struct acpi_header h;
		uint8_t aml[sizeof(dsdt_aml)];
	} __attribute__((__packed__)) d;

	memset(&d, 0, sizeof(d));
	/* Revision 2: integers are 64 bits. */
	fill_header(&d.h, "DSDT", sizeof(d), 2);
	memcpy(d.aml, dsdt_aml, sizeof(dsdt_aml));
	d.h.checksum = checksum(&d, sizeof(d));
	return ops->write(ctx, DSDT_GPA, &d, sizeof(d));
}

/* The MADT: a local APIC per vCPU (APIC ID = vCPU id), the I/O APIC. */
static int write_madt(unsigned int vcpus, const struct image_ops *ops,
		      void *ctx)
{
	uint8_t buf[MADT_LEN(IMAGE_MAX_VCPUS)];
	struct acpi_madt *m = (struct acpi_madt *)buf;
	struct madt_lapic *l = (struct madt_lapic *)(m + 1);
	struct madt_ioapic *io = (struct madt_ioapic *)(l + vcpus);
	size_t len = MADT_LEN(vcpus);
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	fill_header(&m->h, "APIC", len, 4);
	m->lapic_address = (uint32_t)HVM_LAPIC_BASE;
	for (i = 0; i < vcpus; i++)
		l[i] = (struct madt_lapic){ .type = MADT_LAPIC,
					    .length = sizeof(*l),
					    .processor_uid = (uint8_t)i,
					    .apic_id = (uint8_t)i,
					    .flags = MADT_LAPIC_ENABLED };
	*io = (struct madt_ioapic){ .type = MADT_IOAPIC,
				    .length = sizeof(*io),
				    .ioapic_id = HVM_IOAPIC_ID,
				    .address = (uint32_t)HVM_IOAPIC_BASE,
				    .gsi_base = 0 };
	m->h.checksum = checksum(buf, len);
	return ops->write(ctx, MADT_GPA, buf, len);
}

int image_write_acpi(unsigned int vcpus, const struct image_ops *ops, void *ctx)
{
	int rc;

	if (!vcpus || vcpus > IMAGE_MAX_VCPUS)
		return -EINVAL;
	rc = ops->clear(ctx, IMAGE_PLATFORM_GPA,
			IMAGE_LOW_END - IMAGE_PLATFORM_GPA);
	if (!rc)
		rc = write_rsdp(ops, ctx);
	if (!rc)
		rc = write_xsdt(ops, ctx);
	if (!rc)
		rc = write_fadt(ops, ctx);
	if (!rc)
		rc = write_dsdt(ops, ctx);
	if (!rc)
		rc = write_madt(vcpus, ops, ctx);
	return rc;
}
