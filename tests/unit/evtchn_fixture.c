/*
 * The event-channel fixture: xen/common/event_channel.c and event_2l.c
 * compiled in once, with what they call outside faked here, and the
 * helpers the event-channel tests share (evtchn_fixture.h says what they
 * are; test_event_channel.c and test_evtchn_xen_ports.c use them).
 */
#define domain_get ec_domain_get
#define domain_put ec_domain_put
#define vcpu_wake ec_vcpu_wake
#define do_event_channel_op event_channel_op_under_test
#include "../../xen/common/event_channel.c"
#include "../../xen/common/event_2l.c"
#undef do_event_channel_op

#include "evtchn_fixture.h"
#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

struct fake_dom doms[3];
u8 ec_guest_mem[0x1000];
unsigned long ec_free_at_start;

struct domain *ec_domain_get(domid_t id)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++)
		if (doms[i].d.shared_info && doms[i].d.domain_id == id) {
			doms[i].d.refcnt++;
			return &doms[i].d;
		}
	return NULL;
}

void ec_domain_put(struct domain *d)
{
	CHECK(d->refcnt);
	d->refcnt--;
}

static struct fake_dom *fake_of(struct domain *d)
{
	return container_of(d, struct fake_dom, d);
}

static void count_upcall(struct vcpu *v)
{
	CHECK(v == &fake_of(v->domain)->v[v->vcpu_id]);
	fake_of(v->domain)->upcalls[v->vcpu_id]++;
}

void ec_vcpu_wake(struct vcpu *v)
{
	fake_of(v->domain)->wakes[v->vcpu_id]++;
}

static void init_dom(struct fake_dom *f, domid_t id, unsigned int nr_vcpus,
		     bool privileged)
{
	f->d.domain_id = id;
	f->d.is_privileged = privileged;
	f->d.max_vcpus = nr_vcpus;
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		f->v[i].vcpu_id = i;
		f->v[i].domain = &f->d;
		f->d.vcpu[i] = &f->v[i];
	}
	CHECK_EQ(evtchn_domain_init(&f->d), 0);
	CHECK(f->d.shared_info);
}

void ec_setup(void)
{
	shim_add_ram(RAM_START, RAM_END);
	fake_guest_mem(ec_guest_mem, sizeof(ec_guest_mem), RO_GVA, RO_END);
	fake_guest_upcall = count_upcall;
	ec_free_at_start = total_free_pages();
	init_dom(CTL, 0, 1, true);
	init_dom(A, 1, 2, false);
	init_dom(B, 7, 3, false);
}

/* Every page the domains had back in the heap. */
void ec_destroy_all(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++)
		evtchn_domain_destroy(&doms[i].d);
	CHECK_EQ(total_free_pages(), ec_free_at_start);
}

long evop(struct fake_dom *f, unsigned int vcpu, unsigned long cmd,
	  unsigned long gva)
{
	struct hypercall_args a = { .a = { cmd, gva } };
	long rc = event_channel_op_under_test(&f->v[vcpu], &a);

	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++)
		CHECK_EQ(doms[i].d.refcnt, 0);
	CHECK_EQ(atomic_depth(), 0);
	return rc;
}

long evop_arg(struct fake_dom *f, unsigned long cmd, const void *arg,
	      size_t len)
{
	memcpy(ec_guest_mem + ARG_GVA, arg, len);
	return evop(f, 0, cmd, ARG_GVA);
}

/* The new port, or -errno. */
long alloc_unbound(struct fake_dom *f, domid_t dom, domid_t remote)
{
	struct evtchn_alloc_unbound a = { dom, remote, 0xdead };
	long rc = evop_arg(f, EVTCHNOP_alloc_unbound, &a, sizeof(a));

	if (rc)
		return rc;
	memcpy(&a, ec_guest_mem + ARG_GVA, sizeof(a));
	CHECK(a.port > 0 && a.port < EVTCHN_MAX_PORTS);
	return a.port;
}

/* The new local port, or -errno. */
long ev_bind(struct fake_dom *f, domid_t remote, evtchn_port_t rport)
{
	struct evtchn_bind_interdomain b = { remote, rport, 0xdead };
	long rc = evop_arg(f, EVTCHNOP_bind_interdomain, &b, sizeof(b));

	if (rc)
		return rc;
	memcpy(&b, ec_guest_mem + ARG_GVA, sizeof(b));
	CHECK(b.local_port > 0 && b.local_port < EVTCHN_MAX_PORTS);
	return b.local_port;
}

static long port_op(struct fake_dom *f, unsigned int cmd, evtchn_port_t port)
{
	return evop_arg(f, cmd, &port, sizeof(port));
}

