/*
 * The stack area: one 32 KiB slot per stack. A plain slot has its lower
 * half unmapped (the guard) and the STACK_SIZE stack in its upper half; an
 * IST slot maps its three one-page stacks at pages 1, 3 and 5, so each has
 * an unmapped page below it. The pages themselves are xenheap pages (or,
 * for the boot CPU's IST stacks, image pages); their direct-map alias stays
 * mapped, but no stack pointer ever points into it.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/smp.h>
#include <asm/config.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/smp.h>
#include <asm/stack.h>

#define SLOT_SIZE (2 * STACK_SIZE)
#define NR_SLOTS (STACK_AREA_SIZE / SLOT_SIZE)
#define BITS_PER_WORD (8 * sizeof(unsigned long))

enum slot_kind { SLOT_FREE, SLOT_VCPU, SLOT_CPU, SLOT_IST };

/* Whose stack a slot holds, for the overflow message. */
struct slot_owner {
	u8 kind;
	u16 domid; /* SLOT_VCPU */
	u16 id; /* vCPU id, or CPU number */
};

/* A slot is taken by setting its bit (atomically: no lock needed). */
static unsigned long slot_used[NR_SLOTS / BITS_PER_WORD];
static struct slot_owner owners[NR_SLOTS];
static unsigned long cpu_stack_base[NR_CPUS];

extern u8 cpu0_stack[];

static unsigned long slot_va(unsigned int slot)
{
	return STACK_AREA_VIRT_START + (unsigned long)slot * SLOT_SIZE;
}

static int slot_get(void)
{
	unsigned int w, b;

	for (w = 0; w < ARRAY_SIZE(slot_used); w++) {
		unsigned long old = READ_ONCE(slot_used[w]);

		while (~old) {
			b = (unsigned int)__builtin_ctzl(~old);
			if (__atomic_compare_exchange_n(
				    &slot_used[w], &old, old | (1UL << b),
				    false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
				return (int)(w * BITS_PER_WORD + b);
		}
	}
	return -ENOSPC;
}

static void slot_put(unsigned int slot)
{
	owners[slot].kind = SLOT_FREE;
	__atomic_fetch_and(&slot_used[slot / BITS_PER_WORD],
			   ~(1UL << (slot % BITS_PER_WORD)), __ATOMIC_RELEASE);
}

static void *stack_alloc(struct slot_owner owner)
{
	void *pages = alloc_xenheap_pages(STACK_ORDER, 0);
	unsigned long va;
	int slot = slot_get();

	if (!pages || slot < 0)
		goto fail;
	va = slot_va((unsigned int)slot) + SLOT_SIZE - STACK_SIZE;
	if (map_pages_to_xen(va, __pa(pages), STACK_SIZE >> PAGE_SHIFT,
			     PAGE_HYPERVISOR_RW, false)) {
		unmap_pages_from_xen(va, STACK_SIZE >> PAGE_SHIFT);
		goto fail;
	}
	owners[slot] = owner;
	return (void *)va;

fail:
	if (slot >= 0)
		slot_put((unsigned int)slot);
	if (pages)
		free_xenheap_pages(pages, STACK_ORDER);
	return NULL;
}

void *stack_alloc_vcpu(unsigned int domid, unsigned int vcpu_id)
{
	return stack_alloc(
		(struct slot_owner){ SLOT_VCPU, (u16)domid, (u16)vcpu_id });
}

void *stack_alloc_cpu(unsigned int cpu)
{
	void *s = stack_alloc((struct slot_owner){ SLOT_CPU, 0, (u16)cpu });

	if (s)
		cpu_stack_base[cpu] = (unsigned long)s;
	return s;
}

void stack_free(void *stack)
{
	unsigned long va = (unsigned long)stack;
	paddr_t pa;

	if (!stack)
		return;
	pa = xen_va_to_pa(va);
	BUG_ON(va < STACK_AREA_VIRT_START || pa == ~(paddr_t)0);
	/* No CPU may keep a stale translation of a slot that is reused. */
	unmap_pages_from_xen(va, STACK_SIZE >> PAGE_SHIFT);
	flush_tlb_mask(&cpu_online_map);
	free_xenheap_pages(__va(pa), STACK_ORDER);
	slot_put((unsigned int)((va - STACK_AREA_VIRT_START) / SLOT_SIZE));
}

int stack_map_ist(unsigned int cpu, paddr_t pa,
		  unsigned long tops[STACK_NR_IST])
{
	int slot = slot_get();
	unsigned int i;

	if (slot < 0)
		return slot;
	for (i = 0; i < STACK_NR_IST; i++) {
		unsigned long va =
			slot_va((unsigned int)slot) + (2 * i + 1) * PAGE_SIZE;

		if (map_pages_to_xen(va, pa + i * PAGE_SIZE, 1,
				     PAGE_HYPERVISOR_RW, false))
			return -ENOMEM; /* boot-time only: the caller panics */
		tops[i] = va + PAGE_SIZE;
	}
	owners[slot] = (struct slot_owner){ SLOT_IST, 0, (u16)cpu };
	return 0;
}

bool stack_guard_owner(unsigned long addr, char *buf, size_t len)
{
	static const char *const ist_names[STACK_NR_IST] = {
		"NMI stack", "double fault stack", "machine check stack"
	};
	unsigned long cpu0 = (unsigned long)cpu0_stack, off, page;
	const struct slot_owner *o;
	unsigned int cpu;

	if (addr >= cpu0 && addr < cpu0 + PAGE_SIZE) {
		snprintf(buf, len, "idle stack (CPU 0)");
		return true;
	}
	if (addr < STACK_AREA_VIRT_START ||
	    addr >= STACK_AREA_VIRT_START + STACK_AREA_SIZE)
		return false;
	off = addr - STACK_AREA_VIRT_START;
	o = &owners[off / SLOT_SIZE];
	page = (off % SLOT_SIZE) >> PAGE_SHIFT;
	cpu = o->id;
	switch (o->kind) {
	case SLOT_VCPU:
		if (page >= (SLOT_SIZE - STACK_SIZE) >> PAGE_SHIFT)
			return false;
		snprintf(buf, len, "hypervisor stack (vCPU d%uv%u)", o->domid,
			 cpu);
		return true;
	case SLOT_CPU:
		if (page >= (SLOT_SIZE - STACK_SIZE) >> PAGE_SHIFT)
			return false;
		snprintf(buf, len, "idle stack (CPU %u)", cpu);
		return true;
	case SLOT_IST:
		if (page % 2 || page / 2 >= STACK_NR_IST)
			return false;
		snprintf(buf, len, "%s (CPU %u)", ist_names[page / 2], cpu);
		return true;
	default:
		return false;
	}
}

unsigned long stack_cpu_base(unsigned int cpu)
{
	return cpu ? cpu_stack_base[cpu] :
		     (unsigned long)cpu0_stack + PAGE_SIZE;
}

void stack_init(void)
{
	/* The image is mapped with 4 KiB pages: the guard goes alone. */
	unmap_pages_from_xen((unsigned long)cpu0_stack, 1);
}
