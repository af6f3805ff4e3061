/*
 * xen/arch/x86/hvm/params.c: hvm_set_param and hvm_get_param. Who may
 * read and write which parameter (a guest its own few, the control
 * domain anything anywhere), the index bound, domain references, and
 * CALLBACK_IRQ's effect on every vCPU's upcall vector and on the
 * shared-info layout.
 *
 * The domains' event locks come from evtchn_domain_init() (event_channel.c,
 * compiled into test_event_channel.c), shared_info_latch() from
 * shared_info.c. domain_get() and domain_put() are faked here under names
 * of this file's own: references must be back to 0 after every call.
 * Guest-virtual addresses are offsets into guest_mem[] (fake_guest.h: a
 * read-only window, the rest -EFAULT).
 *
 * Domains: ctl (id 0, the control domain), g (id 1, vCPUs 0 and 2 of 3:
 * vCPU 1 was never created), h (id 2, 2 vCPUs).
 */
#define domain_get hp_domain_get
#define domain_put hp_domain_put
#include "../../xen/arch/x86/hvm/params.c"

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x1400UL
#define ARG_GVA 0x40UL
#define RO_GVA 0x100UL /* [RO_GVA, RO_END): readable, not writable */
#define RO_END 0x200UL
#define DOMID_MISSING 42
#define CALLBACK_VECTOR(v)                          \
	((u64)HVM_PARAM_CALLBACK_TYPE_VECTOR        \
		 << HVM_PARAM_CALLBACK_TYPE_SHIFT | \
	 (v))

static struct domain ctl, g, h;
static struct domain *const all[] = { &ctl, &g, &h };
static struct vcpu ctl_v[1], g_v[3], h_v[2];
static u8 guest_mem[0x400];

struct domain *hp_domain_get(domid_t id)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++)
		if (all[i]->domain_id == id) {
			all[i]->refcnt++;
			return all[i];
		}
	return NULL;
}

void hp_domain_put(struct domain *d)
{
	CHECK(d->refcnt);
	d->refcnt--;
}

static void init_dom(struct domain *d, domid_t id, struct vcpu *v,
		     unsigned int nr)
{
	d->domain_id = id;
	d->max_vcpus = nr;
	for (unsigned int i = 0; i < nr; i++) {
		v[i].vcpu_id = i;
		v[i].domain = d;
		d->vcpu[i] = &v[i];
	}
	CHECK_EQ(evtchn_domain_init(d), 0);
}

static void setup(void)
{
	shim_add_ram(RAM_START, RAM_END);
	fake_guest_mem(guest_mem, sizeof(guest_mem), RO_GVA, RO_END);
	init_dom(&ctl, 0, ctl_v, 1);
	ctl.is_privileged = true;
	init_dom(&g, 1, g_v, 3);
	g.vcpu[1] = NULL;
	init_dom(&h, 2, h_v, 2);
}

static void check_released(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++)
		CHECK_EQ(all[i]->refcnt, 0);
	CHECK_EQ(atomic_depth(), 0);
}

static long set_param_mode(struct vcpu *v, domid_t domid, u32 index, u64 value,
			   bool compat)
{
	struct xen_hvm_param p = { domid, index, value };
	long rc;

	memcpy(guest_mem + ARG_GVA, &p, sizeof(p));
	rc = hvm_set_param(v, ARG_GVA, compat);
	check_released();
	return rc;
}

static long set_param(struct vcpu *v, domid_t domid, u32 index, u64 value)
{
	return set_param_mode(v, domid, index, value, false);
}

/* The value, through *value; 0 or -errno. */
static long get_param(struct vcpu *v, domid_t domid, u32 index, u64 *value)
{
	struct xen_hvm_param p = { domid, index, 0x5a5a5a5a5a5a5a5aULL };
	long rc;

	memcpy(guest_mem + ARG_GVA, &p, sizeof(p));
	rc = hvm_get_param(v, ARG_GVA);
	check_released();
	memcpy(&p, guest_mem + ARG_GVA, sizeof(p));
	CHECK_EQ(p.domid, domid);
	CHECK_EQ(p.index, index);
	*value = p.value;
	return rc;
}

