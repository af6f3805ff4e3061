/*
 * xen/common/pv_console.c: the PV console ring's back end against a
 * hostile guest. The output ring is drained in order across the 32-bit
 * index wrap, at most one ring per kick; indexes that claim more than a
 * ring (ahead or behind) are reported once and reset, never followed out
 * of the ring, and the console works again afterwards; the guest's copy
 * of out_cons is not trusted. Input goes in only once the guest has used
 * the ring, never more than the room in_cons leaves, and is consumed
 * from the console input only as far as it was copied. Attaching a ring
 * that is not the domain's RAM fails and changes nothing; attaching a
 * second ring is -EBUSY.
 *
 * The console, the port notification and console input are faked here
 * under names of this file's own (the real ones are in the runner too).
 */
#define domain_console_write pc_console_write
#define notify_via_xen_evtchn_local pc_notify
#define console_input_peek pc_input_peek
#define console_input_consume pc_input_consume
#define alloc_xen_evtchn_for_guest pc_alloc_evtchn
#define guest_frame_get pc_frame_get
#include "../../xen/common/pv_console.c"

#include "harness.h"
#include "shim.h"

static struct domain dom = { .domain_id = 7, .name = "cons" };
static struct xencons_interface ring;
static char out[8192];
static size_t out_len;
static unsigned int notified;
static char in_src[4096];
static size_t in_len, in_taken;

void pc_console_write(struct domain *d, const char *buf, size_t len)
{
	CHECK(d == &dom);
	CHECK(out_len + len <= sizeof(out));
	memcpy(out + out_len, buf, len);
	out_len += len;
}

void pc_notify(struct domain *d, evtchn_port_t port)
{
	CHECK(d == &dom);
	CHECK_EQ(port, 3);
	notified++;
}

size_t pc_input_peek(char *buf, size_t len, unsigned long *cookie)
{
	size_t n = min(len, in_len - in_taken);

	memcpy(buf, in_src + in_taken, n);
	*cookie = in_taken;
	return n;
}

void pc_input_consume(size_t n, unsigned long cookie)
{
	CHECK_EQ(cookie, in_taken);
	in_taken += n;
}

int pc_alloc_evtchn(struct domain *ld, xen_evtchn_notify_t notify, void *data,
		    evtchn_port_t *guest_port)
{
	FAIL("not reached");
}

/* No gfn is the domain's RAM here. */
struct page_info *pc_frame_get(struct domain *d, unsigned long gfn)
{
	return NULL;
}

static void setup(u32 start)
{
	memset(&ring, 0, sizeof(ring));
	memset(&dom.pv_console, 0, sizeof(dom.pv_console));
	spin_lock_init(&dom.pv_console.out_lock, "pv_console", LR_PV_CONSOLE);
	dom.pv_console.ring = &ring;
	dom.pv_console.xen_port = 3;
	dom.pv_console.out_cons = dom.pv_console.in_prod = start;
	ring.out_cons = ring.out_prod = ring.in_cons = ring.in_prod = start;
	out_len = in_len = in_taken = 0;
	notified = 0;
}

/* The guest writes len bytes of c.. to the output ring, as hvc_xen does. */
static void guest_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		ring.out[MASK_XENCONS_IDX(ring.out_prod++, ring.out)] = s[i];
}

static void kick(void)
{
	kicked(NULL, 3, &dom);
}

TEST(pv_console_drains_in_order)
{
	setup(0);
	guest_write("hello\n", 6);
	kick();
	CHECK_EQ(out_len, 6);
	CHECK(!memcmp(out, "hello\n", 6));
	CHECK_EQ(ring.out_cons, 6);
	CHECK_EQ(notified, 1);
	CHECK(dom.pv_console.active);
	/* Nothing new: nothing printed, the guest told again. */
	kick();
	CHECK_EQ(out_len, 6);
}

TEST(pv_console_drains_across_the_index_wrap)
{
	char want[100];

	setup(0xffffffc0u);
	for (unsigned int i = 0; i < sizeof(want); i++)
		want[i] = (char)('a' + i % 26);
	guest_write(want, sizeof(want));
	kick();
	CHECK_EQ(out_len, sizeof(want));
	CHECK(!memcmp(out, want, sizeof(want)));
	CHECK_EQ(ring.out_cons, (u32)(0xffffffc0u + sizeof(want)));
}

