/*
 * Copying to and from guest memory: guest-virtual addresses through the
 * guest's own page tables, then the p2m with ALLOC lookups, so PoD and
 * paged frames are fixed up, never leaked to the caller. Anything not
 * readable (or writable) RAM is -EFAULT. A copy to a guest-virtual range
 * checks every page before it writes any, so a bad pointer leaves the
 * guest's memory as it was.
 *
 * The walk follows the guest's paging mode: off (the address is the gpa),
 * legacy 32-bit (4 KiB pages, 4 MiB ones with CR4.PSE, PSE-36 included),
 * PAE (2 MiB and 4 KiB pages) or 4-level (1 GiB, 2 MiB and 4 KiB pages;
 * 5-level paging is -EFAULT). Outside 64-bit mode addresses are 32-bit and
 * a range that runs past 4 GiB is -EFAULT; in 64-bit mode a non-canonical
 * one is. Where the CPU would raise #PF, -EFAULT: an entry not present or
 * with a reserved bit set (address bits at or above the guest's
 * MAXPHYADDR, XD without EFER.NXE, the bits each format reserves). Entries
 * are read through the p2m like any guest memory, with nothing cached
 * between walks; accessed and dirty bits are not set. The guest's
 * permissions (U/S, R/W whatever CR0.WP, XD) are not checked: the copy
 * acts for the guest kernel with supervisor rights, so it may write
 * through a mapping the guest has read-only.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/p2m.h>
#include <asm/hvm.h>
#include <asm/processor.h>
#include <asm/pte-bits.h>

/*
 * PAE PDPTE: bits 2:1 and 8:6 (PS among them). The SDM reserves bit 5
 * too, but QEMU's emulated CPU sets it (accessed) in its own walks.
 */
#define PDPTE_RSVD 0x1c6UL

/* The mask of bits lo to hi, both included. */
#define BITS(hi, lo) ((~0UL >> (63 - (hi))) & ~((1UL << (lo)) - 1))

/*
 * Copy len bytes at gpa, within one page, in the direction asked; with
 * buf NULL only check that the copy would succeed.
 */
static int copy_phys_page(struct domain *d, paddr_t gpa, void *buf, size_t len,
			  bool to_guest)
{
	struct p2m_domain *p2m = d->p2m;
	gfn_t gfn = _gfn(gpa >> PAGE_SHIFT);
	struct p2m_lookup r;
	int rc;

	/* A write breaks sharing (UNSHARE); a read only needs the page. */
	rc = p2m_get_gfn(p2m, gfn, to_guest ? P2M_UNSHARE : P2M_ALLOC, &r);
	if (!rc) {
		unsigned int perms = p2m_effective_perms(r.t, r.a);

		if (!p2m_is_ram(r.t) || !(perms & P2M_R) ||
		    (to_guest && !(perms & P2M_W)))
			rc = -EFAULT;
	}
	if (!rc && buf) {
		u8 *frame = __va((paddr_t)mfn_x(r.mfn) << PAGE_SHIFT);

		if (to_guest)
			memcpy(frame + (gpa & ~PAGE_MASK), buf, len);
		else
			memcpy(buf, frame + (gpa & ~PAGE_MASK), len);
	}
	put_gfn(p2m, gfn);
	return rc ? -EFAULT : 0;
}

static int copy_phys(struct domain *d, paddr_t gpa, void *buf, size_t len,
		     bool to_guest)
{
	while (len) {
		size_t n = min(len, (size_t)(PAGE_SIZE - (gpa & ~PAGE_MASK)));
		int rc = copy_phys_page(d, gpa, buf, n, to_guest);

		if (rc)
			return rc;
		gpa += n;
		if (buf)
			buf = (u8 *)buf + n;
		len -= n;
	}
	return 0;
}

int hvm_copy_to_guest_phys(struct domain *d, paddr_t gpa, const void *src,
			   size_t len)
{
	return copy_phys(d, gpa, (void *)src, len, true);
}

int hvm_copy_from_guest_phys(struct domain *d, void *dst, paddr_t gpa,
			     size_t len)
{
	return copy_phys(d, gpa, dst, len, false);
}

int hvm_clear_guest_phys(struct domain *d, paddr_t gpa, size_t len)
{
	static const u8 zeros[256];

	while (len) {
		size_t n = min(len, sizeof(zeros));
		int rc = copy_phys(d, gpa, (void *)zeros, n, true);

		if (rc)
			return rc;
		gpa += n;
		len -= n;
	}
	return 0;
}

