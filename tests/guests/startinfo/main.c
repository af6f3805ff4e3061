/*
 * startinfo: what a stock PVH kernel reads at its entry, read the same way.
 *
 *   entry     the builder entered pvh_start (the PVH note), on vCPU 0
 *             alone: every other vCPU reports down (VCPUOP_is_up 0);
 *   flags     the start info's flags are flags=N (default 0: a domU);
 *   memmap    ascending, no overlaps, RAM from 0 (a real-mode trampoline
 *             fits below 0xa0000), RAM up to the end of the domain's
 *             memory, the RSDP's page reserved;
 *   ramdisk   with ramdisk=1: module 0 is page-aligned RAM above the
 *             image, not overlapping anything else of the start of day;
 *             its size and FNV-1a hash are printed for the check script
 *             ("startinfo: ramdisk SIZE HASH");
 *   acpi      RSDP (revision 2, both checksums) -> XSDT -> FADT
 *             (HW_REDUCED_ACPI, sleep control/status one-byte SystemIO at
 *             0xb004/0xb000) -> DSDT (_S5 = Package {5, 5, 0, 0}); XSDT ->
 *             MADT: one enabled local APIC per vCPU (APIC ID = vCPU id) and
 *             the I/O APIC; every checksum 0.
 *
 * SUCCESS if all hold, else FAILURE naming the first that did not.
 */
#include <public/hvm_platform.h>
#include <public/vcpu.h>

#include "runtime.h"
#include "xtf.h"

#define TRAMPOLINE_BYTES 0x8000u
#define LOW_1M 0x100000u

volatile uint32_t entered_at_note;

static const uint8_t *pa(uint64_t addr)
{
	return (const uint8_t *)(uintptr_t)addr;
}

static uint32_t get32(uint64_t addr)
{
	uint32_t v;

	memcpy(&v, pa(addr), sizeof(v));
	return v;
}

static uint64_t get64(uint64_t addr)
{
	uint64_t v;

	memcpy(&v, pa(addr), sizeof(v));
	return v;
}

static uint8_t sum(uint64_t addr, uint32_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *pa(addr++);
	return s;
}

static uint32_t fnv1a(const uint8_t *p, uint64_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* The memory map's type at addr (0 if no entry has it). */
static uint32_t map_type(uint64_t addr)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int i, nr;

	map = xtf_memmap(&nr);
	for (i = 0; i < nr; i++)
		if (addr >= map[i].addr && addr - map[i].addr < map[i].size)
			return map[i].type;
	return 0;
}

static void check_entry(void)
{
	unsigned int i;

	check(entered_at_note, "entry: not entered at the PVH note");
	for (i = 1; i < xtf_nr_vcpus(); i++)
		check_rc(hypercall_vcpu_op(VCPUOP_is_up, i, NULL), 0,
			 "VCPUOP_is_up of a secondary vCPU");
}

static void check_memmap(void)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int i, nr;
	uint64_t low_ram = 0;

	map = xtf_memmap(&nr);
	check(nr >= 2, "memmap: %u entries", nr);
	check(map[0].addr == 0, "memmap: starts at 0x%llx",
	      (unsigned long long)map[0].addr);
	for (i = 0; i < nr; i++) {
		check(!i || map[i].addr >= map[i - 1].addr + map[i - 1].size,
		      "memmap: entry %u overlaps or precedes the one before",
		      i);
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    map[i].addr < LOW_1M)
			low_ram += (map[i].addr + map[i].size > LOW_1M ?
					    LOW_1M :
					    map[i].addr + map[i].size) -
				   map[i].addr;
	}
	check(low_ram >= TRAMPOLINE_BYTES,
	      "memmap: %llu bytes of RAM below 1 MiB",
	      (unsigned long long)low_ram);
	check(map_type(xtf_start_info()->rsdp_paddr) ==
		      XEN_HVM_MEMMAP_TYPE_RESERVED,
	      "memmap: the RSDP's page is not reserved");
	check(map_type((uintptr_t)__image_start) == XEN_HVM_MEMMAP_TYPE_RAM,
	      "memmap: the image is not in RAM");
}

static void check_ramdisk(void)
{
	const struct hvm_modlist_entry *m;
	unsigned int nr;

	m = xtf_modules(&nr);
	check(nr >= 1, "ramdisk: no module");
	check(!(m->paddr & (PAGE_SIZE - 1)) && m->size,
	      "ramdisk: at 0x%llx, %llu bytes", (unsigned long long)m->paddr,
	      (unsigned long long)m->size);
	check(m->paddr >= (uintptr_t)__image_end,
	      "ramdisk: at 0x%llx, below the image's end",
	      (unsigned long long)m->paddr);
	check(map_type(m->paddr) == XEN_HVM_MEMMAP_TYPE_RAM &&
		      map_type(m->paddr + m->size - 1) ==
			      XEN_HVM_MEMMAP_TYPE_RAM,
	      "ramdisk: not in RAM");
	check(m->paddr + m->size <= xtf_ram_end(), "ramdisk: past RAM");
	printf("startinfo: ramdisk %llu %08x\n", (unsigned long long)m->size,
	       fnv1a(pa(m->paddr), m->size));
}

