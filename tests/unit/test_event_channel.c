/*
 * xen/common/event_channel.c and event_2l.c (shared_info.c is in the
 * Makefile's sources), through the fixture evtchn_fixture.c: the guest's
 * event_channel_op calls, delivery and the shared-info bits. The ports
 * the hypervisor serves are tested in test_evtchn_xen_ports.c.
 *
 * What the code calls outside these files is faked by the fixture:
 * domain_get()/domain_put() count references, which must be back to 0
 * after every hypercall, and vcpu_wake() counts calls per vCPU; so does
 * the shim's upcall (fake_guest_upcall).
 */
#include <string.h>

#include "evtchn_fixture.h"
#include "harness.h"
#include "shim.h"

TEST(evtchn_alloc_unbound_numbers_ports_from_1)
{
	struct evtchn_status s;

	ec_setup();
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 7), 1);
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 0), 2);
	CHECK_EQ(alloc_unbound(A, A->d.domain_id, DOMID_SELF), 3);
	CHECK_EQ(alloc_unbound(B, DOMID_SELF, 1), 1);

	CHECK_EQ(ev_status(A, DOMID_SELF, 1, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_unbound);
	CHECK_EQ(s.u.unbound.dom, 7);
	CHECK_EQ(s.vcpu, 0);
	CHECK_EQ(s.port, 1);
	check_unbound(A, 2, 0);
	/* DOMID_SELF as the remote: the caller itself. */
	check_unbound(A, 3, A->d.domain_id);
	check_unbound(B, 1, 1);
	/* Never allocated, in an allocated bucket: closed. */
	check_closed(A, 4);
	check_closed(A, EVTCHNS_PER_BUCKET - 1);
	/* Beyond the layout, or in no bucket yet. */
	CHECK_EQ(ev_status(A, DOMID_SELF, EVTCHN_MAX_PORTS, &s), -EINVAL);
	CHECK_EQ(ev_status(A, DOMID_SELF, ~0U, &s), -EINVAL);
	CHECK_EQ(ev_status(A, DOMID_SELF, EVTCHNS_PER_BUCKET, &s), -EINVAL);
	/* Nothing pending, masked or flagged by allocating. */
	for (evtchn_port_t p = 1; p <= 3; p++)
		CHECK(!ec_pending(A, p) && !ec_masked(A, p));
	CHECK_EQ(ec_sel(A, 0), 0);
	CHECK_EQ(A->upcalls[0], 0);
	ec_destroy_all();
}

TEST(evtchn_alloc_unbound_other_domains)
{
	struct evtchn_status s;

	ec_setup();
	/* A guest works on its own ports only. */
	CHECK_EQ(alloc_unbound(A, B->d.domain_id, 1), -EPERM);
	CHECK_EQ(alloc_unbound(A, CTL->d.domain_id, 1), -EPERM);
	CHECK_EQ(alloc_unbound(A, DOMID_MISSING, 1), -ESRCH);
	CHECK_EQ(alloc_unbound(CTL, DOMID_MISSING, 1), -ESRCH);
	CHECK_EQ(ev_status(A, B->d.domain_id, 1, &s), -EPERM);
	CHECK_EQ(ev_status(A, DOMID_MISSING, 1, &s), -ESRCH);
	/* Nothing was allocated in B. */
	CHECK_EQ(alloc_unbound(B, DOMID_SELF, 1), 1);
	check_unbound(B, 1, 1);

	/* The control domain allocates in B, for A, and reads its status. */
	CHECK_EQ(alloc_unbound(CTL, B->d.domain_id, A->d.domain_id), 2);
	CHECK_EQ(ev_status(CTL, B->d.domain_id, 2, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_unbound);
	CHECK_EQ(s.u.unbound.dom, A->d.domain_id);
	check_unbound(B, 2, A->d.domain_id);
	/* Not in its own table. */
	CHECK_EQ(ev_status(CTL, DOMID_SELF, 2, &s), -EINVAL);
	/* A binds to the port the control domain made for it. */
	CHECK_EQ(ev_bind(A, B->d.domain_id, 2), 1);
	check_interdomain(B, 2, A, 1);
	ec_destroy_all();
}

TEST(evtchn_alloc_unbound_bad_buffer_allocates_nothing)
{
	struct evtchn_alloc_unbound a = { DOMID_SELF, 7, 0 };

	ec_setup();
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 7), 1);
	CHECK_EQ(evop(A, 0, EVTCHNOP_alloc_unbound, sizeof(ec_guest_mem) - 4),
		 -EFAULT);
	CHECK_EQ(evop(A, 0, EVTCHNOP_alloc_unbound, ~0UL - 3), -EFAULT);
	/* Readable but not writable: no port is made to be lost. */
	memcpy(ec_guest_mem + RO_GVA, &a, sizeof(a));
	CHECK_EQ(evop(A, 0, EVTCHNOP_alloc_unbound, RO_GVA), -EFAULT);
	check_closed(A, 2);
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 7), 2);
	ec_destroy_all();
}

