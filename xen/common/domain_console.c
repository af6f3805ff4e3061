/*
 * Guests' console output: bytes collected per domain and printed a line at
 * a time, "(dN) line". XTF verdict lines ("Test result: ...") are noted
 * for the autoexit summary. Unprintable bytes are shown as '?'.
 */
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/sched.h>

#define VERDICT "Test result: "

static void flush_line(struct domain *d)
{
	const char *result = d->conbuf + strlen(VERDICT);

	d->conbuf[d->conlen] = '\0';
	if (!strncmp(d->conbuf, VERDICT, strlen(VERDICT))) {
		d->printed_verdict = true;
		d->printed_success = !strcmp(result, "SUCCESS");
		d->printed_failure |= !strncmp(result, "FAILURE", 7) ||
				      !strncmp(result, "ERROR", 5);
	}
	console_guest_line(d->domain_id, d->conbuf);
	d->conlen = 0;
}

void domain_console_write(struct domain *d, const char *buf, size_t len)
{
	unsigned long flags;

	spin_lock_irqsave(&d->console_lock, flags);
	for (; len; len--, buf++) {
		char c = *buf;

		if (c == '\n') {
			flush_line(d);
			continue;
		}
		if (c == '\r')
			continue;
		if (c < ' ' || c > '~')
			c = '?';
		d->conbuf[d->conlen++] = c;
		if (d->conlen == sizeof(d->conbuf) - 1)
			flush_line(d);
	}
	spin_unlock_irqrestore(&d->console_lock, flags);
}