long ev_send(struct fake_dom *f, evtchn_port_t port)
{
	return port_op(f, EVTCHNOP_send, port);
}

long ev_close(struct fake_dom *f, evtchn_port_t port)
{
	return port_op(f, EVTCHNOP_close, port);
}

long ev_unmask(struct fake_dom *f, evtchn_port_t port)
{
	return port_op(f, EVTCHNOP_unmask, port);
}

long bind_vcpu(struct fake_dom *f, evtchn_port_t port, u32 vcpu)
{
	struct evtchn_bind_vcpu b = { port, vcpu };

	return evop_arg(f, EVTCHNOP_bind_vcpu, &b, sizeof(b));
}

long ev_status(struct fake_dom *f, domid_t dom, evtchn_port_t port,
	       struct evtchn_status *s)
{
	struct evtchn_status in = { .dom = dom, .port = port };
	long rc;

	memset(&in.status, 0x5a, sizeof(in) - offsetof(typeof(in), status));
	rc = evop_arg(f, EVTCHNOP_status, &in, sizeof(in));
	memcpy(s, ec_guest_mem + ARG_GVA, sizeof(*s));
	return rc;
}

/* Status of an unbound port that names remote. */
void check_unbound(struct fake_dom *f, evtchn_port_t port, domid_t remote)
{
	struct evtchn_status s;

	CHECK_EQ(ev_status(f, DOMID_SELF, port, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_unbound);
	CHECK_EQ(s.u.unbound.dom, remote);
}

void check_interdomain(struct fake_dom *f, evtchn_port_t port,
		       struct fake_dom *peer, evtchn_port_t pport)
{
	struct evtchn_status s;

	CHECK_EQ(ev_status(f, DOMID_SELF, port, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(s.u.interdomain.dom, peer->d.domain_id);
	CHECK_EQ(s.u.interdomain.port, pport);
}

void check_closed(struct fake_dom *f, evtchn_port_t port)
{
	struct evtchn_status s;

	CHECK_EQ(ev_status(f, DOMID_SELF, port, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_closed);
}

/* The shared-info page as the guest sees it. */
u8 *ec_si(struct fake_dom *f)
{
	return f->d.shared_info;
}

bool ec_pending(struct fake_dom *f, evtchn_port_t port)
{
	return ec_si(f)[SI_PENDING + port / 8] & (1u << (port % 8));
}

void clear_pending(struct fake_dom *f, evtchn_port_t port)
{
	ec_si(f)[SI_PENDING + port / 8] &= ~(1u << (port % 8));
}

unsigned int mask_offset(struct fake_dom *f)
{
	return f->d.shinfo_compat ? SI_MASK_COMPAT : SI_MASK_NATIVE;
}

bool ec_masked(struct fake_dom *f, evtchn_port_t port)
{
	return ec_si(f)[mask_offset(f) + port / 8] & (1u << (port % 8));
}

void set_mask(struct fake_dom *f, evtchn_port_t port)
{
	ec_si(f)[mask_offset(f) + port / 8] |= 1u << (port % 8);
}

/* The vCPU's evtchn_pending_sel. */
u64 ec_sel(struct fake_dom *f, unsigned int vcpu)
{
	u8 *vi = ec_si(f) + vcpu * SI_VCPU_INFO_SIZE;
	u32 s32;
	u64 s64;

	if (f->d.shinfo_compat) {
		memcpy(&s32, vi + SI_SEL_COMPAT, sizeof(s32));
		return s32;
	}
	memcpy(&s64, vi + SI_SEL_NATIVE, sizeof(s64));
	return s64;
}

u8 upcall_pending(struct fake_dom *f, unsigned int vcpu)
{
	return ec_si(f)[vcpu * SI_VCPU_INFO_SIZE];
}

/* What the guest's upcall handler does: clear everything it saw. */
void ack_all(struct fake_dom *f)
{
	memset(ec_si(f) + SI_PENDING, 0, 128);
	for (unsigned int i = 0; i < f->d.max_vcpus; i++)
		memset(ec_si(f) + i * SI_VCPU_INFO_SIZE, 0, 16);
	memset(f->upcalls, 0, sizeof(f->upcalls));
	memset(f->wakes, 0, sizeof(f->wakes));
}

/* The selector bit of port's word in f's layout. */
u64 word_bit(struct fake_dom *f, evtchn_port_t port)
{
	return 1ULL << (port / (f->d.shinfo_compat ? 32 : 64));
}

void ec_double_event_lock(struct domain *a, struct domain *b)
{
	double_event_lock(a, b);
}

void ec_double_event_unlock(struct domain *a, struct domain *b)
{
	double_event_unlock(a, b);
}
