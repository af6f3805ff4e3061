/*
 * xen/common/console_io.c, console_io: write prints count bytes as the
 * domain's console (any domain), count 0 prints nothing and reads
 * nothing, an unreadable buffer is -EFAULT after what came before it was
 * printed, and a long write is continued every CONSOLE_ROUND (4096) bytes,
 * or after each chunk while the scheduler wants the CPU, with count
 * reduced and buffer advanced (docs/hypercalls.md, Continuations); read is
 * the control domain's: the waiting input up to count bytes, consumed only
 * once copied, and none while another domain has the input focus; unknown
 * sub-ops are -ENOSYS.
 * do_console_io is renamed (test_hypercall.c stands in for it).
 *
 * Guest-virtual addresses are offsets into guest_mem[] (fake_guest.h: the
 * rest is unreadable, and only [WRITABLE_START, sizeof) may be written);
 * domain_console_write() is faked to collect what is printed,
 * need_resched() to say whether the scheduler wants the CPU, the console
 * input ring to hold input[], the focus to be `focus`.
 */
#define do_console_io console_io_under_test
#define domain_console_write ci_console_write
#define need_resched ci_need_resched
#define console_input_peek ci_input_peek
#define console_input_consume ci_input_consume
#define console_input_focused ci_input_focused
#include "../../xen/common/console_io.c"
#undef do_console_io

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

static struct domain dom = { .domain_id = 1 };
static struct domain ctl = { .domain_id = 0, .is_privileged = true };
static struct vcpu vcpu = { .domain = &dom }, ctl_vcpu = { .domain = &ctl };
static u8 guest_mem[0x3000];
#define WRITABLE_START 0x1000
static char input[600];
static size_t input_len, input_cons;
static char printed[0x4000];
static size_t nr_printed;
static bool resched;
static struct domain *focus = &ctl;

bool ci_input_focused(const struct domain *d)
{
	return d == focus;
}

size_t ci_input_peek(char *buf, size_t len, unsigned long *cookie)
{
	size_t n = len < input_len - input_cons ? len : input_len - input_cons;

	memcpy(buf, input + input_cons, n);
	*cookie = input_cons;
	return n;
}

void ci_input_consume(size_t n, unsigned long cookie)
{
	CHECK_EQ(cookie, input_cons);
	CHECK(n <= input_len - input_cons);
	input_cons += n;
}

static void set_input(size_t len)
{
	for (size_t i = 0; i < len; i++)
		input[i] = 'A' + i % 26;
	input_len = len;
	input_cons = 0;
}

void ci_console_write(struct domain *d, const char *buf, size_t len)
{
	CHECK(d == &dom || d == &ctl);
	CHECK(len <= sizeof(printed) - nr_printed);
	memcpy(printed + nr_printed, buf, len);
	nr_printed += len;
}

bool ci_need_resched(void)
{
	return resched;
}

static void reset(void)
{
	nr_printed = 0;
	fake_guest_copies = 0;
	fake_guest_mem(guest_mem, sizeof(guest_mem), 0, WRITABLE_START);
	for (size_t i = 0; i < sizeof(guest_mem); i++)
		guest_mem[i] = 'a' + i % 23;
}

/* One call: CONSOLEIO_write of count bytes at buf; *a has the arguments. */
static long write_once(struct vcpu *v, struct hypercall_args *a)
{
	long rc = console_io_under_test(v, a);

	CHECK_EQ(a->a[0], CONSOLEIO_write);
	return rc;
}

/*
 * Write until the handler stops asking to be continued; the continuation
 * is checked against what was printed in the round (count reduced, buffer
 * advanced by as much).
 */
static long write_all(struct vcpu *v, unsigned long count, unsigned long buf,
		      bool compat, unsigned int *rounds)
{
	struct hypercall_args a = { .a = { CONSOLEIO_write, count, buf },
				    .compat = compat };
	long rc;

	*rounds = 0;
	for (;;) {
		size_t before = nr_printed;
		unsigned long count_before = a.a[1], buf_before = a.a[2];

		rc = write_once(v, &a);
		++*rounds;
		if (rc != -ERESTART)
			break;
		CHECK(nr_printed > before);
		CHECK_EQ(a.a[1], count_before - (nr_printed - before));
		CHECK_EQ(a.a[2], buf_before + (nr_printed - before));
		CHECK(*rounds < 1000);
	}
	return rc;
}

TEST(console_write_count_bytes)
{
	static const char text[] = "hello\nworld\0and more";
	unsigned int rounds;

	CHECK_EQ(CONSOLE_ROUND, 4096);
	reset();
	memcpy(guest_mem + 0x100, text, sizeof(text));
	CHECK_EQ(write_all(&vcpu, 11, 0x100, false, &rounds), 0);
	CHECK_EQ(rounds, 1);
	CHECK_EQ(nr_printed, 11);
	CHECK(!memcmp(printed, "hello\nworld", 11));
	/* Bytes, not a string: the NUL and what follows. */
	reset();
	memcpy(guest_mem + 0x100, text, sizeof(text));
	CHECK_EQ(write_all(&vcpu, sizeof(text), 0x100, true, &rounds), 0);
	CHECK_EQ(nr_printed, sizeof(text));
	CHECK(!memcmp(printed, text, sizeof(text)));
	/* Up to the last byte of guest memory; the control domain too. */
	reset();
	CHECK_EQ(write_all(&ctl_vcpu, 300, sizeof(guest_mem) - 300, false,
			   &rounds),
		 0);
	CHECK_EQ(nr_printed, 300);
	CHECK(!memcmp(printed, guest_mem + sizeof(guest_mem) - 300, 300));
}