static void exhaust(bool compat)
{
	unsigned int max = compat ? 1024 : 4096;
	long port = 0;

	ec_setup();
	if (compat)
		shared_info_latch(&A->d, true);
	for (unsigned int i = 1; i < max; i++) {
		port = alloc_unbound(A, DOMID_SELF, 7);
		if (port != i)
			FAIL("allocation %u gave %ld", i, port);
	}
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 7), -ENOSPC);
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 7), -ENOSPC);
	check_unbound(A, max - 1, 7);
	/* Binding needs a port too: the remote end stays unbound. */
	CHECK_EQ(alloc_unbound(B, DOMID_SELF, A->d.domain_id), 1);
	CHECK_EQ(ev_bind(A, B->d.domain_id, 1), -ENOSPC);
	check_unbound(B, 1, A->d.domain_id);
	/* A freed port is the next one handed out. */
	CHECK_EQ(ev_close(A, 300), 0);
	CHECK_EQ(ev_bind(A, B->d.domain_id, 1), 300);
	check_interdomain(B, 1, A, 300);
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 7), -ENOSPC);
	ec_destroy_all();
}

TEST(evtchn_ports_exhausted_native)
{
	exhaust(false);
}

TEST(evtchn_ports_exhausted_compat)
{
	exhaust(true);
}

TEST(evtchn_bind_interdomain)
{
	struct evtchn_status s;
	long pa, pb;

	ec_setup();
	pa = alloc_unbound(A, DOMID_SELF, B->d.domain_id);
	CHECK_EQ(pa, 1);
	/* Only the domain the port names may bind. */
	CHECK_EQ(ev_bind(CTL, A->d.domain_id, pa), -EINVAL);
	CHECK_EQ(ev_bind(A, DOMID_SELF, pa), -EINVAL);
	/* Ports that are not unbound, or not there at all. */
	CHECK_EQ(ev_bind(B, A->d.domain_id, 0), -EINVAL);
	CHECK_EQ(ev_bind(B, A->d.domain_id, 2), -EINVAL);
	CHECK_EQ(ev_bind(B, A->d.domain_id, EVTCHNS_PER_BUCKET), -EINVAL);
	CHECK_EQ(ev_bind(B, A->d.domain_id, EVTCHN_MAX_PORTS), -EINVAL);
	CHECK_EQ(ev_bind(B, A->d.domain_id, ~0U), -EINVAL);
	CHECK_EQ(ev_bind(B, DOMID_MISSING, pa), -ESRCH);
	/* An argument the guest cannot read or write back. */
	CHECK_EQ(evop(B, 0, EVTCHNOP_bind_interdomain,
		      sizeof(ec_guest_mem) - 8),
		 -EFAULT);
	memcpy(ec_guest_mem + RO_GVA,
	       &(struct evtchn_bind_interdomain){ A->d.domain_id, pa, 0 },
	       sizeof(struct evtchn_bind_interdomain));
	CHECK_EQ(evop(B, 0, EVTCHNOP_bind_interdomain, RO_GVA), -EFAULT);
	check_unbound(A, pa, B->d.domain_id);
	/* B was given no port (its table is still empty). */
	CHECK_EQ(ev_status(B, DOMID_SELF, 1, &s), -EINVAL);
	/* None of that left anything pending. */
	CHECK(!ec_pending(A, pa) && !ec_pending(B, 1));

	pb = ev_bind(B, A->d.domain_id, pa);
	CHECK_EQ(pb, 1);
	check_interdomain(A, pa, B, pb);
	check_interdomain(B, pb, A, pa);
	CHECK_EQ(ev_status(CTL, B->d.domain_id, pb, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(s.u.interdomain.dom, A->d.domain_id);
	/* The new local port is pending at once, for its vCPU 0. */
	CHECK(ec_pending(B, pb));
	CHECK_EQ(ec_sel(B, 0), word_bit(B, pb));
	CHECK_EQ(upcall_pending(B, 0), 1);
	CHECK_EQ(B->upcalls[0], 1);
	CHECK(!ec_pending(A, pa));
	CHECK_EQ(A->upcalls[0], 0);
	/* Bound now: not again. */
	CHECK_EQ(ev_bind(B, A->d.domain_id, pa), -EINVAL);
	CHECK_EQ(ev_bind(CTL, A->d.domain_id, pa), -EINVAL);
	ec_destroy_all();
}

TEST(evtchn_bind_loopback)
{
	long p, q;

	ec_setup();
	p = alloc_unbound(A, DOMID_SELF, DOMID_SELF);
	CHECK_EQ(p, 1);
	q = ev_bind(A, DOMID_SELF, p);
	CHECK_EQ(q, 2);
	check_interdomain(A, p, A, q);
	check_interdomain(A, q, A, p);
	CHECK(ec_pending(A, q));
	CHECK(!ec_pending(A, p));
	ack_all(A);
	CHECK_EQ(ev_send(A, q), 0);
	CHECK(ec_pending(A, p) && !ec_pending(A, q));
	CHECK_EQ(A->upcalls[0], 1);
	CHECK_EQ(ev_send(A, p), 0);
	CHECK(ec_pending(A, q));
	CHECK_EQ(A->upcalls[0], 1); /* the guest has not acknowledged */
	/* Closing one end leaves the other unbound, naming the domain. */
	CHECK_EQ(ev_close(A, p), 0);
	check_closed(A, p);
	check_unbound(A, q, A->d.domain_id);
	CHECK(!ec_pending(A, p));
	CHECK_EQ(ev_bind(A, DOMID_SELF, q), p);
	check_interdomain(A, q, A, p);
	ec_destroy_all();
}

/*
 * Loopback naming the domain by its own id instead of DOMID_SELF binds
 * the same way. (Its reference count is not checked here: see the
 * report, event_channel.c's bind takes a reference it never drops.)
 */
TEST(evtchn_bind_loopback_by_own_id)
{
	struct evtchn_bind_interdomain b = { 1, 1, 0 };
	struct hypercall_args a = { .a = { EVTCHNOP_bind_interdomain,
					   ARG_GVA } };

	ec_setup();
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, DOMID_SELF), 1);
	memcpy(ec_guest_mem + ARG_GVA, &b, sizeof(b));
	CHECK_EQ(event_channel_op_under_test(&A->v[0], &a), 0);
	memcpy(&b, ec_guest_mem + ARG_GVA, sizeof(b));
	CHECK_EQ(b.local_port, 2);
	CHECK_EQ(atomic_depth(), 0);
	A->d.refcnt = 0;
	check_interdomain(A, 1, A, 2);
	check_interdomain(A, 2, A, 1);
	ec_destroy_all();
}

