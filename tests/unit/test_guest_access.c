/*
 * xen/include/xen/guest_access.h: typed guest handles over the shim's
 * guest memory (fake_guest.h). Offsets and counts are in elements of the
 * handle's type, field copies touch only the field's bytes, a 32-bit
 * caller's handle widens to the same address, and a range that does not
 * fit in an address is -EFAULT with nothing copied (a wrapped one must
 * not reach memory at its low end).
 */
#include <string.h>

#include <xen/guest_access.h>
#include <public/hvm_op.h>
#include <public/memory.h>
#include <public/sched.h>

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define FILL 0xa5
#define BASE 0x100UL

static u8 guest_mem[0x400];

static void fill(void)
{
	memset(guest_mem, FILL, sizeof(guest_mem));
	fake_guest_mem(guest_mem, sizeof(guest_mem), 0, 0);
}

/* Every byte of guest memory is FILL but [at, at + len). */
static bool fill_except(unsigned long at, size_t len)
{
	for (size_t i = 0; i < sizeof(guest_mem); i++)
		if ((i < at || i >= at + len) && guest_mem[i] != FILL)
			return false;
	return true;
}

TEST(guest_handle_offsets_count_elements)
{
	XEN_GUEST_HANDLE(uint64_t) h = guest_handle_from_param(BASE, uint64_t);
	u64 in[2] = { 0x1122334455667788UL, 0x99aabbccddeeff00UL }, out[2];

	fill();
	CHECK_EQ(copy_to_guest_offset(h, 3, in, 2), 0);
	CHECK(!memcmp(guest_mem + BASE + 3 * 8, in, sizeof(in)));
	CHECK(fill_except(BASE + 3 * 8, sizeof(in)));
	CHECK_EQ(copy_from_guest_offset(out, h, 3, 2), 0);
	CHECK(!memcmp(out, in, sizeof(in)));
	guest_handle_add_offset(h, 4);
	CHECK_EQ(guest_handle_addr(h), BASE + 4 * 8);
	CHECK_EQ(copy_from_guest(out, h, 1), 0);
	CHECK_EQ(out[0], in[1]);
}

TEST(guest_handle_struct_elements_and_fields)
{
	XEN_GUEST_HANDLE(xen_hvm_param_t) h =
		guest_handle_from_param(BASE, xen_hvm_param_t);
	struct xen_hvm_param p = { .domid = 7, .index = 9, .value = 0x1234 };
	struct xen_hvm_param q;

	fill();
	CHECK_EQ(copy_to_guest_offset(h, 1, &p, 1), 0);
	CHECK(fill_except(BASE + sizeof(p), sizeof(p)));
	/* One field, at its offset, and nothing beside it. */
	fill();
	CHECK_EQ(copy_field_to_guest(h, &p, index), 0);
	CHECK(!memcmp(guest_mem + BASE + 4, &p.index, 4));
	CHECK(fill_except(BASE + 4, 4));
	memset(&q, 0, sizeof(q));
	CHECK_EQ(copy_field_from_guest(&q, h, index), 0);
	CHECK_EQ(q.index, 9);
	CHECK_EQ(q.domid, 0);
	CHECK_EQ(q.value, 0);
}

TEST(guest_handle_compat_widens)
{
	struct compat_sched_poll c = { .nr_ports = 2 };
	XEN_GUEST_HANDLE(evtchn_port_t) h;
	evtchn_port_t ports[2] = { 5, 6 }, out[2];

	fill();
	set_compat_handle(c.ports, BASE + 8);
	h = guest_handle_from_compat(c.ports, evtchn_port_t);
	CHECK_EQ(guest_handle_addr(h), BASE + 8);
	CHECK(!guest_handle_is_null(h));
	CHECK(guest_handle_is_null(guest_handle_from_param(0, char)));
	memcpy(guest_mem + BASE + 8, ports, sizeof(ports));
	CHECK_EQ(copy_from_guest(out, h, c.nr_ports), 0);
	CHECK(!memcmp(out, ports, sizeof(ports)));
}

TEST(guest_handle_ranges_that_do_not_fit_fault)
{
	XEN_GUEST_HANDLE(uint64_t) h = guest_handle_from_param(BASE, uint64_t);
	/* 8 bytes below the top: one element past it wraps to 0. */
	XEN_GUEST_HANDLE(uint64_t) top =
		guest_handle_from_param(-8UL, uint64_t);
	u64 v = 0x42;

	fill();
	fake_guest_copies = 0;
	CHECK_EQ(copy_to_guest_offset(h, ~0UL / 4, &v, 1), -EFAULT);
	CHECK_EQ(copy_to_guest_offset(h, 0, &v, ~0UL / 4), -EFAULT);
	CHECK_EQ(copy_to_guest_offset(top, 1, &v, 1), -EFAULT);
	CHECK_EQ(copy_from_guest_offset(&v, top, 1, 1), -EFAULT);
	/* Refused before the arch was asked: address 0 was never read. */
	CHECK_EQ(fake_guest_copies, 0);
	CHECK(fill_except(0, 0));
	CHECK_EQ(v, 0x42);
}