TEST(console_write_count_zero)
{
	static const unsigned long bufs[] = { 0x100, sizeof(guest_mem), ~0UL };
	unsigned int rounds;

	for (unsigned int i = 0; i < ARRAY_SIZE(bufs); i++) {
		reset();
		resched = i & 1;
		CHECK_EQ(write_all(&vcpu, 0, bufs[i], false, &rounds), 0);
		CHECK_EQ(rounds, 1);
		CHECK_EQ(nr_printed, 0);
		CHECK_EQ(fake_guest_copies, 0);
	}
}

TEST(console_write_bad_buffer)
{
	unsigned int rounds;

	/* Wholly unreadable: nothing printed. */
	reset();
	CHECK_EQ(write_all(&vcpu, 10, sizeof(guest_mem), false, &rounds),
		 -EFAULT);
	CHECK_EQ(nr_printed, 0);
	CHECK_EQ(write_all(&vcpu, 10, ~0UL - 4, true, &rounds), -EFAULT);
	CHECK_EQ(write_all(&vcpu, 1, ~0UL, false, &rounds), -EFAULT);
	CHECK_EQ(nr_printed, 0);
	/* The readable part first: 256 bytes, then -EFAULT. */
	reset();
	CHECK_EQ(write_all(&vcpu, 300, sizeof(guest_mem) - 256, false, &rounds),
		 -EFAULT);
	CHECK_EQ(rounds, 1);
	CHECK_EQ(nr_printed, 256);
	CHECK(!memcmp(printed, guest_mem + sizeof(guest_mem) - 256, 256));
	/* Not on a chunk boundary: all 200 readable bytes, then -EFAULT. */
	reset();
	CHECK_EQ(write_all(&vcpu, 300, sizeof(guest_mem) - 200, false, &rounds),
		 -EFAULT);
	CHECK_EQ(nr_printed, 200);
	CHECK(!memcmp(printed, guest_mem + sizeof(guest_mem) - 200, 200));
	/* Across a continuation: 4096 + 512 printed, then -EFAULT. */
	reset();
	CHECK_EQ(write_all(&vcpu, 8192, sizeof(guest_mem) - 4608, false,
			   &rounds),
		 -EFAULT);
	CHECK_EQ(rounds, 2);
	CHECK_EQ(nr_printed, 4608);
	CHECK(!memcmp(printed, guest_mem + sizeof(guest_mem) - 4608, 4608));
	/* A count that runs past memory: what is there, then -EFAULT. */
	reset();
	CHECK_EQ(write_all(&vcpu, ~0UL, 0, false, &rounds), -EFAULT);
	CHECK_EQ(rounds, 4);
	CHECK_EQ(nr_printed, sizeof(guest_mem));
	CHECK(!memcmp(printed, guest_mem, sizeof(guest_mem)));
}

TEST(console_write_continued_every_round)
{
	struct hypercall_args a = { .a = { CONSOLEIO_write, 10000, 0x123 } };
	unsigned int rounds;

	reset();
	CHECK_EQ(write_once(&vcpu, &a), -ERESTART);
	CHECK_EQ(nr_printed, 4096);
	CHECK_EQ(a.a[1], 10000 - 4096);
	CHECK_EQ(a.a[2], 0x123 + 4096);
	CHECK_EQ(write_once(&vcpu, &a), -ERESTART);
	CHECK_EQ(nr_printed, 8192);
	CHECK_EQ(a.a[1], 10000 - 8192);
	CHECK_EQ(a.a[2], 0x123 + 8192);
	CHECK_EQ(write_once(&vcpu, &a), 0);
	CHECK_EQ(nr_printed, 10000);
	CHECK(!memcmp(printed, guest_mem + 0x123, 10000));
	/* Exactly one round's worth: no continuation. */
	for (int compat = 0; compat < 2; compat++) {
		reset();
		CHECK_EQ(write_all(&vcpu, 4096, 7, compat, &rounds), 0);
		CHECK_EQ(rounds, 1);
		CHECK_EQ(nr_printed, 4096);
		reset();
		CHECK_EQ(write_all(&ctl_vcpu, 4097, 7, compat, &rounds), 0);
		CHECK_EQ(rounds, 2);
		CHECK_EQ(nr_printed, 4097);
		CHECK(!memcmp(printed, guest_mem + 7, 4097));
		reset();
		CHECK_EQ(write_all(&vcpu, sizeof(guest_mem), 0, compat,
				   &rounds),
			 0);
		CHECK_EQ(rounds, 3);
		CHECK(!memcmp(printed, guest_mem, sizeof(guest_mem)));
	}
}

