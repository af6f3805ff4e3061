/*
 * xen/common/libimage/acpi.c: the tables a kernel reads, parsed back the
 * way a kernel does (RSDP -> XSDT -> FADT -> DSDT, XSDT -> MADT), each
 * with its checksum: a hardware-reduced FADT of revision 5 or later whose
 * sleep registers are the platform's one-byte I/O ports, a DSDT with
 * _S5 = HVM_ACPI_SLP_TYP_S5, and a MADT with one enabled local APIC per
 * vCPU (APIC ID = vCPU id) and the I/O APIC.
 */
#include <string.h>

#include <libimage.h>
#include <public/hvm_platform.h>
#include <xen/errno.h>

#include "harness.h"

#define RAM_SIZE 0x10000UL

static uint8_t ram[RAM_SIZE];

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	if (gpa > RAM_SIZE || len > RAM_SIZE - gpa)
		return -EINVAL;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static int ram_clear(void *ctx, uint64_t gpa, size_t len)
{
	if (gpa > RAM_SIZE || len > RAM_SIZE - gpa)
		return -EINVAL;
	memset(ram + gpa, 0, len);
	return 0;
}

static const struct image_ops ops = { .write = ram_write, .clear = ram_clear };

static uint64_t get(uint64_t gpa, unsigned int bytes)
{
	uint64_t v = 0;

	memcpy(&v, ram + gpa, bytes);
	return v;
}

static uint8_t sum(uint64_t gpa, uint64_t len)
{
	uint8_t s = 0;

	while (len--)
		s += ram[gpa++];
	return s;
}

/* A table at gpa with this signature, inside the platform page, summing 0 */
static uint32_t check_table(uint64_t gpa, const char *sig)
{
	uint32_t len = (uint32_t)get(gpa + 4, 4);

	CHECK(!memcmp(ram + gpa, sig, 4));
	CHECK(gpa >= IMAGE_PLATFORM_GPA && len >= 36 &&
	      gpa + len <= IMAGE_MODLIST_GPA);
	CHECK_EQ(sum(gpa, len), 0);
	return len;
}

/* The XSDT entry whose table has this signature (0 if none). */
static uint64_t find(uint64_t xsdt, const char *sig)
{
	uint32_t len = check_table(xsdt, "XSDT"), off;

	for (off = 36; off + 8 <= len; off += 8)
		if (!memcmp(ram + get(xsdt + off, 8), sig, 4))
			return get(xsdt + off, 8);
	return 0;
}

static uint64_t load(unsigned int vcpus)
{
	uint64_t rsdp = IMAGE_RSDP_GPA;

	memset(ram, 0x5a, sizeof(ram));
	CHECK_EQ(image_write_acpi(vcpus, &ops, NULL), 0);
	CHECK(!memcmp(ram + rsdp, "RSD PTR ", 8));
	CHECK_EQ(sum(rsdp, 20), 0);
	CHECK_EQ(get(rsdp + 15, 1), 2);
	CHECK_EQ(get(rsdp + 20, 4), 36);
	CHECK_EQ(sum(rsdp, 36), 0);
	return get(rsdp + 24, 8);
}

/* A one-byte SystemIO Generic Address Structure at port. */
static void check_io_gas(uint64_t gpa, uint16_t port)
{
	CHECK_EQ(get(gpa, 1), 1);
	CHECK_EQ(get(gpa + 1, 1), 8);
	CHECK_EQ(get(gpa + 2, 1), 0);
	CHECK_EQ(get(gpa + 3, 1), 1);
	CHECK_EQ(get(gpa + 4, 8), port);
}

TEST(acpi_fadt_dsdt)
{
	static const uint8_t s5[] = { 0x08, '_',  'S', '5',  '_', 0x12, 0x08,
				      0x04, 0x0a, 5,   0x0a, 5,	  0x00, 0x00 };
	uint64_t xsdt = load(1), fadt = find(xsdt, "FACP"), dsdt;
	uint32_t len, dlen;

	CHECK(fadt);
	len = check_table(fadt, "FACP");
	CHECK(get(fadt + 8, 1) >= 5);
	CHECK(len >= 268);
	/* Flags: HW_REDUCED_ACPI; no SCI, no PM1 blocks. */
	CHECK(get(fadt + 112, 4) & (1U << 20));
	CHECK_EQ(get(fadt + 46, 2), 0);
	CHECK_EQ(get(fadt + 56, 4), 0);
	CHECK_EQ(get(fadt + 64, 4), 0);
	check_io_gas(fadt + 244, HVM_ACPI_SLEEP_CONTROL_PORT);
	check_io_gas(fadt + 256, HVM_ACPI_SLEEP_STATUS_PORT);
	dsdt = get(fadt + 140, 8);
	CHECK_EQ(get(fadt + 40, 4), dsdt);
	dlen = check_table(dsdt, "DSDT");
	CHECK_EQ(dlen, 36 + sizeof(s5));
	CHECK(!memcmp(ram + dsdt + 36, s5, sizeof(s5)));
	CHECK_EQ(HVM_ACPI_SLP_TYP_S5, 5);
}

TEST(acpi_madt)
{
	static const unsigned int counts[] = { 1, 2, 8, IMAGE_MAX_VCPUS };
	unsigned int c;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		unsigned int n = counts[c], i;
		uint64_t madt = find(load(n), "APIC"), e;
		uint32_t len;

		CHECK(madt);
		len = check_table(madt, "APIC");
		CHECK_EQ(len, 44 + 8 * n + 12);
		CHECK_EQ(get(madt + 36, 4), HVM_LAPIC_BASE);
		CHECK_EQ(get(madt + 40, 4), 0);
		for (i = 0, e = madt + 44; i < n; i++, e += 8) {
			CHECK_EQ(get(e, 1), 0);
			CHECK_EQ(get(e + 1, 1), 8);
			CHECK_EQ(get(e + 2, 1), i);
			CHECK_EQ(get(e + 3, 1), i);
			CHECK_EQ(get(e + 4, 4), 1);
		}
		CHECK_EQ(get(e, 1), 1);
		CHECK_EQ(get(e + 1, 1), 12);
		CHECK_EQ(get(e + 2, 1), HVM_IOAPIC_ID);
		CHECK_EQ(get(e + 4, 4), HVM_IOAPIC_BASE);
		CHECK_EQ(get(e + 8, 4), 0);
		/* The rest of the platform page is cleared. */
		CHECK_EQ(ram[madt + len], 0);
		CHECK_EQ(ram[IMAGE_LOW_END - 1], 0);
		CHECK_EQ(ram[IMAGE_LOW_END], 0x5a);
	}
}

TEST(acpi_bad_vcpu_counts)
{
	CHECK_EQ(image_write_acpi(0, &ops, NULL), -EINVAL);
	CHECK_EQ(image_write_acpi(IMAGE_MAX_VCPUS + 1, &ops, NULL), -EINVAL);
}
