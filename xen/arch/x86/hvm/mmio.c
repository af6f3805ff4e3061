/*
 * The table of emulated guest-physical ranges (asm/hvm_mmio.h): filled at
 * boot, before any guest runs, and only read from then on, so lookups
 * take no lock. And the nested page faults at those ranges, or where
 * nothing is.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/hvm.h>
#include <asm/hvm_mmio.h>

/* The xAPIC page and the IOAPIC today; room for a few more. */
#define MAX_MMIO_RANGES 8

static const struct hvm_mmio_ops *ranges[MAX_MMIO_RANGES];
static unsigned int nr_ranges;

/* Whether [base, base + size) and r's range share a byte. */
static bool overlaps(const struct hvm_mmio_ops *r, paddr_t base, paddr_t size)
{
	return base < r->base + r->size && r->base < base + size;
}

void hvm_mmio_register(const struct hvm_mmio_ops *ops)
{
	unsigned int i;

	if (!ops->size || ops->base + ops->size < ops->base || !ops->read ||
	    !ops->write)
		panic("MMIO range %lx+%lx: empty, wrapping or without "
		      "callbacks",
		      (unsigned long)ops->base, (unsigned long)ops->size);
	if (nr_ranges == MAX_MMIO_RANGES)
		panic("MMIO range %lx+%lx: the table is full (%u ranges)",
		      (unsigned long)ops->base, (unsigned long)ops->size,
		      MAX_MMIO_RANGES);
	for (i = 0; i < nr_ranges; i++)
		if (overlaps(ranges[i], ops->base, ops->size))
			panic("MMIO range %lx+%lx overlaps %lx+%lx",
			      (unsigned long)ops->base,
			      (unsigned long)ops->size,
			      (unsigned long)ranges[i]->base,
			      (unsigned long)ranges[i]->size);
	ranges[nr_ranges++] = ops;
}

const struct hvm_mmio_ops *hvm_mmio_find(paddr_t gpa)
{
	unsigned int i;

	for (i = 0; i < nr_ranges; i++)
		if (gpa - ranges[i]->base < ranges[i]->size)
			return ranges[i];
	return NULL;
}

/* Nothing at the gpa: reads float high, writes go nowhere. */
static int read_nothing(struct vcpu *v, paddr_t gpa, unsigned int size,
			u64 *val)
{
	*val = ~0UL;
	return 0;
}

static int write_nothing(struct vcpu *v, paddr_t gpa, unsigned int size,
			 u64 val)
{
	return 0;
}

void hvm_mmio_fault(struct vcpu *v, const struct hvm_fault *f,
		    const struct hvm_mmio_ops *dev)
{
	struct domain *d = v->domain;
	/* Nothing here: the one page faulted on, so no access crosses it. */
	struct hvm_mmio_ops nothing = {
		.base = f->gpa & PAGE_MASK,
		.size = PAGE_SIZE,
		.read = read_nothing,
		.write = write_nothing,
	};
	const char *what = dev ? "an emulated device" : "nothing";
	unsigned long rip = hvm_of(v)->rip; /* before it moves on */

	if (f->access & P2M_X) {
		domain_crash(d, "instruction fetch from gpa %lx where %s is",
			     (unsigned long)f->gpa, what);
		return;
	}
	if (f->in_guest_walk) {
		domain_crash(d, "its page tables reach gpa %lx where %s is",
			     (unsigned long)f->gpa, what);
		return;
	}
	if (f->in_event_delivery) {
		domain_crash(d,
			     "delivering an event touched gpa %lx where %s "
			     "is",
			     (unsigned long)f->gpa, what);
		return;
	}
	if (hvm_emulate_mmio(v, f, dev ? dev : &nothing) || dev)
		return;
	__atomic_fetch_add(&d->nr_unbacked, 1, __ATOMIC_RELAXED);
	if (!__atomic_exchange_n(&d->unbacked_logged, true, __ATOMIC_RELAXED))
		printk(XENLOG_WARNING "d%u: %s to gpa %lx where nothing is, at "
				      "RIP %lx (reads ~0, writes dropped; "
				      "logged once)\n",
		       d->domain_id, f->access & P2M_W ? "write" : "read",
		       (unsigned long)f->gpa, rip);
}