/* A's port a_port bound to a fresh port of B, then everything cleared. */
static long connect(evtchn_port_t *a_port)
{
	long pa = alloc_unbound(A, DOMID_SELF, B->d.domain_id), pb;

	CHECK(pa > 0);
	pb = ev_bind(B, A->d.domain_id, pa);
	CHECK(pb > 0);
	ack_all(A);
	ack_all(B);
	*a_port = pa;
	return pb;
}

static void send_delivers(bool compat)
{
	unsigned int sel_off = compat ? SI_SEL_COMPAT : SI_SEL_NATIVE;
	unsigned int other_off = compat ? SI_SEL_NATIVE : SI_SEL_COMPAT;
	u8 before[PAGE_SIZE], other_sel[4];
	evtchn_port_t pa, pb;
	long unbound;

	ec_setup();
	if (compat)
		shared_info_latch(&B->d, true);
	/* B's port in word 2 (64-bit) or 4 (32-bit): bits 2 of byte 16. */
	for (unsigned int i = 1; i < 130; i++)
		CHECK_EQ(alloc_unbound(B, DOMID_SELF, 0), i);
	pb = connect(&pa);
	CHECK_EQ(pb, 130);
	memcpy(other_sel, ec_si(B) + other_off, sizeof(other_sel));

	CHECK_EQ(ev_send(A, pa), 0);
	CHECK_EQ(ec_si(B)[SI_PENDING + 16], 1u << 2);
	CHECK_EQ(ec_sel(B, 0), compat ? 1u << 4 : 1u << 2);
	CHECK_EQ(ec_si(B)[sel_off], compat ? 1u << 4 : 1u << 2);
	CHECK_EQ(upcall_pending(B, 0), 1);
	CHECK_EQ(B->upcalls[0], 1);
	CHECK_EQ(B->upcalls[1] + B->upcalls[2], 0);
	CHECK_EQ(ec_sel(B, 1), 0);
	/* The other layout's selector bytes are untouched. */
	CHECK(!memcmp(other_sel, ec_si(B) + other_off, sizeof(other_sel)));
	/* The sender's page is untouched. */
	CHECK(!ec_pending(A, pa));
	CHECK_EQ(A->upcalls[0], 0);

	/* Until the guest clears evtchn_upcall_pending: no more upcalls. */
	CHECK_EQ(ev_send(A, pa), 0);
	clear_pending(B, pb);
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK(ec_pending(B, pb));
	memset(ec_si(B) + sel_off, 0, compat ? 4 : 8);
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK_EQ(B->upcalls[0], 1);
	/* Acknowledged: the next event raises it again. */
	ack_all(B);
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK(ec_pending(B, pb));
	CHECK_EQ(ec_sel(B, 0), word_bit(B, pb));
	CHECK_EQ(B->upcalls[0], 1);

	/* The other way. */
	CHECK_EQ(ev_send(B, pb), 0);
	CHECK(ec_pending(A, pa));
	CHECK_EQ(ec_sel(A, 0), 1);
	CHECK_EQ(A->upcalls[0], 1);

	/* Masked: pending, but no selector bit and no upcall. */
	ack_all(B);
	set_mask(B, pb);
	CHECK_EQ(ec_si(B)[(compat ? SI_MASK_COMPAT : SI_MASK_NATIVE) + 16],
		 1u << 2);
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK(ec_pending(B, pb));
	CHECK_EQ(ec_sel(B, 0), 0);
	CHECK_EQ(upcall_pending(B, 0), 0);
	CHECK_EQ(B->upcalls[0], 0);
	/* Unmasking delivers it. */
	CHECK_EQ(ev_unmask(B, pb), 0);
	CHECK(!ec_masked(B, pb));
	CHECK_EQ(ec_sel(B, 0), word_bit(B, pb));
	CHECK_EQ(upcall_pending(B, 0), 1);
	CHECK_EQ(B->upcalls[0], 1);
	/* Unmasking a port with nothing pending raises nothing. */
	ack_all(B);
	set_mask(B, pb);
	CHECK_EQ(ev_unmask(B, pb), 0);
	CHECK(!ec_masked(B, pb));
	CHECK_EQ(ec_sel(B, 0), 0);
	CHECK_EQ(B->upcalls[0], 0);

	/* An unbound port drops the event; a free one is an error. */
	unbound = alloc_unbound(A, DOMID_SELF, B->d.domain_id);
	CHECK(unbound > 0);
	memcpy(before, ec_si(B), PAGE_SIZE);
	CHECK_EQ(ev_send(A, unbound), 0);
	CHECK(!memcmp(before, ec_si(B), PAGE_SIZE));
	CHECK(!ec_pending(A, unbound));
	CHECK_EQ(B->upcalls[0], 0);
	CHECK_EQ(ev_send(A, unbound + 1), -EINVAL);
	CHECK_EQ(ev_send(A, 0), -EINVAL);
	CHECK_EQ(ev_send(A, EVTCHNS_PER_BUCKET + 1), -EINVAL);
	CHECK_EQ(ev_send(A, EVTCHN_MAX_PORTS), -EINVAL);
	CHECK_EQ(ev_send(A, ~0U), -EINVAL);
	CHECK_EQ(evop(A, 0, EVTCHNOP_send, sizeof(ec_guest_mem) - 2), -EFAULT);
	CHECK_EQ(evop(A, 0, EVTCHNOP_unmask, sizeof(ec_guest_mem)), -EFAULT);
	CHECK(!memcmp(before, ec_si(B), PAGE_SIZE));
	ec_destroy_all();
}

