/* ACPI: find the RSDP, walk the RSDT/XSDT, read the MADT's CPUs. */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/acpi.h>
#include <asm/page.h>

struct rsdp {
	char signature[8];
	u8 checksum;
	char oem_id[6];
	u8 revision;
	u32 rsdt;
	u32 length;
	u64 xsdt;
	u8 ext_checksum;
	u8 reserved[3];
} __packed;

struct sdt_header {
	char signature[4];
	u32 length;
	u8 revision, checksum;
	char oem_id[6], oem_table_id[8];
	u32 oem_revision, creator_id, creator_revision;
} __packed;

struct madt {
	struct sdt_header h;
	u32 lapic_base;
	u32 flags;
} __packed;

#define MADT_LAPIC 0
#define MADT_LAPIC_OVERRIDE 5
#define MADT_X2APIC 9

struct acpi_cpus acpi_cpus;

static bool checksum_ok(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

/* Tables must lie in the direct map's always-mapped low 4 GiB. */
static const void *acpi_va(paddr_t pa, size_t len)
{
	if (pa + len > (1UL << 32) || pa + len < pa)
		return NULL;
	return __va(pa);
}

static const struct rsdp *scan_rsdp(paddr_t start, paddr_t len)
{
	paddr_t pa;

	for (pa = start; pa < start + len; pa += 16) {
		const struct rsdp *r = __va(pa);

		if (!memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct rsdp *find_rsdp(paddr_t loader_rsdp)
{
	const struct rsdp *r;
	paddr_t ebda;

	if (loader_rsdp)
		return __va(loader_rsdp);
	ebda = (paddr_t) * (const u16 *)__va(0x40e) << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000 && (r = scan_rsdp(ebda, 1024)))
		return r;
	return scan_rsdp(0xe0000, 0x20000);
}

static const struct sdt_header *map_table(paddr_t pa)
{
	const struct sdt_header *h = acpi_va(pa, sizeof(*h));

	if (!h || !acpi_va(pa, h->length) || h->length < sizeof(*h) ||
	    !checksum_ok(h, h->length))
		return NULL;
	return h;
}

static const struct sdt_header *find_table(const struct rsdp *rsdp,
					   const char *sig)
{
	const struct sdt_header *root;
	bool xsdt = rsdp->revision >= 2 && rsdp->xsdt;
	unsigned int i, n, esize = xsdt ? 8 : 4;

	root = map_table(xsdt ? rsdp->xsdt : rsdp->rsdt);
	if (!root)
		return NULL;
	n = (root->length - sizeof(*root)) / esize;
	for (i = 0; i < n; i++) {
		const u8 *e = (const u8 *)(root + 1) + i * esize;
		paddr_t pa = xsdt ? *(const u64 *)e : *(const u32 *)e;
		const struct sdt_header *t = map_table(pa);

		if (t && !memcmp(t->signature, sig, 4))
			return t;
	}
	return NULL;
}

static void add_cpu(u32 apic_id)
{
	if (acpi_cpus.nr == MAX_ACPI_CPUS) {
		printk(XENLOG_WARNING "ACPI: ignoring CPU with APIC id %u\n",
		       apic_id);
		return;
	}
	acpi_cpus.apic_ids[acpi_cpus.nr++] = apic_id;
}

static void parse_madt(const struct madt *m)
{
	const u8 *p = (const u8 *)(m + 1);
	const u8 *end = (const u8 *)m + m->h.length;

	acpi_cpus.lapic_base = m->lapic_base;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		switch (p[0]) {
		case MADT_LAPIC:
			/* flags bit 0: enabled */
			if (p[1] >= 8 && (*(const u32 *)(p + 4) & 1))
				add_cpu(p[3]);
			break;
		case MADT_X2APIC:
			if (p[1] >= 16 && (*(const u32 *)(p + 8) & 1))
				add_cpu(*(const u32 *)(p + 4));
			break;
		case MADT_LAPIC_OVERRIDE:
			if (p[1] >= 12)
				acpi_cpus.lapic_base = *(const u64 *)(p + 4);
			break;
		}
		p += p[1];
	}
}

int acpi_init(paddr_t loader_rsdp)
{
	const struct rsdp *rsdp = find_rsdp(loader_rsdp);
	const struct sdt_header *madt;

	if (!rsdp) {
		printk(XENLOG_WARNING "ACPI: no RSDP found\n");
		return -ENODEV;
	}
	madt = find_table(rsdp, "APIC");
	if (!madt) {
		printk(XENLOG_WARNING "ACPI: no valid MADT\n");
		return -ENODEV;
	}
	parse_madt((const struct madt *)madt);
	printk(XENLOG_INFO "ACPI: RSDP rev %u (%.6s), %u CPUs, LAPIC at %lx\n",
	       rsdp->revision, rsdp->oem_id, acpi_cpus.nr,
	       (unsigned long)acpi_cpus.lapic_base);
	return 0;
}
