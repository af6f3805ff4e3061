/*
 * Starting secondary vCPUs: INIT and SIPI from a local APIC, and
 * VCPUOP_initialise/up from a hypercall.
 *
 * The handshake. A vCPU's start state can only be loaded on its own CPU
 * (a VMCS is active on one CPU), so the requester, on any CPU, only
 * fills vlapic->start under the vlapic's lock and sets start.pending;
 * the vCPU takes it in hvm_vcpu_loop, on its own stack, before it enters
 * the guest (hvm_vcpu_apply_start()). The same lock orders h->unstarted
 * and h->down against the requests:
 *   INIT:  the APIC is reset, any request dropped, unstarted = down =
 *          true (wait-for-SIPI); the vCPU leaves the guest and sleeps.
 *   SIPI:  only if unstarted: a real-mode request at CS = vector << 8,
 *          IP 0, unstarted = down = false, the vCPU is woken.
 *   VCPUOP_initialise: only if unstarted or down (else -EEXIST): the
 *          given state is requested, unstarted = false; down stays.
 *   VCPUOP_up: -EINVAL while unstarted (as Xen), else down = false.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/wait.h>
#include <asm/hvm_irq.h>
#include <asm/processor.h>
#include <asm/vlapic.h>

/* RFLAGS after INIT: only the always-one bit. */
#define RFLAGS_RESET 0x2UL

void hvm_vcpu_init_ipi(struct vcpu *v)
{
	struct vlapic *vl = vcpu_vlapic(v);
	struct hvm_vcpu *h = hvm_of(v);
	unsigned long flags;

	spin_lock_irqsave(&vl->lock, flags);
	vlapic_reset(vl);
	vl->start.pending = false;
	h->unstarted = true;
	WRITE_ONCE(h->down, true);
	spin_unlock_irqrestore(&vl->lock, flags);
	hvm_vcpu_kick(v);
}

void hvm_vcpu_sipi(struct vcpu *v, u8 vector)
{
	struct vlapic *vl = vcpu_vlapic(v);
	struct hvm_vcpu *h = hvm_of(v);
	struct hvm_vcpu *s = &vl->start.state;
	unsigned long flags;
	bool started = false;

	spin_lock_irqsave(&vl->lock, flags);
	if (h->unstarted) {
		memset(s, 0, sizeof(*s));
		s->entry_real = true;
		s->entry_cs = (u16)(vector << 8);
		s->rflags = RFLAGS_RESET;
		/* EDX holds the processor signature, as after RESET/INIT. */
		s->regs.rdx = cpuid(1).eax;
		vl->start.pending = true;
		h->unstarted = false;
		WRITE_ONCE(h->down, false);
		started = true;
	}
	spin_unlock_irqrestore(&vl->lock, flags);
	if (started)
		wake_up_all(&h->down_wq);
}

int hvm_vcpu_set_start(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct vlapic *vl = vcpu_vlapic(v);
	struct hvm_vcpu *h = hvm_of(v);
	unsigned long flags;
	int rc = -EEXIST;

	spin_lock_irqsave(&vl->lock, flags);
	if (h->unstarted || READ_ONCE(h->down)) {
		vl->start.state = *start;
		vl->start.pending = true;
		h->unstarted = false;
		rc = 0;
	}
	spin_unlock_irqrestore(&vl->lock, flags);
	return rc;
}

int hvm_vcpu_up(struct vcpu *v)
{
	struct vlapic *vl = vcpu_vlapic(v);
	struct hvm_vcpu *h = hvm_of(v);
	unsigned long flags;
	int rc = -EINVAL;

	spin_lock_irqsave(&vl->lock, flags);
	if (!h->unstarted) {
		WRITE_ONCE(h->down, false);
		rc = 0;
	}
	spin_unlock_irqrestore(&vl->lock, flags);
	if (!rc)
		wake_up_all(&h->down_wq);
	return rc;
}

void hvm_vcpu_apply_start(struct vcpu *v)
{
	struct vlapic *vl = vcpu_vlapic(v);
	struct hvm_vcpu start;
	unsigned long flags;

	if (!READ_ONCE(vl->start.pending))
		return;
	spin_lock_irqsave(&vl->lock, flags);
	/* An INIT since the look above dropped it. */
	if (!vl->start.pending) {
		spin_unlock_irqrestore(&vl->lock, flags);
		return;
	}
	start = vl->start.state;
	vl->start.pending = false;
	spin_unlock_irqrestore(&vl->lock, flags);
	hvm_vcpu_reset(v, &start);
}