TEST(evtchn_send_native_layout)
{
	send_delivers(false);
}

TEST(evtchn_send_compat_layout)
{
	send_delivers(true);
}

TEST(evtchn_unmask_ports)
{
	ec_setup();
	/* Any port of an allocated bucket, free or not, as in Xen. */
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 0), 1);
	set_mask(A, 5);
	CHECK_EQ(ev_unmask(A, 5), 0);
	CHECK(!ec_masked(A, 5));
	/* Reserved port 0, as in Xen: unmask works, status reads closed. */
	set_mask(A, 0);
	CHECK_EQ(ev_unmask(A, 0), 0);
	CHECK(!ec_masked(A, 0));
	CHECK_EQ(ev_unmask(B, 0), 0);
	check_closed(A, 0);
	check_closed(B, 0);
	CHECK_EQ(ev_unmask(A, EVTCHNS_PER_BUCKET), -EINVAL);
	CHECK_EQ(ev_unmask(A, EVTCHN_MAX_PORTS), -EINVAL);
	/* A 32-bit layout has no ports from 1024 on. */
	shared_info_latch(&B->d, true);
	for (unsigned int i = 1; i <= 8 * EVTCHNS_PER_BUCKET; i++)
		CHECK_EQ(alloc_unbound(B, DOMID_SELF, 0),
			 i < 1024 ? (long)i : -ENOSPC);
	CHECK_EQ(ev_unmask(B, 1023), 0);
	CHECK_EQ(ev_unmask(B, 1024), -EINVAL);
	CHECK_EQ(A->upcalls[0] + B->upcalls[0], 0);
	ec_destroy_all();
}

