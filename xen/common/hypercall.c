/*
 * The hypercall table, by Xen's numbers, and the dispatcher every
 * hypercall goes through.
 */
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <public/xen.h>

#define HYPERCALL(n, nargs) \
	[__HYPERVISOR_##n] = { .name = #n, .fn = do_##n, .nr_args = nargs }

const struct hypercall_desc hypercall_table[NR_HYPERCALLS] = {
	HYPERCALL(memory_op, 2), /* cmd, arg */
	HYPERCALL(xen_version, 2), /* cmd, arg */
	HYPERCALL(console_io, 3), /* cmd, count, buffer */
	HYPERCALL(grant_table_op, 3), /* cmd, arg, count */
	HYPERCALL(vcpu_op, 3), /* cmd, vcpu id, arg */
	HYPERCALL(sched_op, 2), /* cmd, arg */
	HYPERCALL(event_channel_op, 2), /* cmd, arg */
	HYPERCALL(hvm_op, 2), /* cmd, arg */
	HYPERCALL(sysctl, 1), /* struct xen_sysctl */
	HYPERCALL(domctl, 1), /* struct xen_domctl */
};

long hypercall_dispatch(struct vcpu *v, unsigned long nr,
			struct hypercall_args *args)
{
	const struct hypercall_desc *h;
	unsigned int i;
	long rc;

	/* Handlers copy through guest handles, which act for current. */
	ASSERT(v == current);
	if (nr >= ARRAY_SIZE(hypercall_table) || !hypercall_table[nr].fn)
		return -ENOSYS;
	h = &hypercall_table[nr];
	for (i = h->nr_args; i < HYPERCALL_MAX_ARGS; i++)
		args->a[i] = 0;
	rc = h->fn(v, args);
	if (rc == -ERESTART)
		__atomic_fetch_add(&v->domain->nr_continuations, 1,
				   __ATOMIC_RELAXED);
	return rc;
}