unsigned int hvm_guest_maxphyaddr(void)
{
	static unsigned int bits; /* 0 until read; every reader finds the same */
	unsigned int b = READ_ONCE(bits);

	if (!b) {
		b = min(cpuid(0x80000008).eax & 0xff, 52U);
		WRITE_ONCE(bits, b);
	}
	return b;
}

/* The XD bit, reserved unless EFER.NXE. */
static u64 xd_rsvd(const struct hvm_vcpu *h)
{
	return h->efer & EFER_NXE ? 0 : _PAGE_NX;
}

/* A paging-structure entry of size bytes at gpa: 0, or -EFAULT. */
static int read_entry(struct vcpu *v, paddr_t gpa, size_t size, u64 *e)
{
	*e = 0;
	return copy_phys(v->domain, gpa, e, size, false);
}

/*
 * Legacy 32-bit paging: a 1024-entry page directory at CR3 bits 31:12, and
 * with CR4.PSE a PDE with PS maps a 4 MiB page. Its PDE bits 20:13 are
 * address bits 39:32 (PSE-36), as far as MAXPHYADDR (at most 40 here)
 * goes; the PDE bits above those, up to 21, are reserved.
 */
static int walk_legacy(struct vcpu *v, u32 gva, paddr_t *gpa)
{
	struct hvm_vcpu *h = hvm_of(v);
	unsigned int m = min(hvm_guest_maxphyaddr(), 40U);
	u64 pde, pte;

	if (read_entry(v, (h->cr3 & BITS(31, 12)) + (gva >> 22) * 4, 4, &pde) ||
	    !(pde & _PAGE_PRESENT))
		return -EFAULT;
	if ((h->cr4 & X86_CR4_PSE) && (pde & _PAGE_PSE)) {
		if (pde & BITS(21, m - 19))
			return -EFAULT;
		*gpa = (pde & BITS(31, 22)) | ((pde & BITS(20, 13)) << 19) |
		       (gva & BITS(21, 0));
		return 0;
	}
	if (read_entry(v, (pde & BITS(31, 12)) + ((gva >> 12) & 1023) * 4, 4,
		       &pte) ||
	    !(pte & _PAGE_PRESENT))
		return -EFAULT;
	*gpa = (pte & BITS(31, 12)) | (gva & ~PAGE_MASK);
	return 0;
}

/*
 * PAE paging: CR3 bits 31:5 locate the 4-entry PDPT (32-byte aligned),
 * then a page directory (PS: a 2 MiB page) and a page table of 512
 * 64-bit entries each. The PDPTEs are read from memory on every walk,
 * not taken from the copies the CPU loaded with CR3.
 */
static int walk_pae(struct vcpu *v, u32 gva, paddr_t *gpa)
{
	struct hvm_vcpu *h = hvm_of(v);
	u64 addr_rsvd = BITS(62, hvm_guest_maxphyaddr());
	u64 pdpte, pde, pte;

	if (read_entry(v, (h->cr3 & BITS(31, 5)) + (gva >> 30) * 8, 8,
		       &pdpte) ||
	    !(pdpte & _PAGE_PRESENT) ||
	    (pdpte & (PDPTE_RSVD | _PAGE_NX | addr_rsvd)))
		return -EFAULT;
	if (read_entry(v, (pdpte & PADDR_MASK) + ((gva >> 21) & 511) * 8, 8,
		       &pde) ||
	    !(pde & _PAGE_PRESENT) || (pde & (xd_rsvd(h) | addr_rsvd)))
		return -EFAULT;
	if (pde & _PAGE_PSE) {
		if (pde & BITS(20, 13))
			return -EFAULT;
		*gpa = (pde & PADDR_MASK & ~BITS(20, 0)) | (gva & BITS(20, 0));
		return 0;
	}
	if (read_entry(v, (pde & PADDR_MASK) + ((gva >> 12) & 511) * 8, 8,
		       &pte) ||
	    !(pte & _PAGE_PRESENT) || (pte & (xd_rsvd(h) | addr_rsvd)))
		return -EFAULT;
	*gpa = (pte & PADDR_MASK) | (gva & ~PAGE_MASK);
	return 0;
}

/*
 * 4-level paging (long mode): PML4, PDPT (PS: a 1 GiB page), page
 * directory (PS: 2 MiB), page table. Bits 62:52 are ignored here (PAE
 * reserves them); PS is reserved in a PML4E.
 */