TEST(evtchn_bind_vcpu_moves_delivery)
{
	struct evtchn_status s;
	evtchn_port_t pa, pb;

	ec_setup();
	pb = connect(&pa);
	CHECK_EQ(bind_vcpu(B, pb, 2), 0);
	CHECK_EQ(ev_status(B, DOMID_SELF, pb, &s), 0);
	CHECK_EQ(s.vcpu, 2);
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK(ec_pending(B, pb));
	CHECK_EQ(ec_sel(B, 2), word_bit(B, pb));
	CHECK_EQ(upcall_pending(B, 2), 1);
	CHECK_EQ(B->upcalls[2], 1);
	CHECK_EQ(ec_sel(B, 0), 0);
	CHECK_EQ(upcall_pending(B, 0), 0);
	CHECK_EQ(B->upcalls[0] + B->upcalls[1], 0);
	/* Unmask delivers to the bound vCPU too. */
	ack_all(B);
	set_mask(B, pb);
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK_EQ(B->upcalls[2], 0);
	CHECK_EQ(ev_unmask(B, pb), 0);
	CHECK_EQ(B->upcalls[2], 1);
	CHECK_EQ(ec_sel(B, 2), word_bit(B, pb));
	CHECK_EQ(B->upcalls[0], 0);

	/* No such vCPU: nothing moves. */
	CHECK_EQ(bind_vcpu(B, pb, 3), -ENOENT);
	CHECK_EQ(bind_vcpu(B, pb, MAX_VCPUS), -ENOENT);
	CHECK_EQ(bind_vcpu(B, pb, ~0U), -ENOENT);
	A->d.vcpu[1] = NULL; /* within max_vcpus, not created */
	CHECK_EQ(bind_vcpu(A, pa, 1), -ENOENT);
	A->d.vcpu[1] = &A->v[1];
	CHECK_EQ(ev_status(B, DOMID_SELF, pb, &s), 0);
	CHECK_EQ(s.vcpu, 2);
	/* Free ports. */
	CHECK_EQ(bind_vcpu(B, pb + 1, 1), -EINVAL);
	CHECK_EQ(bind_vcpu(B, 0, 1), -EINVAL);
	CHECK_EQ(bind_vcpu(B, EVTCHN_MAX_PORTS, 1), -EINVAL);
	CHECK_EQ(evop(B, 0, EVTCHNOP_bind_vcpu, sizeof(ec_guest_mem) - 4),
		 -EFAULT);

	/* The other end's vCPU is its own. */
	CHECK_EQ(bind_vcpu(A, pa, 1), 0);
	CHECK_EQ(ev_send(B, pb), 0);
	CHECK_EQ(A->upcalls[1], 1);
	CHECK_EQ(A->upcalls[0], 0);
	CHECK_EQ(ec_sel(A, 1), word_bit(A, pa));
	/* A port closed and reused starts on vCPU 0 again. */
	CHECK_EQ(ev_close(B, pb), 0);
	CHECK_EQ(ev_bind(B, A->d.domain_id, pa), pb);
	CHECK_EQ(ev_status(B, DOMID_SELF, pb, &s), 0);
	CHECK_EQ(s.vcpu, 0);
	ec_destroy_all();
}

TEST(evtchn_send_wakes_pollers)
{
	evtchn_port_t pa, pb;

	ec_setup();
	pb = connect(&pa);
	B->v[1].polling = true;
	B->v[1].poll_port = pb;
	B->v[2].polling = true;
	B->v[2].poll_port = pb + 1;
	B->v[0].poll_port = pb; /* not polling */
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK_EQ(B->wakes[1], 1);
	CHECK_EQ(B->wakes[0] + B->wakes[2], 0);
	/* Already pending: nobody is woken again. */
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK_EQ(B->wakes[1], 1);
	/* poll_port 0 waits for any port; masked ports wake too. */
	ack_all(B);
	B->v[2].poll_port = 0;
	set_mask(B, pb);
	CHECK_EQ(ev_send(A, pa), 0);
	CHECK_EQ(B->wakes[1], 1);
	CHECK_EQ(B->wakes[2], 1);
	CHECK_EQ(B->wakes[0], 0);
	CHECK_EQ(B->upcalls[0], 0);
	CHECK_EQ(A->wakes[0] + A->wakes[1], 0);
	CHECK(evtchn_port_pending(&B->d, pb));
	CHECK(!evtchn_port_pending(&B->d, pb + 1));
	CHECK(!evtchn_port_pending(&B->d, EVTCHN_MAX_PORTS));
	ec_destroy_all();
}