static void check_vectors(struct domain *d, u8 vector)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			CHECK_EQ(d->vcpu[i]->upcall_vector, vector);
}

TEST(hvm_param_index_bound)
{
	static const u32 bad[] = { HVM_NR_PARAMS, HVM_NR_PARAMS + 1, 1000,
				   ~0U };
	u64 val;

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ(set_param(&g_v[0], DOMID_SELF, bad[i], 0), -EINVAL);
		CHECK_EQ(get_param(&g_v[0], DOMID_SELF, bad[i], &val), -EINVAL);
		CHECK_EQ(set_param(&ctl_v[0], g.domain_id, bad[i], 0), -EINVAL);
		CHECK_EQ(get_param(&ctl_v[0], g.domain_id, bad[i], &val),
			 -EINVAL);
		/* Before the domain is looked up. */
		CHECK_EQ(set_param(&g_v[0], DOMID_MISSING, bad[i], 0), -EINVAL);
	}
	CHECK_EQ(set_param(&ctl_v[0], g.domain_id, HVM_NR_PARAMS - 1, 7), 0);
	CHECK_EQ(get_param(&ctl_v[0], g.domain_id, HVM_NR_PARAMS - 1, &val), 0);
	CHECK_EQ(val, 7);
}

TEST(hvm_param_guest_access_table)
{
	static const u32 get_ok[] = { 0, 1, 2, 15, 17, 18, 19, 35, 36, 37 };
	static const u32 set_ok[] = { 0, 2, 15, 18, 19, 36, 37 };

	setup();
	for (u32 i = 0; i < HVM_NR_PARAMS; i++) {
		bool may_get = false, may_set = false;
		u64 val;

		for (unsigned int j = 0; j < ARRAY_SIZE(get_ok); j++)
			may_get |= get_ok[j] == i;
		for (unsigned int j = 0; j < ARRAY_SIZE(set_ok); j++)
			may_set |= set_ok[j] == i;
		/*
		 * The control domain's value, for the guest to read. Setting
		 * CONSOLE_PFN serves the console ring in that page
		 * (pv_console_attach()), and there is no RAM here.
		 */
		if (i == HVM_PARAM_CONSOLE_PFN) {
			CHECK_EQ(set_param(&ctl_v[0], g.domain_id, i,
					   0x100 + i),
				 -EINVAL);
			g.hvm_params[i] = 0x100 + i;
		} else {
			CHECK_EQ(set_param(&ctl_v[0], g.domain_id, i,
					   i ? 0x100 + i : 0),
				 0);
		}
		CHECK_EQ(get_param(&g_v[0], DOMID_SELF, i, &val),
			 may_get ? 0 : -EPERM);
		if (may_get)
			CHECK_EQ(val, i ? 0x100 + i : 0);
		CHECK_EQ(get_param(&g_v[2], g.domain_id, i, &val),
			 may_get ? 0 : -EPERM);
		CHECK_EQ(set_param(&g_v[0], DOMID_SELF, i, i ? 0x200 + i : 0),
			 may_set ? 0 : -EPERM);
		CHECK_EQ(g.hvm_params[i],
			 i ? (may_set ? 0x200 + i : 0x100 + i) : 0);
		/* Never another domain's, whatever the index. */
		CHECK_EQ(get_param(&g_v[0], h.domain_id, i, &val), -EPERM);
		CHECK_EQ(set_param(&g_v[0], h.domain_id, i, 0), -EPERM);
		CHECK_EQ(get_param(&g_v[0], ctl.domain_id, i, &val), -EPERM);
		CHECK_EQ(h.hvm_params[i], 0);
	}
}

