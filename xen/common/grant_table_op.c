/*
 * grant_table_op (hypercall 20): (cmd, arg, count). What a translated
 * guest needs to set its grant table up: query_size, setup_table,
 * set_version and get_version, each on one argument structure (count 1,
 * else -EINVAL, as Xen). Every other op (mapping, copying, transferring
 * grants, ...) is -ENOSYS, logged once per domain and op.
 *
 * As in Xen, query_size and setup_table report a bad domain or a refusal
 * in their status field (the hypercall returns 0); another domain may be
 * named by the control domain (or the domain's own controller) only.
 */
#include <xen/bitops.h>
#include <xen/grant_table.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <public/grant_table.h>

/* hypercall_get_domain()'s error as a GNTST_ status. */
static int16_t gntst_of(long rc)
{
	return rc == -ESRCH ? GNTST_bad_domain : GNTST_permission_denied;
}

static long query_size(struct vcpu *v, unsigned long arg)
{
	XEN_GUEST_HANDLE(gnttab_query_size_t)
	hnd = guest_handle_from_param(arg, gnttab_query_size_t);
	struct gnttab_query_size op;
	struct domain *d;
	long rc;

	if (copy_from_guest(&op, hnd, 1))
		return -EFAULT;
	rc = hypercall_get_domain(v, op.dom, &d);
	if (rc) {
		op.status = gntst_of(rc);
	} else {
		op.nr_frames = gnttab_nr_frames(d);
		op.max_nr_frames = GNTTAB_MAX_FRAMES;
		op.status = GNTST_okay;
		hypercall_put_domain(v, d);
	}
	return copy_to_guest(hnd, &op, 1);
}

/* list[i] = gfn, in a 32-bit caller's or a 64-bit caller's words. */
static int write_gfn(unsigned long list, unsigned int i, unsigned long gfn,
		     bool compat)
{
	compat_pfn_t x32 = gfn;
	xen_pfn_t x64 = gfn;

	if (compat)
		return copy_to_guest_offset(
			guest_handle_from_param(list, compat_pfn_t), i, &x32,
			1);
	return copy_to_guest_offset(guest_handle_from_param(list, xen_pfn_t), i,
				    &x64, 1);
}

/*
 * Grow d's table to nr frames and write where each is mapped to list
 * (64-bit or 32-bit gfns): a frame not mapped reads as all ones, as
 * Xen's M2P gives for a translated guest's unmapped frame. The gfns are
 * taken under physmap_lock and copied after it: a copy may wait for the
 * pager to bring the list's page back. nr is at most GNTTAB_MAX_FRAMES.
 */
static int16_t setup_frames(struct domain *d, unsigned int nr,
			    unsigned long list, bool compat)
{
	unsigned long gfns[GNTTAB_MAX_FRAMES];
	unsigned int i;
	int rc;

	spin_lock(&d->physmap_lock);
	rc = gnttab_grow(d, nr);
	for (i = 0; !rc && i < nr; i++)
		gfns[i] = gnttab_of(d)->frame[i].gfn;
	spin_unlock(&d->physmap_lock);
	if (rc)
		return GNTST_general_error;
	for (i = 0; i < nr; i++)
		if (write_gfn(list, i, gfns[i], compat))
			return GNTST_bad_virt_addr;
	return GNTST_okay;
}

static long setup_table(struct vcpu *v, unsigned long arg, bool compat)
{
	struct gnttab_setup_table op;
	unsigned long list;
	struct domain *d;
	long rc;

	if (compat) {
		struct compat_gnttab_setup_table x;

		if (copy_from_guest(&x,
				    guest_handle_from_param(
					    arg, compat_gnttab_setup_table_t),
				    1))
			return -EFAULT;
		op = (struct gnttab_setup_table){ .dom = x.dom,
						  .nr_frames = x.nr_frames };
		list = x.frame_list.c;
	} else {
		if (copy_from_guest(
			    &op,
			    guest_handle_from_param(arg, gnttab_setup_table_t),
			    1))
			return -EFAULT;
		list = op.frame_list.q;
	}
	rc = hypercall_get_domain(v, op.dom, &d);
	if (rc) {
		op.status = gntst_of(rc);
	} else if (op.nr_frames > GNTTAB_MAX_FRAMES) {
		op.status = GNTST_general_error;
		hypercall_put_domain(v, d);
	} else {
		op.status = setup_frames(d, op.nr_frames, list, compat);
		hypercall_put_domain(v, d);
	}
	/* status is at the same offset in both layouts. */
	return copy_field_to_guest(
		guest_handle_from_param(arg, gnttab_setup_table_t), &op,
		status);
}

/* Version 1 is the only one: 2 is -ENOSYS, as Xen with v2 disabled. */
static long set_version(unsigned long arg)
{
	XEN_GUEST_HANDLE(gnttab_set_version_t)
	hnd = guest_handle_from_param(arg, gnttab_set_version_t);
	struct gnttab_set_version op;
	long rc = 0;

	if (copy_from_guest(&op, hnd, 1))
		return -EFAULT;
	if (op.version == 2)
		rc = -ENOSYS;
	else if (op.version != 1)
		rc = -EINVAL;
	op.version = 1;
	if (copy_to_guest(hnd, &op, 1))
		rc = -EFAULT;
	return rc;
}

static long get_version(struct vcpu *v, unsigned long arg)
{
	XEN_GUEST_HANDLE(gnttab_get_version_t)
	hnd = guest_handle_from_param(arg, gnttab_get_version_t);
	struct gnttab_get_version op;
	struct domain *d;
	long rc;

	if (copy_from_guest(&op, hnd, 1))
		return -EFAULT;
	rc = hypercall_get_domain(v, op.dom, &d);
	if (rc)
		return rc;
	hypercall_put_domain(v, d);
	op.version = 1;
	return copy_to_guest(hnd, &op, 1);
}

static long unsupported(struct domain *d, unsigned int cmd)
{
	unsigned int bit = cmd < BITS_PER_LONG ? cmd : BITS_PER_LONG - 1;

	if (!test_and_set_bit(bit, &d->gnttab_unsupported_logged))
		printk(XENLOG_WARNING
		       "d%u: grant_table_op %u not supported (-ENOSYS)\n",
		       d->domain_id, cmd);
	return -ENOSYS;
}

long do_grant_table_op(struct vcpu *v, struct hypercall_args *args)
{
	unsigned long cmd = args->a[0], arg = args->a[1];
	unsigned int count = args->a[2];

	/* A negative count, or progress bits on a new op, as Xen. */
	if ((int)count < 0 || (cmd & ~(unsigned long)GNTTABOP_CMD_MASK))
		return -EINVAL;
	switch (cmd) {
	case GNTTABOP_setup_table:
	case GNTTABOP_query_size:
	case GNTTABOP_set_version:
	case GNTTABOP_get_version:
		if (count != 1)
			return -EINVAL;
		break;
	default:
		return unsupported(v->domain, cmd);
	}
	switch (cmd) {
	case GNTTABOP_setup_table:
		return setup_table(v, arg, args->compat);
	case GNTTABOP_query_size:
		return query_size(v, arg);
	case GNTTABOP_set_version:
		return set_version(arg);
	default:
		return get_version(v, arg);
	}
}