TEST(pv_console_drains_one_full_ring)
{
	setup(5);
	memset(ring.out, 'x', sizeof(ring.out));
	ring.out_prod = 5 + sizeof(ring.out);
	kick();
	CHECK_EQ(out_len, sizeof(ring.out));
	CHECK(!dom.pv_console.reported);
}

TEST(pv_console_corrupt_output_indexes)
{
	u32 bad[] = { 100 + sizeof(ring.out) + 1, 99, 0x80000000u, ~0u };

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		setup(100);
		ring.out_prod = bad[i];
		kick();
		CHECK_EQ(out_len, 0);
		CHECK(dom.pv_console.reported);
		CHECK_EQ(dom.pv_console.out_cons, bad[i]);
		CHECK_EQ(ring.out_cons, bad[i]);
		/* It goes on from there; a second corruption says nothing. */
		guest_write("ok", 2);
		kick();
		CHECK_EQ(out_len, 2);
		CHECK(!memcmp(out, "ok", 2));
	}
}

TEST(pv_console_ignores_the_guests_out_cons)
{
	setup(0);
	guest_write("abc", 3);
	ring.out_cons = 1000;
	kick();
	CHECK_EQ(out_len, 3);
	CHECK_EQ(ring.out_cons, 3);
}

TEST(pv_console_input_waits_for_the_guest)
{
	setup(0);
	memcpy(in_src, "ls\n", 3);
	in_len = 3;
	CHECK(!pv_console_input(&dom));
	CHECK_EQ(in_taken, 0);
	kick(); /* the guest uses the ring */
	notified = 0;
	CHECK(pv_console_input(&dom));
	CHECK_EQ(in_taken, 3);
	CHECK_EQ(ring.in_prod, 3);
	CHECK(!memcmp(ring.in, "ls\n", 3));
	CHECK_EQ(notified, 1);
	/* Nothing more: no notification. */
	CHECK(pv_console_input(&dom));
	CHECK_EQ(notified, 1);
}

TEST(pv_console_input_fills_only_the_room)
{
	setup(0xfffffe00u);
	dom.pv_console.active = true;
	memset(in_src, 'k', sizeof(in_src));
	in_len = sizeof(in_src);
	CHECK(pv_console_input(&dom));
	CHECK_EQ(in_taken, sizeof(ring.in));
	CHECK_EQ(ring.in_prod, (u32)(0xfffffe00u + sizeof(ring.in)));
	/* Full: nothing taken until the guest consumes. */
	CHECK(pv_console_input(&dom));
	CHECK_EQ(in_taken, sizeof(ring.in));
	ring.in_cons += 10;
	CHECK(pv_console_input(&dom));
	CHECK_EQ(in_taken, sizeof(ring.in) + 10);
	CHECK(!dom.pv_console.reported);
}

TEST(pv_console_corrupt_input_indexes)
{
	setup(50);
	dom.pv_console.active = true;
	memcpy(in_src, "hi", 2);
	in_len = 2;
	ring.in_cons = 51; /* ahead of what was produced */
	ring.in_prod = 7777; /* the guest's copy is never read */
	CHECK(pv_console_input(&dom));
	CHECK(dom.pv_console.reported);
	CHECK_EQ(ring.in_prod, 53);
	CHECK(!memcmp(&ring.in[51], "hi", 2));
}

TEST(pv_console_attach_errors)
{
	memset(&dom.pv_console, 0, sizeof(dom.pv_console));
	memset(dom.hvm_params, 0, sizeof(dom.hvm_params));
	spin_lock_init(&dom.event_lock, "event_lock", LR_EVENT);
	CHECK_EQ(pv_console_attach(&dom, 0x1234), -EINVAL);
	CHECK(!dom.pv_console.attached);
	CHECK(!dom.pv_console.ring);
	CHECK_EQ(dom.hvm_params[HVM_PARAM_CONSOLE_PFN], 0);
	CHECK_EQ(dom.hvm_params[HVM_PARAM_CONSOLE_EVTCHN], 0);
	dom.pv_console.attached = true;
	CHECK_EQ(pv_console_attach(&dom, 0x1234), -EBUSY);
	CHECK_EQ(dom.hvm_params[HVM_PARAM_CONSOLE_PFN], 0);
}
