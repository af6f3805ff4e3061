/*
 * The domain's one IOAPIC (version 0x11: no EOI register) at
 * HVM_IOAPIC_BASE, ID HVM_IOAPIC_ID, HVM_IOAPIC_PINS pins, GSI n on pin
 * n. Redirection entries are masked at reset. An edge-triggered entry
 * sends its message on each assertion of its line; a level-triggered one
 * while its line is asserted and its remote IRR is clear, which it then
 * sets until a local APIC broadcasts the EOI of its vector. Devices
 * assert and deassert lines logically: the polarity bit is kept for the
 * guest to read and does not invert them.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/spinlock.h>
#include <asm/hvm_irq.h>
#include <asm/hvm_mmio.h>
#include <asm/vlapic.h>
#include <public/hvm_platform.h>

#define IOREGSEL 0x00
#define IOWIN 0x10

#define REG_ID 0x00
#define REG_VERSION 0x01
#define REG_ARB 0x02
#define REG_REDIR 0x10 /* two 32-bit registers per pin */

#define IOAPIC_VERSION (0x11 | ((HVM_IOAPIC_PINS - 1) << 16))

#define RTE_DEST_LOGICAL (1UL << 11)
#define RTE_REMOTE_IRR (1UL << 14)
#define RTE_LEVEL (1UL << 15)
#define RTE_MASKED (1UL << 16)
/* Vector, delivery and destination modes, polarity, trigger, mask, dest */
#define RTE_WRITABLE 0xff0000000001afffUL

struct vioapic {
	struct domain *d;
	/* Protects the rest; held while delivering to the local APICs. */
	spinlock_t lock;
	u32 ioregsel;
	u64 rte[HVM_IOAPIC_PINS];
	bool line[HVM_IOAPIC_PINS]; /* asserted by its device */
};

static struct vioapic *domain_vioapic(struct domain *d)
{
	return d->vioapic;
}

int vioapic_init(struct domain *d)
{
	struct vioapic *io = alloc_xenheap_page();
	unsigned int i;

	BUILD_BUG_ON(sizeof(*io) > PAGE_SIZE);
	if (!io)
		return -ENOMEM;
	memset(io, 0, sizeof(*io));
	io->d = d;
	spin_lock_init(&io->lock, "vioapic", LR_VIOAPIC);
	for (i = 0; i < HVM_IOAPIC_PINS; i++)
		io->rte[i] = RTE_MASKED;
	d->vioapic = io;
	return 0;
}

void vioapic_destroy(struct domain *d)
{
	free_xenheap_page(d->vioapic);
	d->vioapic = NULL;
}

/* Send pin's message (lock held); a level entry waits for its EOI. */
static void fire(struct vioapic *io, unsigned int pin)
{
	u64 rte = io->rte[pin];
	struct apic_msg m = {
		.dest = (u32)(rte >> 56),
		.logical = rte & RTE_DEST_LOGICAL,
		.mode = (rte >> 8) & 7,
		.vector = (u8)rte,
		.level = rte & RTE_LEVEL,
		.assert = true,
	};

	/* Fixed, lowest priority and NMI; the rest needs what is absent. */
	if (m.mode != APIC_MODE_FIXED && m.mode != APIC_MODE_LOWEST &&
	    m.mode != APIC_MODE_NMI)
		return;
	if (m.level)
		io->rte[pin] |= RTE_REMOTE_IRR;
	vlapic_send(io->d, NULL, &m);
}

/* Whether a level entry's message is due (lock held). */
static bool level_due(const struct vioapic *io, unsigned int pin)
{
	u64 rte = io->rte[pin];

	return (rte & RTE_LEVEL) && io->line[pin] && !(rte & RTE_MASKED) &&
	       !(rte & RTE_REMOTE_IRR);
}

void hvm_gsi_assert(struct domain *d, unsigned int gsi)
{
	struct vioapic *io = domain_vioapic(d);
	unsigned long flags;
	bool rising;

	if (!io || gsi >= HVM_IOAPIC_PINS)
		return;
	spin_lock_irqsave(&io->lock, flags);
	rising = !io->line[gsi];
	io->line[gsi] = true;
	if (io->rte[gsi] & RTE_LEVEL) {
		if (level_due(io, gsi))
			fire(io, gsi);
	} else if (rising && !(io->rte[gsi] & RTE_MASKED)) {
		fire(io, gsi);
	}
	spin_unlock_irqrestore(&io->lock, flags);
}