TEST(console_write_preempted)
{
	struct hypercall_args a = { .a = { CONSOLEIO_write, 1000, 0x10 } };
	unsigned int rounds;

	/* The scheduler wants the CPU: one chunk (128 bytes) a round. */
	reset();
	resched = true;
	CHECK_EQ(write_once(&vcpu, &a), -ERESTART);
	CHECK_EQ(nr_printed, 128);
	CHECK_EQ(a.a[1], 1000 - 128);
	CHECK_EQ(a.a[2], 0x10 + 128);
	reset();
	CHECK_EQ(write_all(&vcpu, 1000, 0x10, false, &rounds), 0);
	CHECK_EQ(rounds, 8);
	CHECK_EQ(nr_printed, 1000);
	CHECK(!memcmp(printed, guest_mem + 0x10, 1000));
	/* What fits in one chunk never continues. */
	reset();
	CHECK_EQ(write_all(&vcpu, 128, 0x10, false, &rounds), 0);
	CHECK_EQ(rounds, 1);
	CHECK_EQ(nr_printed, 128);
}

static long read_input(struct vcpu *v, unsigned long count, unsigned long buf)
{
	struct hypercall_args a = { .a = { CONSOLEIO_read, count, buf } };
	long rc = console_io_under_test(v, &a);

	/* Never continued: the arguments stay as they were. */
	CHECK_EQ(a.a[1], count);
	CHECK_EQ(a.a[2], buf);
	return rc;
}

TEST(console_read_control_only)
{
	reset();
	set_input(10);
	CHECK_EQ(read_input(&vcpu, 64, 0x2000), -EPERM);
	CHECK_EQ(fake_guest_copies, 0);
	CHECK_EQ(input_cons, 0);
	/* Nothing waiting: 0 bytes, nothing copied. */
	set_input(0);
	CHECK_EQ(read_input(&ctl_vcpu, 64, 0x2000), 0);
	CHECK_EQ(fake_guest_copies, 0);
	CHECK_EQ(nr_printed, 0);
}

TEST(console_read_input)
{
	reset();
	set_input(sizeof(input));
	/* count bytes at most, in order, across chunks; then the rest. */
	CHECK_EQ(read_input(&ctl_vcpu, 300, 0x2000), 300);
	CHECK(!memcmp(guest_mem + 0x2000, input, 300));
	CHECK_EQ(guest_mem[0x2000 + 300], 'a' + (0x2000 + 300) % 23);
	CHECK_EQ(read_input(&ctl_vcpu, 0x1000, 0x2000), sizeof(input) - 300);
	CHECK(!memcmp(guest_mem + 0x2000, input + 300, sizeof(input) - 300));
	CHECK_EQ(read_input(&ctl_vcpu, 0x1000, 0x2000), 0);
	/* count 0 reads nothing. */
	set_input(5);
	CHECK_EQ(read_input(&ctl_vcpu, 0, 0x2000), 0);
	CHECK_EQ(input_cons, 0);
	/* Typed for another domain: none read, none consumed. */
	focus = &dom;
	fake_guest_copies = 0;
	CHECK_EQ(read_input(&ctl_vcpu, 64, 0x2000), 0);
	CHECK_EQ(input_cons, 0);
	CHECK_EQ(fake_guest_copies, 0);
	focus = &ctl;
	CHECK_EQ(read_input(&ctl_vcpu, 64, 0x2000), 5);
}

TEST(console_read_bad_buffer_loses_nothing)
{
	reset();
	set_input(200);
	/* Read-only or missing: -EFAULT, the input still waiting. */
	CHECK_EQ(read_input(&ctl_vcpu, 100, 0x100), -EFAULT);
	CHECK_EQ(read_input(&ctl_vcpu, 100, ~0UL - 10), -EFAULT);
	CHECK_EQ(input_cons, 0);
	/* Room for 150 bytes: those are read, the rest stays. */
	CHECK_EQ(read_input(&ctl_vcpu, 200, sizeof(guest_mem) - 150), 150);
	CHECK(!memcmp(guest_mem + sizeof(guest_mem) - 150, input, 150));
	CHECK_EQ(input_cons, 150);
	CHECK_EQ(read_input(&ctl_vcpu, 200, 0x2000), 50);
	CHECK(!memcmp(guest_mem + 0x2000, input + 150, 50));
}

TEST(console_io_unknown_sub_ops)
{
	static const unsigned long unknown[] = { 2, 3, 0x100, 1UL << 32, ~0UL };

	for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++) {
		struct hypercall_args a = { .a = { unknown[i], 16, 0x100 } };

		reset();
		CHECK_EQ(console_io_under_test(&vcpu, &a), -ENOSYS);
		CHECK_EQ(console_io_under_test(&ctl_vcpu, &a), -ENOSYS);
		CHECK_EQ(nr_printed, 0);
		CHECK_EQ(fake_guest_copies, 0);
	}
}