static int walk_4level(struct vcpu *v, unsigned long gva, paddr_t *gpa)
{
	struct hvm_vcpu *h = hvm_of(v);
	u64 rsvd = BITS(51, hvm_guest_maxphyaddr()) | xd_rsvd(h);
	paddr_t table = h->cr3 & PADDR_MASK;
	int level;

	if ((h->cr4 & X86_CR4_LA57) ||
	    ((gva >> 47) != 0 && (gva >> 47) != 0x1ffff))
		return -EFAULT;
	for (level = 4; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		u64 e;

		if (read_entry(v, table + ((gva >> shift) & 511) * 8, 8, &e) ||
		    !(e & _PAGE_PRESENT) || (e & rsvd) ||
		    (level == 4 && (e & _PAGE_PSE)))
			return -EFAULT;
		if (level == 1 || (e & _PAGE_PSE)) {
			/* A large page's PAT bit (12) is no address bit. */
			if (level > 1 && (e & BITS(shift - 1, 13)))
				return -EFAULT;
			*gpa = (e & PADDR_MASK & ~BITS(shift - 1, 0)) |
			       (gva & BITS(shift - 1, 0));
			return 0;
		}
		table = e & PADDR_MASK;
	}
	return -EFAULT;
}

/* Guest-virtual to guest-physical in the guest's paging mode, or -EFAULT. */
static int translate(struct vcpu *v, unsigned long gva, paddr_t *gpa)
{
	struct hvm_vcpu *h = hvm_of(v);

	if (!(h->cr0 & X86_CR0_PG)) {
		*gpa = (u32)gva;
		return 0;
	}
	if (h->efer & EFER_LMA)
		return walk_4level(v, gva, gpa);
	if (h->cr4 & X86_CR4_PAE)
		return walk_pae(v, (u32)gva, gpa);
	return walk_legacy(v, (u32)gva, gpa);
}

/* A page at a time; buf NULL: only check (see copy_phys_page). */
static int walk_virt(struct vcpu *v, void *buf, unsigned long gva, size_t len,
		     bool to_guest)
{
	while (len) {
		size_t n = min(len, (size_t)(PAGE_SIZE - (gva & ~PAGE_MASK)));
		paddr_t gpa;

		if (gva + n < gva || translate(v, gva, &gpa) ||
		    copy_phys(v->domain, gpa, buf, n, to_guest))
			return -EFAULT;
		gva += n;
		if (buf)
			buf = (u8 *)buf + n;
		len -= n;
	}
	return 0;
}

static int copy_virt(struct vcpu *v, void *buf, unsigned long gva, size_t len,
		     bool to_guest)
{
	/* Outside 64-bit mode the address space ends at 4 GiB. */
	if (!hvm_of(v)->long_mode && (gva >> 32 || len > (1UL << 32) - gva))
		return -EFAULT;
	if (to_guest && walk_virt(v, NULL, gva, len, true))
		return -EFAULT;
	return walk_virt(v, buf, gva, len, to_guest);
}

int copy_from_guest_virt(struct vcpu *v, void *dst, unsigned long gva,
			 size_t len)
{
	return copy_virt(v, dst, gva, len, false);
}

int copy_to_guest_virt(struct vcpu *v, unsigned long gva, const void *src,
		       size_t len)
{
	return copy_virt(v, (void *)src, gva, len, true);
}

/*
 * Whatever the p2m type of the page (paging out, shared), storing the
 * value already there changes nothing anyone can see: the lookup is a
 * read's (a paged-out frame comes back; nothing is unshared).
 */
int hvm_rewrite_guest_virt_byte(struct vcpu *v, unsigned long gva, u8 val)
{
	struct p2m_domain *p2m = v->domain->p2m;
	struct p2m_lookup r;
	paddr_t gpa;
	gfn_t gfn;
	int rc;

	if (translate(v, gva, &gpa))
		return -EFAULT;
	gfn = _gfn(gpa >> PAGE_SHIFT);
	rc = p2m_get_gfn(p2m, gfn, P2M_ALLOC, &r);
	if (!rc &&
	    (!p2m_is_ram(r.t) || !(p2m_effective_perms(r.t, r.a) & P2M_R)))
		rc = -EFAULT;
	if (!rc) {
		u8 *frame = __va((paddr_t)mfn_x(r.mfn) << PAGE_SHIFT);
		u8 seen = val;

		if (!__atomic_compare_exchange_n(
			    frame + (gpa & ~PAGE_MASK), &seen, val, false,
			    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			rc = -EAGAIN;
	}
	put_gfn(p2m, gfn);
	if (rc && rc != -EAGAIN)
		rc = -EFAULT;
	return rc;
}
