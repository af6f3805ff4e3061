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
 * CONSOLEIO_read is the control domain's (-EPERM for others). There is no
 * console input yet, so it reads 0 bytes.
 */
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <public/xen.h>

#define CONSOLE_CHUNK 128 /* copied at a time, on the stack */
#define CONSOLE_ROUND 4096 /* written at most before a continuation */

static long console_write(struct vcpu *v, struct hypercall_args *args)
{
	unsigned long count = args->a[1], buf = args->a[2], done = 0;
	char chunk[CONSOLE_CHUNK];

	while (done < count) {
		/*
		 * Never across a page: a copy that fails then fails for its
		 * first byte, and everything before it has been printed.
		 */
		size_t n = min(min(count - done, (unsigned long)sizeof(chunk)),
			       PAGE_SIZE - ((buf + done) & ~PAGE_MASK));

		n = min(n, (size_t)(CONSOLE_ROUND - done % CONSOLE_ROUND));

		/* Each round writes something, so the guest makes progress. */
		if (done &&
		    (done >= CONSOLE_ROUND || hypercall_preempt_check())) {
			args->a[1] = count - done;
			args->a[2] = buf + done;
			return -ERESTART;
		}
		if (hvm_copy_from_guest_virt(v, chunk, buf + done, n))
			return -EFAULT;
		domain_console_write(v->domain, chunk, n);
		done += n;
	}
	return 0;
}

long do_console_io(struct vcpu *v, struct hypercall_args *args)
{
	switch (args->a[0]) {
	case CONSOLEIO_write:
		return console_write(v, args);
	case CONSOLEIO_read:
		return is_control_domain(v->domain) ? 0 : -EPERM;
	}
	return -ENOSYS;
}