TEST(evtchn_close)
{
	evtchn_port_t pa, pb;
	long p;

	ec_setup();
	pb = connect(&pa);
	CHECK_EQ(ev_send(B, pb), 0);
	CHECK(ec_pending(A, pa));
	CHECK_EQ(ev_close(A, pa), 0);
	check_closed(A, pa);
	CHECK(!ec_pending(A, pa));
	check_unbound(B, pb, A->d.domain_id);
	CHECK_EQ(ev_close(A, pa), -EINVAL);
	/* B's end now drops what it sends. */
	CHECK_EQ(ev_send(B, pb), 0);
	CHECK(!ec_pending(A, pa));
	/* The closer may bind to it again; nobody else may. */
	CHECK_EQ(ev_bind(CTL, B->d.domain_id, pb), -EINVAL);
	p = ev_bind(A, B->d.domain_id, pb);
	CHECK_EQ(p, pa);
	check_interdomain(A, pa, B, pb);
	check_interdomain(B, pb, A, pa);
	/* Closing from the other side. */
	CHECK_EQ(ev_close(B, pb), 0);
	check_closed(B, pb);
	check_unbound(A, pa, B->d.domain_id);
	/* An unbound port closes for good. */
	CHECK_EQ(ev_close(A, pa), 0);
	check_closed(A, pa);
	CHECK_EQ(ev_bind(B, A->d.domain_id, pa), -EINVAL);
	/* Ports that were never there. */
	CHECK_EQ(ev_close(A, 0), -EINVAL);
	CHECK_EQ(ev_close(A, EVTCHNS_PER_BUCKET), -EINVAL);
	CHECK_EQ(ev_close(A, EVTCHN_MAX_PORTS), -EINVAL);
	CHECK_EQ(ev_close(A, ~0U), -EINVAL);
	CHECK_EQ(evop(A, 0, EVTCHNOP_close, sizeof(ec_guest_mem) - 3), -EFAULT);
	/* Freed ports are handed out again. */
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 0), pa);
	ec_destroy_all();
}

TEST(evtchn_domain_destroy_unbinds_peers)
{
	evtchn_port_t pa, pb, pc;
	unsigned long before;
	long p, q, pctl;

	ec_setup();
	pb = connect(&pa);
	/* A to the control domain, and a loopback in A. */
	p = alloc_unbound(A, DOMID_SELF, CTL->d.domain_id);
	pctl = ev_bind(CTL, A->d.domain_id, p);
	CHECK(pctl > 0);
	q = alloc_unbound(A, DOMID_SELF, DOMID_SELF);
	CHECK(ev_bind(A, DOMID_SELF, q) > 0);
	/* Ports in a second bucket of A. */
	for (unsigned int i = 0; i < EVTCHNS_PER_BUCKET; i++)
		CHECK(alloc_unbound(A, DOMID_SELF, 7) > 0);
	/* B's unbound port naming A stays as it is. */
	pc = alloc_unbound(B, DOMID_SELF, A->d.domain_id);

	before = total_free_pages();
	evtchn_domain_destroy(&A->d);
	/* Two buckets and the shared-info page. */
	CHECK_EQ(total_free_pages(), before + 3);
	CHECK(!A->d.shared_info);
	for (unsigned int i = 0; i < EVTCHN_NR_BUCKETS; i++)
		CHECK(!A->d.evtchn[i]);
	check_unbound(B, pb, A->d.domain_id);
	check_unbound(CTL, pctl, A->d.domain_id);
	check_unbound(B, pc, A->d.domain_id);
	CHECK_EQ(CTL->d.refcnt + B->d.refcnt, 0);
	CHECK_EQ(atomic_depth(), 0);
	/* The peers' ends work on: sends are dropped, closes succeed. */
	CHECK_EQ(ev_send(B, pb), 0);
	CHECK_EQ(ev_close(B, pb), 0);
	CHECK_EQ(ev_close(CTL, pctl), 0);
	/* A domain with nothing bound. */
	evtchn_domain_destroy(&CTL->d);
	evtchn_domain_destroy(&B->d);
	CHECK_EQ(total_free_pages(), ec_free_at_start);
}