TEST(hvm_param_guest_examples)
{
	u64 val;

	setup();
	/* CALLBACK_IRQ: its own, both ways. */
	CHECK_EQ(set_param(&g_v[0], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			   CALLBACK_VECTOR(0xf3)),
		 0);
	CHECK_EQ(get_param(&g_v[0], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val),
		 0);
	CHECK_EQ(val, CALLBACK_VECTOR(0xf3));
	/* STORE_PFN: read only. */
	CHECK_EQ(set_param(&ctl_v[0], g.domain_id, HVM_PARAM_STORE_PFN, 0xfeff),
		 0);
	CHECK_EQ(set_param(&g_v[0], DOMID_SELF, HVM_PARAM_STORE_PFN, 0x1000),
		 -EPERM);
	CHECK_EQ(get_param(&g_v[0], DOMID_SELF, HVM_PARAM_STORE_PFN, &val), 0);
	CHECK_EQ(val, 0xfeff);
	/* PAGING_RING_PFN: neither. */
	CHECK_EQ(set_param(&g_v[0], DOMID_SELF, HVM_PARAM_PAGING_RING_PFN, 1),
		 -EPERM);
	CHECK_EQ(get_param(&g_v[0], DOMID_SELF, HVM_PARAM_PAGING_RING_PFN,
			   &val),
		 -EPERM);
	CHECK_EQ(val, 0x5a5a5a5a5a5a5a5aULL); /* not written back */
	/* Missing domains, for a guest and for the control domain. */
	CHECK_EQ(get_param(&g_v[0], DOMID_MISSING, HVM_PARAM_STORE_PFN, &val),
		 -ESRCH);
	CHECK_EQ(set_param(&ctl_v[0], DOMID_MISSING, HVM_PARAM_STORE_PFN, 1),
		 -ESRCH);
	CHECK_EQ(get_param(&ctl_v[0], DOMID_MISSING, HVM_PARAM_STORE_PFN, &val),
		 -ESRCH);
}

TEST(hvm_param_control_domain_anything)
{
	u64 val;

	setup();
	CHECK_EQ(set_param(&ctl_v[0], h.domain_id, HVM_PARAM_PAGING_RING_PFN,
			   0x123456789abcULL),
		 0);
	CHECK_EQ(get_param(&ctl_v[0], h.domain_id, HVM_PARAM_PAGING_RING_PFN,
			   &val),
		 0);
	CHECK_EQ(val, 0x123456789abcULL);
	CHECK_EQ(g.hvm_params[HVM_PARAM_PAGING_RING_PFN], 0);
	/* Values are stored as given, all 64 bits. */
	CHECK_EQ(set_param(&ctl_v[0], h.domain_id, HVM_PARAM_STORE_EVTCHN,
			   ~0ULL),
		 0);
	CHECK_EQ(get_param(&ctl_v[0], h.domain_id, HVM_PARAM_STORE_EVTCHN,
			   &val),
		 0);
	CHECK_EQ(val, ~0ULL);
	/* Its own, by DOMID_SELF. */
	CHECK_EQ(set_param(&ctl_v[0], DOMID_SELF, HVM_PARAM_MCA_CAP, 9), 0);
	CHECK_EQ(ctl.hvm_params[HVM_PARAM_MCA_CAP], 9);
	/* Another domain's CALLBACK_IRQ: its vCPUs, not its layout. */
	h.shinfo_compat = true;
	CHECK_EQ(set_param(&ctl_v[0], h.domain_id, HVM_PARAM_CALLBACK_IRQ,
			   CALLBACK_VECTOR(0x40)),
		 0);
	check_vectors(&h, 0x40);
	CHECK(h.shinfo_compat);
	check_vectors(&ctl, 0);
	check_vectors(&g, 0);
}

