/*
 * The console ring: the last CONRING_SIZE bytes the console printed,
 * `(XEN) ` and `(dN) ` lines alike, for XEN_SYSCTL_readconsole (`xl
 * dmesg`, `xl console-log`). Bytes are numbered from the first ever
 * written (32 bits, wrapping): the ring holds [start, prod), where start
 * moves on as old bytes are overwritten and to prod when it is cleared.
 */
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/spinlock.h>

#define CONRING_SIZE (64u * 1024)

static char ring[CONRING_SIZE];
static u32 prod, start;
/* Taken under the console lock by writers (their printk). */
static DEFINE_SPINLOCK(conring_lock, LR_CONSOLE_RING);

void console_ring_write(const char *s, size_t len)
{
	unsigned long flags;

	spin_lock_irqsave(&conring_lock, flags);
	for (; len; len--)
		ring[prod++ % CONRING_SIZE] = *s++;
	if (prod - start > CONRING_SIZE)
		start = prod - CONRING_SIZE;
	spin_unlock_irqrestore(&conring_lock, flags);
}

u32 console_ring_newest(size_t n)
{
	unsigned long flags;
	u32 idx;

	spin_lock_irqsave(&conring_lock, flags);
	idx = prod - (u32)min(n, (size_t)(prod - start));
	spin_unlock_irqrestore(&conring_lock, flags);
	return idx;
}

size_t console_ring_read(u32 *idx, char *buf, size_t len)
{
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&conring_lock, flags);
	/* Overwritten or cleared (or ahead of the ring): from the oldest. */
	if (prod - *idx > prod - start)
		*idx = start;
	while (n < len && *idx != prod)
		buf[n++] = ring[(*idx)++ % CONRING_SIZE];
	spin_unlock_irqrestore(&conring_lock, flags);
	return n;
}

void console_ring_clear(void)
{
	unsigned long flags;

	spin_lock_irqsave(&conring_lock, flags);
	start = prod;
	spin_unlock_irqrestore(&conring_lock, flags);
}

void console_ring_force_unlock(void)
{
	spin_lock_init(&conring_lock, "conring_lock", LR_CONSOLE_RING);
}