TEST(evtchn_unknown_ops_are_enosys)
{
	static const unsigned long ops[] = { EVTCHNOP_bind_pirq,
					     EVTCHNOP_reset,
					     EVTCHNOP_init_control,
					     EVTCHNOP_expand_array,
					     EVTCHNOP_set_priority,
					     14,
					     99,
					     1UL << 32,
					     ~0UL };

	ec_setup();
	memset(ec_guest_mem + ARG_GVA, 0, 64);
	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
		CHECK_EQ(evop(A, 0, ops[i], ARG_GVA), -ENOSYS);
		CHECK_EQ(evop(CTL, 0, ops[i], ARG_GVA), -ENOSYS);
	}
	/* None made a port. */
	CHECK_EQ(alloc_unbound(A, DOMID_SELF, 0), 1);
	ec_destroy_all();
}

static long bind_virq(struct fake_dom *f, u32 virq, u32 vcpu)
{
	struct evtchn_bind_virq b = { virq, vcpu, 0xdead };
	long rc = evop_arg(f, EVTCHNOP_bind_virq, &b, sizeof(b));

	if (rc)
		return rc;
	memcpy(&b, ec_guest_mem + ARG_GVA, sizeof(b));
	CHECK(b.port > 0 && b.port < EVTCHN_MAX_PORTS);
	return b.port;
}

static long bind_ipi(struct fake_dom *f, u32 vcpu)
{
	struct evtchn_bind_ipi b = { vcpu, 0xdead };
	long rc = evop_arg(f, EVTCHNOP_bind_ipi, &b, sizeof(b));

	if (rc)
		return rc;
	memcpy(&b, ec_guest_mem + ARG_GVA, sizeof(b));
	CHECK(b.port > 0 && b.port < EVTCHN_MAX_PORTS);
	return b.port;
}

