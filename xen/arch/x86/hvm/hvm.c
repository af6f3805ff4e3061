/*
 * The common HVM layer: picks the vendor backend, owns the per-domain p2m
 * and runs every guest vCPU's loop.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/p2m.h>
#include <asm/hvm.h>
#include <asm/hvm_irq.h>
#include <asm/vlapic.h>
#include <asm/xstate.h>

const struct hvm_function_table *hvm_funcs;

bool hvm_enabled(void)
{
	return hvm_funcs != NULL;
}

int hvm_init(void)
{
	hvm_funcs = svm_probe();
	if (!hvm_funcs)
		hvm_funcs = vmx_probe();
	if (!hvm_funcs) {
		printk(XENLOG_WARNING "HVM: no SVM with nested paging or VMX "
				      "with EPT: guests cannot run\n");
		return -ENODEV;
	}
	printk("HVM: %s\n", hvm_funcs->name);
	xstate_init();
	hvm_guest_caps_init();
	vlapic_mmio_register();
	vioapic_mmio_register();
	return hvm_cpu_up();
}

int hvm_cpu_up(void)
{
	if (!hvm_funcs)
		return 0;
	xstate_init_cpu();
	return hvm_funcs->cpu_up();
}

/*
 * A p2m change must not leave a stale translation in a TLB: every vCPU of
 * the domain that is in its guest on another CPU is made to exit, and
 * takes the new flush generation before it enters again (it publishes
 * in_guest before reading the generation, we bump the generation before
 * reading in_guest: one of us sees the other).
 */
static void hvm_flush_guest_tlbs(struct p2m_domain *p2m)
{
	struct domain *d = p2m->domain;
	unsigned long gen = p2m_flush_generation(p2m);
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];
		struct hvm_vcpu *h = v ? hvm_of(v) : NULL;

		if (!h || v->processor == smp_processor_id())
			continue;
		while (__atomic_load_n(&h->in_guest, __ATOMIC_SEQ_CST) &&
		       READ_ONCE(h->flush_gen_seen) != gen) {
			send_event_check(v->processor);
			cpu_relax();
		}
	}
}

/*
 * The p2m backend of domain d: chosen per domain, so that a domain can
 * have a shadow p2m once one exists. Today every domain has the format
 * the CPU's nested paging walks.
 */
static enum p2m_format hvm_p2m_format(const struct domain *d)
{
	return hvm_funcs->p2m_format;
}

/* Gfns the guest can address, as far as a p2m reaches (48 bits). */
static unsigned long guest_max_gfn(void)
{
	unsigned int bits = min(hvm_guest_maxphyaddr(), 48U);

	return 1UL << (bits - PAGE_SHIFT);
}

int hvm_domain_init(struct domain *d, unsigned long ram_gfns)
{
	unsigned long max_gfn = guest_max_gfn();
	struct p2m_domain *p2m;
	int rc;

	if (!hvm_funcs)
		return -ENODEV;
	p2m = alloc_xenheap_page();
	if (!p2m)
		return -ENOMEM;
	BUILD_BUG_ON(sizeof(*p2m) > PAGE_SIZE);
	rc = p2m_init_sparse(p2m, d, p2m_backend(hvm_p2m_format(d)), max_gfn,
			     min(ram_gfns, max_gfn));
	if (rc) {
		free_xenheap_page(p2m);
		return rc;
	}
	p2m->flush_cpus = hvm_flush_guest_tlbs;
	/* The format has accessed bits; does this CPU set them? */
	p2m->accessed_bits = p2m->accessed_bits &&
			     hvm_funcs->p2m_accessed_bits();
	p2m->fixups = &p2m_domain_fixups;
	d->p2m = p2m;
	rc = vioapic_init(d);
	if (!rc)
		rc = hvm_uart_init(d);
	if (rc)
		hvm_domain_destroy(d);
	return rc;
}

void hvm_domain_destroy(struct domain *d)
{
	vioapic_destroy(d);
	hvm_uart_destroy(d);
	p2m_teardown(d->p2m);
	free_xenheap_page(d->p2m);
	d->p2m = NULL;
}

/* RFLAGS bit 1 always reads 1. */
#define X86_EFLAGS_FIXED 0x2UL

int hvm_vcpu_init(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct hvm_vcpu s = *start;
	int rc;

	s.rflags |= X86_EFLAGS_FIXED;
	rc = hvm_funcs->vcpu_init(v, &s);

	if (rc)
		return rc;
	init_waitqueue_head(&hvm_of(v)->down_wq);
	hvm_mtrr_init(&hvm_of(v)->mtrr);
	rc = hvm_extra_init(hvm_of(v));
	if (!rc)
		rc = vlapic_init(v);
	if (rc)
		hvm_vcpu_destroy(v);
	return rc;
}

void hvm_vcpu_reset(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct hvm_vcpu *h = hvm_of(v);

	h->regs = start->regs;
	h->rip = start->rip;
	h->rsp = start->rsp;
	h->rflags = start->rflags | X86_EFLAGS_FIXED;
	h->cr3 = start->cr3;
	h->entry_64bit = start->entry_64bit;
	h->entry_real = start->entry_real;
	h->entry_cs = start->entry_cs;
	hvm_funcs->vcpu_reset(v);
}

void hvm_vcpu_destroy(struct vcpu *v)
{
	vlapic_destroy(v);
	hvm_extra_destroy(hvm_of(v));
	hvm_funcs->vcpu_destroy(v);
}

void hvm_vcpu_show_state(struct vcpu *v)
{
	hvm_funcs->show_state(v);
}

bool arch_vcpu_irqs_enabled(const struct vcpu *v)
{
	const struct hvm_vcpu *h = v->hvm;

	return h->rflags & X86_EFLAGS_IF;
}

struct waitqueue_head *arch_vcpu_down_wq(struct vcpu *v)
{
	return &hvm_of(v)->down_wq;
}

void hvm_vcpu_loop(struct vcpu *v)
{
	struct hvm_vcpu *h = hvm_of(v);

	for (;;) {
		if (!vcpu_runnable(v) || need_resched()) {
			schedule();
			continue;
		}
		/* Down: sleep here, on this vCPU's own stack, until it is up. */
		if (READ_ONCE(h->down) &&
		    wait_event(&h->down_wq,
			       !READ_ONCE(h->down) ||
				       v->domain->is_shutting_down))
			continue;
		/* INIT/SIPI or VCPUOP_initialise: loaded here, on its CPU. */
		hvm_vcpu_apply_start(v);
		pvtime_vcpu_enter(v);
		hvm_funcs->run(v);
	}
}
