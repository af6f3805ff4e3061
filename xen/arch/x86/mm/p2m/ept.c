/*
 * The EPT format (Intel): read, write and execute bits instead of a
 * present bit, a memory type in every leaf, no execute-only mappings.
 * Where the CPU has EPT accessed and dirty flags, the EPT pointer enables
 * them (hvm/vmx): leaves are created with the dirty flag set and the
 * accessed flag clear, so the CPU sets the accessed flag when a walk uses
 * a leaf (the pager's accessed bits), never the dirty flag. Without them
 * the CPU ignores both bits.
 */
#include <asm/pte-bits.h>
#include "backend.h"

#define EPT_R (1UL << 0)
#define EPT_W (1UL << 1)
#define EPT_X (1UL << 2)
#define EPT_MT_SHIFT 3
#define EPT_MT_MASK (7UL << EPT_MT_SHIFT)
#define EPT_MT_UC 0UL
#define EPT_MT_WB 6UL
#define EPT_IPAT (1UL << 6)
#define EPT_PS (1UL << 7)
#define EPT_ACCESSED (1UL << 8)
#define EPT_DIRTY (1UL << 9)
#define EPT_PHYS_BITS 40
#define EPT_ADDR_RSVD (((1UL << 52) - 1) & ~((1UL << EPT_PHYS_BITS) - 1))

static u64 ept_leaf_bits(unsigned int perms, p2m_type_t t)
{
	u64 e = 0;

	if (!(perms & P2M_R))
		return 0;
	e |= EPT_R | EPT_DIRTY;
	if (perms & P2M_W)
		e |= EPT_W;
	if (perms & P2M_X)
		e |= EPT_X;
	e |= (t == p2m_mmio_direct ? EPT_MT_UC : EPT_MT_WB) << EPT_MT_SHIFT;
	return e;
}

static unsigned int ept_entry_perms(u64 e, bool leaf)
{
	unsigned int p = 0;

	if (!(e & (EPT_R | EPT_W | EPT_X)))
		return 0;
	if (e & EPT_R)
		p |= P2M_R;
	if (e & EPT_W)
		p |= P2M_W;
	if (e & EPT_X)
		p |= P2M_X;
	return P2M_PRESENT | p;
}

static bool ept_entry_valid(u64 e, unsigned int level, bool leaf)
{
	u64 mt = (e & EPT_MT_MASK) >> EPT_MT_SHIFT;

	if (e & EPT_ADDR_RSVD)
		return false;
	/* Write without read, or execute-only: EPT misconfigurations. */
	if (!(e & EPT_R))
		return false;
	if (!leaf) /* bits 7:3 of non-leaf entries are reserved */
		return !(e & 0xf8UL);
	if (mt == 2 || mt == 3 || mt == 7)
		return false;
	if (level == 3) /* 1 GiB page: bits 29:12 reserved */
		return !(e & (((1UL << 30) - 1) & ~((1UL << 12) - 1)));
	if (level == 2) /* 2 MiB page: bits 20:12 reserved */
		return !(e & (((1UL << 21) - 1) & ~((1UL << 12) - 1)));
	return true;
}

static const struct pt_format ept_format = {
	.name = "ept",
	.levels = 4,
	.addr_mask = PADDR_MASK,
	.superpage_bit = EPT_PS,
	.accessed_bit = EPT_ACCESSED,
	/* Accessed set: with A/D on, the CPU has nothing to write there. */
	.table_bits = EPT_R | EPT_W | EPT_X | EPT_ACCESSED,
	.leaf_bits = ept_leaf_bits,
	.entry_perms = ept_entry_perms,
	.entry_valid = ept_entry_valid,
};

const struct p2m_backend_ops p2m_ept_ops = PT_HW_BACKEND("ept", &ept_format);
