/*
 * The NPT format (AMD nested paging): the ordinary x86-64 page-table
 * format, walked by the CPU as user-mode accesses, so every level needs
 * U=1. Leaves are created with A and D already set, so the hardware never
 * writes to them.
 */
#include <xen/p2m-backend.h>

#define NPT_P (1UL << 0)
#define NPT_RW (1UL << 1)
#define NPT_US (1UL << 2)
#define NPT_PWT (1UL << 3)
#define NPT_PCD (1UL << 4)
#define NPT_A (1UL << 5)
#define NPT_D (1UL << 6)
#define NPT_PS (1UL << 7)
#define NPT_NX (1UL << 63)
#define NPT_PHYS_BITS 40
#define NPT_ADDR_RSVD (((1UL << 52) - 1) & ~((1UL << NPT_PHYS_BITS) - 1))

static u64 npt_leaf_bits(unsigned int perms, p2m_type_t t)
{
	u64 e;

	if (!(perms & P2M_R))
		return 0;
	e = NPT_P | NPT_US | NPT_A | NPT_D;
	if (perms & P2M_W)
		e |= NPT_RW;
	if (!(perms & P2M_X))
		e |= NPT_NX;
	if (t == p2m_mmio_direct)
		e |= NPT_PCD | NPT_PWT; /* uncached */
	return e;
}

static unsigned int npt_entry_perms(u64 e, bool leaf)
{
	unsigned int p = P2M_PRESENT;

	if (!(e & NPT_P))
		return 0;
	/* Nested walks are user accesses: U=0 grants nothing. */
	if (!(e & NPT_US))
		return p;
	p |= P2M_R;
	if (e & NPT_RW)
		p |= P2M_W;
	if (!(e & NPT_NX))
		p |= P2M_X;
	return p;
}

static bool npt_entry_valid(u64 e, unsigned int level, bool leaf)
{
	if (e & NPT_ADDR_RSVD)
		return false;
	if (level == 4) /* PML4E: bits 7 and 8 must be zero */
		return !(e & (NPT_PS | (1UL << 8)));
	if (leaf && level == 3) /* 1 GiB page: bits 29:13 reserved */
		return !(e & (((1UL << 30) - 1) & ~((1UL << 13) - 1)));
	if (leaf && level == 2) /* 2 MiB page: bits 20:13 reserved */
		return !(e & (((1UL << 21) - 1) & ~((1UL << 13) - 1)));
	return true;
}

static const struct pt_format npt_format = {
	.name = "npt",
	.table_bits = NPT_P | NPT_RW | NPT_US | NPT_A,
	.leaf_bits = npt_leaf_bits,
	.entry_perms = npt_entry_perms,
	.entry_valid = npt_entry_valid,
};

static void npt_flush(struct p2m_domain *p2m)
{
	/* vCPUs take a new ASID when they see a new generation (SVM code). */
	__atomic_fetch_add(&p2m->nr_flushes, 1, __ATOMIC_SEQ_CST);
	if (p2m->flush_cpus)
		p2m->flush_cpus(p2m);
}

const struct p2m_backend_ops p2m_npt_ops = {
	.name = "npt",
	.fmt = &npt_format,
	.init = pt_init,
	.teardown = pt_teardown,
	.set_entry = pt_set_entry,
	.get_entry = pt_get_entry,
	.change_type_global = pt_change_type_global,
	.flush = npt_flush,
	.walk = pt_walk,
};
