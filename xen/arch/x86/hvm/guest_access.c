/*
 * Copying to and from guest memory: guest-virtual addresses through the
 * guest's own page tables (paging off, or 4-level long mode), then the
 * p2m with ALLOC lookups, so PoD and paged frames are fixed up, never
 * leaked to the caller. Anything not readable (or writable) RAM is
 * -EFAULT. A copy to a guest-virtual range checks every page before it
 * writes any, so a bad pointer leaves the guest's memory as it was.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/p2m.h>
#include <asm/hvm.h>
#include <asm/processor.h>

#define PTE_P 1UL
#define PTE_PS (1UL << 7)
#define PTE_ADDR 0x000ffffffffff000UL

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

	rc = p2m_get_gfn(p2m, gfn, P2M_ALLOC, &r);
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

/* Guest-virtual to guest-physical, or -EFAULT. */
static int translate(struct vcpu *v, unsigned long gva, paddr_t *gpa)
{
	struct hvm_vcpu *h = hvm_of(v);
	paddr_t table = h->cr3 & PTE_ADDR;
	int level;

	if (!(h->cr0 & X86_CR0_PG)) {
		*gpa = h->long_mode ? gva : (u32)gva;
		return 0;
	}
	/* Legacy 32-bit and PAE paging are not walked (no guest uses them). */
	if (!(h->efer & (1UL << 10)))
		return -EFAULT;
	if ((gva >> 47) != 0 && (gva >> 47) != 0x1ffff)
		return -EFAULT;
	for (level = 4; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		u64 e;

		if (copy_phys(v->domain, table + ((gva >> shift) & 511) * 8, &e,
			      sizeof(e), false) ||
		    !(e & PTE_P))
			return -EFAULT;
		if (level == 1 || (level <= 3 && (e & PTE_PS))) {
			paddr_t base = e & PTE_ADDR & ~((1UL << shift) - 1);

			*gpa = base | (gva & ((1UL << shift) - 1));
			return 0;
		}
		table = e & PTE_ADDR;
	}
	return -EFAULT;
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
	if (to_guest && walk_virt(v, NULL, gva, len, true))
		return -EFAULT;
	return walk_virt(v, buf, gva, len, to_guest);
}

int hvm_copy_from_guest_virt(struct vcpu *v, void *dst, unsigned long gva,
			     size_t len)
{
	return copy_virt(v, dst, gva, len, false);
}

int hvm_copy_to_guest_virt(struct vcpu *v, unsigned long gva, const void *src,
			   size_t len)
{
	return copy_virt(v, (void *)src, gva, len, true);
}