TEST(hvm_param_bad_buffers)
{
	struct xen_hvm_param p = { DOMID_SELF, HVM_PARAM_STORE_PFN, 0 };
	u64 val;

	setup();
	CHECK_EQ(hvm_set_param(&g_v[0], sizeof(guest_mem) - 8, false), -EFAULT);
	CHECK_EQ(hvm_get_param(&g_v[0], sizeof(guest_mem) - 15), -EFAULT);
	CHECK_EQ(hvm_get_param(&g_v[0], ~0UL), -EFAULT);
	/* Readable, not writable: the value cannot be returned. */
	memcpy(guest_mem + RO_GVA, &p, sizeof(p));
	CHECK_EQ(hvm_get_param(&g_v[0], RO_GVA), -EFAULT);
	check_released();
	/* Nothing is left locked or referenced: a later call works. */
	CHECK_EQ(get_param(&g_v[0], DOMID_SELF, HVM_PARAM_STORE_PFN, &val), 0);
	CHECK_EQ(val, 0);
}

TEST(hvm_param_callback_irq_vectors)
{
	static const u64 bad[] = {
		5, /* type 0: GSI 5 */
		1ULL << HVM_PARAM_CALLBACK_TYPE_SHIFT | 0x1234, /* PCI INTx */
		3ULL << HVM_PARAM_CALLBACK_TYPE_SHIFT | 0xf3,
		0xffULL << HVM_PARAM_CALLBACK_TYPE_SHIFT | 0xf3,
		CALLBACK_VECTOR(0x0f),
		CALLBACK_VECTOR(0),
		CALLBACK_VECTOR(0x1f3),
		CALLBACK_VECTOR(0xf3) | 1ULL << 30,
		CALLBACK_VECTOR(0xf3) | 1ULL << 55,
	};
	u64 val;

	setup();
	CHECK_EQ(set_param(&g_v[0], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			   CALLBACK_VECTOR(0xf3)),
		 0);
	check_vectors(&g, 0xf3);
	CHECK(!g_v[1].upcall_vector); /* not a vCPU of g */
	check_vectors(&h, 0);

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ(set_param(&g_v[0], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
				   bad[i]),
			 -EINVAL);
		CHECK_EQ(set_param(&ctl_v[0], g.domain_id,
				   HVM_PARAM_CALLBACK_IRQ, bad[i]),
			 -EINVAL);
		check_vectors(&g, 0xf3);
		CHECK_EQ(get_param(&g_v[2], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
				   &val),
			 0);
		CHECK_EQ(val, CALLBACK_VECTOR(0xf3));
	}
	/* The lowest vector there is. */
	CHECK_EQ(set_param(&g_v[2], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			   CALLBACK_VECTOR(0x10)),
		 0);
	check_vectors(&g, 0x10);
	/* 0 turns the upcall off. */
	CHECK_EQ(set_param(&g_v[0], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, 0), 0);
	check_vectors(&g, 0);
	CHECK_EQ(g.hvm_params[HVM_PARAM_CALLBACK_IRQ], 0);
}

TEST(hvm_param_callback_irq_latches_layout)
{
	setup();
	CHECK(!g.shinfo_compat);
	CHECK_EQ(set_param_mode(&g_v[0], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
				CALLBACK_VECTOR(0xf3), true),
		 0);
	CHECK(g.shinfo_compat);
	/* A failed set latches nothing. */
	CHECK_EQ(set_param_mode(&g_v[0], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, 5,
				false),
		 -EINVAL);
	CHECK(g.shinfo_compat);
	/* Nor does another parameter. */
	CHECK_EQ(set_param_mode(&g_v[0], DOMID_SELF, HVM_PARAM_STORE_EVTCHN, 3,
				false),
		 0);
	CHECK(g.shinfo_compat);
	CHECK_EQ(set_param_mode(&g_v[0], g.domain_id, HVM_PARAM_CALLBACK_IRQ,
				CALLBACK_VECTOR(0xf3), false),
		 0);
	CHECK(!g.shinfo_compat);
	/* The control domain naming itself latches its own. */
	CHECK_EQ(set_param_mode(&ctl_v[0], DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
				CALLBACK_VECTOR(0x20), true),
		 0);
	CHECK(ctl.shinfo_compat);
	CHECK(!h.shinfo_compat);
}