/* A table at addr with signature sig and a zero checksum: its length. */
static uint32_t table(uint64_t addr, const char *sig)
{
	uint32_t len;

	check(addr && addr < LOW_1M, "acpi: %s at 0x%llx", sig,
	      (unsigned long long)addr);
	len = get32(addr + 4);
	check(!memcmp(pa(addr), sig, 4) && len >= 36 && len < PAGE_SIZE,
	      "acpi: no %s table at 0x%llx", sig, (unsigned long long)addr);
	check(!sum(addr, len), "acpi: %s checksum", sig);
	return len;
}

static uint64_t xsdt_find(uint64_t xsdt, const char *sig)
{
	uint32_t len = table(xsdt, "XSDT"), off;

	for (off = 36; off + 8 <= len; off += 8)
		if (!memcmp(pa(get64(xsdt + off)), sig, 4))
			return get64(xsdt + off);
	xtf_failure("acpi: the XSDT lists no %s", sig);
}

static void check_gas(uint64_t gas, uint16_t port, const char *what)
{
	check(*pa(gas) == 1 && *pa(gas + 1) == 8 && *pa(gas + 3) == 1 &&
		      get64(gas + 4) == port,
	      "acpi: the FADT's %s is not a byte at port 0x%x", what, port);
}

static void check_madt(uint64_t madt)
{
	uint32_t len = table(madt, "APIC"), off = 44;
	unsigned int cpus = 0, ioapics = 0;

	check(get32(madt + 36) == HVM_LAPIC_BASE, "acpi: MADT LAPIC address");
	while (off + 2 <= len && pa(madt + off)[1] >= 2) {
		const uint8_t *e = pa(madt + off);

		if (e[0] == 0) {
			check(e[2] == cpus && e[3] == cpus &&
				      (get32(madt + off + 4) & 1),
			      "acpi: MADT local APIC %u: uid %u id %u", cpus,
			      e[2], e[3]);
			cpus++;
		} else if (e[0] == 1) {
			check(e[2] == HVM_IOAPIC_ID &&
				      get32(madt + off + 4) ==
					      HVM_IOAPIC_BASE &&
				      get32(madt + off + 8) == 0,
			      "acpi: MADT I/O APIC");
			ioapics++;
		}
		off += e[1];
	}
	check(off == len, "acpi: MADT entries end at %u of %u", off, len);
	check(cpus == xtf_nr_vcpus() && ioapics == 1,
	      "acpi: MADT has %u CPUs (of %u) and %u I/O APICs", cpus,
	      xtf_nr_vcpus(), ioapics);
}

static void check_acpi(void)
{
	static const uint8_t s5[] = { 0x08, '_',  'S', '5',  '_', 0x12, 0x08,
				      0x04, 0x0a, 5,   0x0a, 5,	  0x00, 0x00 };
	uint64_t rsdp = xtf_start_info()->rsdp_paddr, xsdt, fadt, dsdt;

	check(rsdp && !memcmp(pa(rsdp), "RSD PTR ", 8),
	      "acpi: no RSDP at 0x%llx", (unsigned long long)rsdp);
	check(!sum(rsdp, 20) && pa(rsdp)[15] == 2 && !sum(rsdp, 36),
	      "acpi: RSDP revision or checksums");
	xsdt = get64(rsdp + 24);
	fadt = xsdt_find(xsdt, "FACP");
	check(table(fadt, "FACP") >= 268 && pa(fadt)[8] >= 5,
	      "acpi: FADT older than revision 5");
	check(get32(fadt + 112) & (1u << 20), "acpi: FADT not HW_REDUCED_ACPI");
	check_gas(fadt + 244, HVM_ACPI_SLEEP_CONTROL_PORT, "sleep control");
	check_gas(fadt + 256, HVM_ACPI_SLEEP_STATUS_PORT, "sleep status");
	dsdt = get64(fadt + 140);
	check(table(dsdt, "DSDT") == 36 + sizeof(s5) &&
		      !memcmp(pa(dsdt + 36), s5, sizeof(s5)),
	      "acpi: the DSDT is not _S5 = {5, 5, 0, 0}");
	check_madt(xsdt_find(xsdt, "APIC"));
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		xtf_failure("entry: vCPU %u started", vcpu);
	check_entry();
	check(xtf_start_info()->flags == cmdline_uint("flags", 0),
	      "flags: 0x%x, not 0x%lx", xtf_start_info()->flags,
	      cmdline_uint("flags", 0));
	check_memmap();
	if (cmdline_uint("ramdisk", 0))
		check_ramdisk();
	check_acpi();
	xtf_success();
}
