/*
 * The PV console ring (xen/pv_console.h). The hypervisor is the back end
 * a Xen toolstack's console daemon would be: it consumes the output ring
 * when the guest sends on its console port, and produces the input ring
 * from serial input.
 *
 * The ring page is the guest's: it may write anything there at any time.
 * So the hypervisor keeps its own indexes (out_cons, in_prod), reads the
 * guest's (out_prod, in_cons) once per pass, and touches the rings only
 * at index % size. Indexes that claim more than a ring holds are corrupt:
 * reported once, the hypervisor's index is moved to the guest's (output
 * dropped, input ring empty) and the console goes on from there.
 */
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/pv_console.h>
#include <xen/pvtime.h>
#include <xen/sched.h>
#include <asm/p2m.h>
#include <public/hvm_op.h>
#include <public/io/console.h>

#define CHUNK 64 /* bytes copied at a time, on the stack */

static void report_corrupt(struct domain *d, const char *ring, u32 cons,
			   u32 prod)
{
	struct pv_console *c = &d->pv_console;

	if (c->reported)
		return;
	c->reported = true;
	printk(XENLOG_WARNING "d%u (%s): console %s ring indexes corrupt "
			      "(cons %#x, prod %#x): reset\n",
	       d->domain_id, d->name, ring, cons, prod);
}

/*
 * Everything the guest produced, to its console lines: at most one ring
 * (out_prod is read once), then the guest is told there is room.
 */
static void drain(struct domain *d, struct xencons_interface *r)
{
	struct pv_console *c = &d->pv_console;
	char buf[CHUNK];
	u32 prod;

	spin_lock(&c->out_lock);
	prod = READ_ONCE(r->out_prod);
	smp_rmb(); /* the bytes after the index that covers them */
	if (prod - c->out_cons > sizeof(r->out)) {
		report_corrupt(d, "output", c->out_cons, prod);
		c->out_cons = prod;
	}
	while (c->out_cons != prod) {
		unsigned int n = 0;

		while (c->out_cons != prod && n < sizeof(buf))
			buf[n++] =
				r->out[MASK_XENCONS_IDX(c->out_cons++, r->out)];
		domain_console_write(d, buf, n);
	}
	smp_mb(); /* the bytes are read before the guest may reuse them */
	WRITE_ONCE(r->out_cons, c->out_cons);
	spin_unlock(&c->out_lock);
	notify_via_xen_evtchn_local(d, c->xen_port);
}

/* The guest sent on its console port. */
static void kicked(struct vcpu *sender, evtchn_port_t port, void *data)
{
	struct domain *d = data;
	struct xencons_interface *r =
		__atomic_load_n(&d->pv_console.ring, __ATOMIC_ACQUIRE);

	/* A send before pv_console_attach() has finished: nothing yet. */
	if (!r)
		return;
	WRITE_ONCE(d->pv_console.active, true);
	drain(d, r);
}

bool pv_console_input(struct domain *d)
{
	struct pv_console *c = &d->pv_console;
	struct xencons_interface *r =
		__atomic_load_n(&c->ring, __ATOMIC_ACQUIRE);
	u32 cons, room, done = 0;

	if (!r || !READ_ONCE(c->active))
		return false;
	cons = READ_ONCE(r->in_cons);
	if (c->in_prod - cons > sizeof(r->in)) {
		report_corrupt(d, "input", cons, c->in_prod);
		c->in_prod = cons;
	}
	smp_mb(); /* in_cons is read before its bytes are overwritten */
	room = sizeof(r->in) - (c->in_prod - cons);
	while (done < room) {
		char buf[CHUNK];
		unsigned long cookie;
		size_t n = console_input_peek(
			buf, min(room - done, sizeof(buf)), &cookie);
		size_t i;

		if (!n)
			break;
		for (i = 0; i < n; i++)
			r->in[MASK_XENCONS_IDX(c->in_prod + done + i, r->in)] =
				buf[i];
		console_input_consume(n, cookie);
		done += n;
	}
	if (done) {
		smp_wmb(); /* the bytes before the index that covers them */
		c->in_prod += done;
		WRITE_ONCE(r->in_prod, c->in_prod);
		notify_via_xen_evtchn_local(d, c->xen_port);
	}
	return true;
}

int pv_console_attach(struct domain *d, unsigned long gfn)
{
	struct pv_console *c = &d->pv_console;
	evtchn_port_t guest_port;
	struct page_info *pg;
	long port;

	if (__atomic_exchange_n(&c->attached, true, __ATOMIC_SEQ_CST))
		return -EBUSY;
	/* Before the port exists: a send may come at once. */
	spin_lock_init(&c->out_lock, "pv_console", LR_PV_CONSOLE);
	c->out_cons = c->in_prod = 0;
	pg = guest_frame_get(d, gfn);
	port = pg ? alloc_xen_evtchn_for_guest(d, kicked, d, &guest_port) :
		    -EINVAL;
	if (port < 0) {
		if (pg)
			put_page(pg);
		WRITE_ONCE(c->attached, false);
		return (int)port;
	}
	c->pg = pg;
	c->xen_port = port;
	event_lock(d);
	d->hvm_params[HVM_PARAM_CONSOLE_PFN] = gfn;
	d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = guest_port;
	event_unlock(d);
	/* Last: the input poll may look at it from now on. */
	__atomic_store_n(&c->ring, page_to_virt(pg), __ATOMIC_RELEASE);
	return 0;
}

int pv_console_setup(struct domain *d, unsigned long gfn)
{
	struct page_info *pg = alloc_domheap_page(d, 0);
	int rc;

	if (!pg)
		return -ENOMEM;
	memset(page_to_virt(pg), 0, PAGE_SIZE);
	/* On failure the page is d's: it goes with d. */
	rc = p2m_set_entry(d->p2m, _gfn(gfn), _mfn(page_to_pfn(pg)), 0,
			   p2m_ram_rw, p2m_access_rwx);
	return rc ?: pv_console_attach(d, gfn);
}

void pv_console_destroy(struct domain *d)
{
	struct pv_console *c = &d->pv_console;

	if (!c->pg)
		return;
	c->ring = NULL;
	put_page(c->pg);
	c->pg = NULL;
}