void hvm_gsi_deassert(struct domain *d, unsigned int gsi)
{
	struct vioapic *io = domain_vioapic(d);
	unsigned long flags;

	if (!io || gsi >= HVM_IOAPIC_PINS)
		return;
	spin_lock_irqsave(&io->lock, flags);
	io->line[gsi] = false;
	spin_unlock_irqrestore(&io->lock, flags);
}

void vioapic_eoi(struct domain *d, u8 vector)
{
	struct vioapic *io = domain_vioapic(d);
	unsigned long flags;
	unsigned int pin;

	if (!io)
		return;
	spin_lock_irqsave(&io->lock, flags);
	for (pin = 0; pin < HVM_IOAPIC_PINS; pin++) {
		if ((u8)io->rte[pin] != vector ||
		    !(io->rte[pin] & RTE_REMOTE_IRR))
			continue;
		io->rte[pin] &= ~RTE_REMOTE_IRR;
		/* Still asserted: the line interrupts again. */
		if (level_due(io, pin))
			fire(io, pin);
	}
	spin_unlock_irqrestore(&io->lock, flags);
}

static u32 read_reg(struct vioapic *io, u32 reg)
{
	unsigned int pin = (reg - REG_REDIR) / 2;

	switch (reg) {
	case REG_ID:
	case REG_ARB:
		return HVM_IOAPIC_ID << 24;
	case REG_VERSION:
		return IOAPIC_VERSION;
	}
	if (reg < REG_REDIR || pin >= HVM_IOAPIC_PINS)
		return 0;
	return (u32)(io->rte[pin] >> (reg & 1 ? 32 : 0));
}

/* The ID and arbitration registers keep HVM_IOAPIC_ID: the MADT's. */
static void write_reg(struct vioapic *io, u32 reg, u32 val)
{
	unsigned int pin = (reg - REG_REDIR) / 2;
	u64 rte;

	if (reg < REG_REDIR || pin >= HVM_IOAPIC_PINS)
		return;
	rte = io->rte[pin];
	if (reg & 1)
		rte = (rte & 0xffffffffUL) | (u64)val << 32;
	else
		rte = (rte & ~0xffffffffUL) | val;
	/* Remote IRR and delivery status are the IOAPIC's. */
	io->rte[pin] = (rte & RTE_WRITABLE) | (io->rte[pin] & RTE_REMOTE_IRR);
	if (!(io->rte[pin] & RTE_LEVEL))
		io->rte[pin] &= ~RTE_REMOTE_IRR;
	/* An unmasked level entry whose line is up interrupts now. */
	if (level_due(io, pin))
		fire(io, pin);
}

static int vioapic_mmio_read(struct vcpu *v, paddr_t gpa, unsigned int size,
			     u64 *val)
{
	struct vioapic *io = domain_vioapic(v->domain);
	unsigned long flags;

	spin_lock_irqsave(&io->lock, flags);
	switch (gpa - HVM_IOAPIC_BASE) {
	case IOREGSEL:
		*val = io->ioregsel;
		break;
	case IOWIN:
		*val = read_reg(io, io->ioregsel);
		break;
	default:
		*val = 0;
		break;
	}
	spin_unlock_irqrestore(&io->lock, flags);
	return 0;
}

static int vioapic_mmio_write(struct vcpu *v, paddr_t gpa, unsigned int size,
			      u64 val)
{
	struct vioapic *io = domain_vioapic(v->domain);
	unsigned long flags;

	spin_lock_irqsave(&io->lock, flags);
	switch (gpa - HVM_IOAPIC_BASE) {
	case IOREGSEL:
		io->ioregsel = (u8)val;
		break;
	case IOWIN:
		write_reg(io, io->ioregsel, (u32)val);
		break;
	}
	spin_unlock_irqrestore(&io->lock, flags);
	return 0;
}

/* IOREGSEL at +0, IOWIN at +0x10: 32-bit registers in a 4 KiB page. */
static const struct hvm_mmio_ops vioapic_mmio = {
	.base = HVM_IOAPIC_BASE,
	.size = PAGE_SIZE,
	.read = vioapic_mmio_read,
	.write = vioapic_mmio_write,
};

void vioapic_mmio_register(void)
{
	hvm_mmio_register(&vioapic_mmio);
}
