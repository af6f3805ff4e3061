/*
 * console_io (hypercall 18): (cmd, count, buffer).
 *
 * CONSOLEIO_write prints count bytes at buffer on the guest's console
 * line. A long buffer is written in rounds of at most CONSOLE_ROUND
 * bytes, and a round also ends early when the scheduler wants the CPU;
 * the hypercall is then continued with buffer advanced and count reduced
 * by what was written, so the guest sees one hypercall that returns 0 (or
 * -EFAULT at the first unreadable byte, after printing what came before).
 *
 * CONSOLEIO_read is the control domain's (-EPERM for others): up to count
 * bytes of console input (console_input.c) to buffer; it returns how many,
 * 0 if none is waiting, without blocking. Bytes are consumed only once
 * they were copied, so a bad buffer (-EFAULT) loses none.
 */
#include <xen/console.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <public/xen.h>

#define CONSOLE_CHUNK 128 /* copied at a time, on the stack */
#define CONSOLE_ROUND 4096 /* written at most before a continuation */

/*
 * The next chunk at addr: never across a page, so a copy that fails fails
 * at its first byte, and everything before it was done.
 */
static size_t chunk_len(unsigned long left, unsigned long addr)
{
	return min(min(left, (unsigned long)CONSOLE_CHUNK),
		   PAGE_SIZE - (addr & ~PAGE_MASK));
}

static long console_write(struct vcpu *v, struct hypercall_args *args)
{
	XEN_GUEST_HANDLE(char) buf = guest_handle_from_param(args->a[2], char);
	unsigned long count = args->a[1], done = 0;
	char chunk[CONSOLE_CHUNK];

	while (done < count) {
		size_t n = min(chunk_len(count - done,
					 guest_handle_addr(buf) + done),
			       (size_t)(CONSOLE_ROUND - done % CONSOLE_ROUND));

		/* Each round writes something, so the guest makes progress. */
		if (done &&
		    (done >= CONSOLE_ROUND || hypercall_preempt_check())) {
			guest_handle_add_offset(buf, done);
			args->a[1] = count - done;
			args->a[2] = guest_handle_addr(buf);
			return -ERESTART;
		}
		if (copy_from_guest_offset(chunk, buf, done, n))
			return -EFAULT;
		domain_console_write(v->domain, chunk, n);
		done += n;
	}
	return 0;
}

static long console_read(struct vcpu *v, struct hypercall_args *args)
{
	XEN_GUEST_HANDLE(char) buf = guest_handle_from_param(args->a[2], char);
	unsigned long count = args->a[1], done = 0;
	char chunk[CONSOLE_CHUNK];

	if (!is_control_domain(v->domain))
		return -EPERM;
	/* Input typed for another domain (Ctrl-A moved the focus): none. */
	if (!console_input_focused(v->domain))
		return 0;
	/* The result is an int in Xen's ABI: at most INT_MAX bytes. */
	count = min(count, 0x7fffffffUL);
	while (done < count) {
		unsigned long cookie;
		size_t n = console_input_peek(
			chunk,
			chunk_len(count - done, guest_handle_addr(buf) + done),
			&cookie);

		if (!n)
			break;
		if (copy_to_guest_offset(buf, done, chunk, n))
			return done ? (long)done : -EFAULT;
		console_input_consume(n, cookie);
		done += n;
	}
	return done;
}

long do_console_io(struct vcpu *v, struct hypercall_args *args)
{
	switch (args->a[0]) {
	case CONSOLEIO_write:
		return console_write(v, args);
	case CONSOLEIO_read:
		return console_read(v, args);
	}
	return -ENOSYS;
}
