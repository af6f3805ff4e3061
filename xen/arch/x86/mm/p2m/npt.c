/*
 * The NPT format (AMD nested paging): the ordinary x86-64 page-table
 * format, walked by the CPU as user-mode accesses, so every level needs
 * U=1. Leaves are created with D set and A clear: the CPU sets A when a
 * walk uses the leaf (the pager's accessed bits), never D. Tables are
 * created with A set, so the CPU never writes to them.
 */
#include <asm/pte-bits.h>
#include "backend.h"

#define NPT_PHYS_BITS 40
#define NPT_ADDR_RSVD (((1UL << 52) - 1) & ~((1UL << NPT_PHYS_BITS) - 1))

static u64 npt_leaf_bits(unsigned int perms, p2m_type_t t)
{
	u64 e;

	if (!(perms & P2M_R))
		return 0;
	e = _PAGE_PRESENT | _PAGE_USER | _PAGE_DIRTY;
	if (perms & P2M_W)
		e |= _PAGE_RW;
	if (!(perms & P2M_X))
		e |= _PAGE_NX;
	if (t == p2m_mmio_direct)
		e |= _PAGE_PCD | _PAGE_PWT; /* uncached */
	return e;
}

static unsigned int npt_entry_perms(u64 e, bool leaf)
{
	unsigned int p = P2M_PRESENT;

	if (!(e & _PAGE_PRESENT))
		return 0;
	/* Nested walks are user accesses: U=0 grants nothing. */
	if (!(e & _PAGE_USER))
		return p;
	p |= P2M_R;
	if (e & _PAGE_RW)
		p |= P2M_W;
	if (!(e & _PAGE_NX))
		p |= P2M_X;
	return p;
}

static bool npt_entry_valid(u64 e, unsigned int level, bool leaf)
{
	if (e & NPT_ADDR_RSVD)
		return false;
	if (level == 4) /* PML4E: bits 7 and 8 must be zero */
		return !(e & (_PAGE_PSE | (1UL << 8)));
	if (leaf && level == 3) /* 1 GiB page: bits 29:13 reserved */
		return !(e & (((1UL << 30) - 1) & ~((1UL << 13) - 1)));
	if (leaf && level == 2) /* 2 MiB page: bits 20:13 reserved */
		return !(e & (((1UL << 21) - 1) & ~((1UL << 13) - 1)));
	return true;
}

static const struct pt_format npt_format = {
	.name = "npt",
	.levels = 4,
	.addr_mask = PADDR_MASK,
	.superpage_bit = _PAGE_PSE,
	.accessed_bit = _PAGE_ACCESSED,
	.table_bits = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED,
	.leaf_bits = npt_leaf_bits,
	.entry_perms = npt_entry_perms,
	.entry_valid = npt_entry_valid,
};

const struct p2m_backend_ops p2m_npt_ops = PT_HW_BACKEND("npt", &npt_format);