TEST(evtchn_bind_virq)
{
	struct evtchn_status s;
	long timer1, console, again;

	ec_setup();
	/* Range, global virqs on vCPU 0 only, vCPUs that exist. */
	CHECK_EQ(bind_virq(A, NR_VIRQS, 0), -EINVAL);
	CHECK_EQ(bind_virq(A, VIRQ_CONSOLE, 1), -EINVAL);
	CHECK_EQ(bind_virq(A, VIRQ_TIMER, 2), -ENOENT);
	CHECK_EQ(bind_virq(A, VIRQ_TIMER, ~0U), -ENOENT);
	CHECK(!send_guest_vcpu_virq(&A->v[1], VIRQ_TIMER));
	/* A per-vCPU virq on vCPU 1, once. */
	timer1 = bind_virq(A, VIRQ_TIMER, 1);
	CHECK_EQ(timer1, 1);
	CHECK_EQ(bind_virq(A, VIRQ_TIMER, 1), -EEXIST);
	CHECK_EQ(A->v[1].virq_to_evtchn[VIRQ_TIMER], 1);
	CHECK_EQ(ev_status(A, DOMID_SELF, timer1, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_virq);
	CHECK_EQ(s.u.virq, VIRQ_TIMER);
	CHECK_EQ(s.vcpu, 1);
	/* The hypervisor raises it: pending, for vCPU 1, one upcall. */
	CHECK(send_guest_vcpu_virq(&A->v[1], VIRQ_TIMER));
	CHECK(ec_pending(A, timer1));
	CHECK(ec_sel(A, 1) & word_bit(A, timer1));
	CHECK_EQ(upcall_pending(A, 1), 1);
	CHECK_EQ(A->upcalls[1], 1);
	CHECK_EQ(A->upcalls[0], 0);
	CHECK(!send_guest_vcpu_virq(&A->v[0], VIRQ_TIMER));
	/* It cannot be sent on, nor moved. */
	CHECK_EQ(ev_send(A, timer1), -EINVAL);
	CHECK_EQ(bind_vcpu(A, timer1, 0), -EINVAL);
	/* A global one on vCPU 0; bind_vcpu moves its delivery. */
	console = bind_virq(A, VIRQ_CONSOLE, 0);
	CHECK_EQ(console, 2);
	CHECK_EQ(bind_vcpu(A, console, 1), 0);
	ack_all(A);
	CHECK(send_guest_global_virq(&A->d, VIRQ_CONSOLE));
	CHECK(ec_pending(A, console));
	CHECK(ec_sel(A, 1) & word_bit(A, console));
	CHECK_EQ(A->upcalls[1], 1);
	CHECK(!send_guest_global_virq(&B->d, VIRQ_CONSOLE));
	/* Closing unbinds it: the virq raises nothing, it may be bound again */
	CHECK_EQ(ev_close(A, timer1), 0);
	CHECK_EQ(A->v[1].virq_to_evtchn[VIRQ_TIMER], 0);
	CHECK(!send_guest_vcpu_virq(&A->v[1], VIRQ_TIMER));
	again = bind_virq(A, VIRQ_TIMER, 1);
	CHECK_EQ(again, timer1);
	CHECK_EQ(ev_close(A, console), 0);
	CHECK(!send_guest_global_virq(&A->d, VIRQ_CONSOLE));
	/* A bad buffer makes no port. */
	CHECK_EQ(evop(A, 0, EVTCHNOP_bind_virq, RO_GVA), -EFAULT);
	CHECK_EQ(evop(A, 0, EVTCHNOP_bind_virq, ~0UL), -EFAULT);
	CHECK_EQ(bind_virq(A, VIRQ_DEBUG, 0), 2);
	/* Xen's numbers: XENOPROF (7) is per-vCPU, 5 (unused) is global. */
	CHECK_EQ(bind_virq(A, VIRQ_XENOPROF, 1), 3);
	CHECK_EQ(bind_virq(A, 5, 1), -EINVAL);
	ec_destroy_all();
}

TEST(evtchn_bind_ipi)
{
	struct evtchn_status s;
	long ipi;

	ec_setup();
	CHECK_EQ(bind_ipi(B, 3), -ENOENT);
	CHECK_EQ(evop(B, 0, EVTCHNOP_bind_ipi, RO_GVA), -EFAULT);
	ipi = bind_ipi(B, 2);
	CHECK_EQ(ipi, 1);
	CHECK_EQ(ev_status(B, DOMID_SELF, ipi, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_ipi);
	CHECK_EQ(s.vcpu, 2);
	/* A send from any vCPU notifies vCPU 2 of the same domain. */
	CHECK_EQ(ev_send(B, ipi), 0);
	CHECK(ec_pending(B, ipi));
	CHECK(ec_sel(B, 2) & word_bit(B, ipi));
	CHECK_EQ(B->upcalls[2], 1);
	CHECK_EQ(B->upcalls[0] + B->upcalls[1], 0);
	CHECK_EQ(bind_vcpu(B, ipi, 0), -EINVAL);
	CHECK_EQ(ev_close(B, ipi), 0);
	CHECK_EQ(ev_send(B, ipi), -EINVAL);
	ec_destroy_all();
}

/*
 * Two domains' event locks are taken in domain-id order whoever asks:
 * the lock-rank checker panics otherwise. A has id 1, B id 7, the
 * control domain 0.
 */
TEST(evtchn_double_locks_in_id_order)
{
	struct fake_dom *pairs[][2] = {
		{ A, B }, { B, A }, { CTL, B }, { B, CTL }, { A, CTL }
	};

	ec_setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(pairs); i++) {
		struct fake_dom *x = pairs[i][0], *y = pairs[i][1];
		long px, py;

		/* y binds to x's port: y's lock and x's, y first. */
		px = alloc_unbound(x, DOMID_SELF, y->d.domain_id);
		CHECK(px > 0);
		py = ev_bind(y, x->d.domain_id, px);
		CHECK(py > 0);
		check_interdomain(x, px, y, py);
		CHECK_EQ(ev_send(x, px), 0);
		CHECK_EQ(ev_send(y, py), 0);
		/* Closed from either end. */
		CHECK_EQ(ev_close(i % 2 ? x : y, i % 2 ? px : py), 0);
		CHECK_EQ(ev_bind(i % 2 ? x : y, (i % 2 ? y : x)->d.domain_id,
				 i % 2 ? py : px),
			 i % 2 ? px : py);
		CHECK_EQ(ev_close(i % 2 ? y : x, i % 2 ? py : px), 0);
	}
	/* Destroying closes from the dying domain's side. */
	ec_destroy_all();
}

/* The checker is on: the other order panics. */
TEST(evtchn_event_locks_out_of_order_panic)
{
	ec_setup();
	event_lock(&B->d);
	EXPECT_PANIC(event_lock(&A->d));
	event_unlock(&B->d);
	ec_double_event_lock(&B->d, &A->d);
	ec_double_event_unlock(&B->d, &A->d);
	CHECK_EQ(atomic_depth(), 0);
}
