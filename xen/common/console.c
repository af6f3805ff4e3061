/*
 * printk: every line goes out prefixed "(XEN) " to the selected devices,
 * filtered by log level (loglvl=err|warning|info|debug|all, default info),
 * and into the console ring (console_ring.c), as guests' lines do.
 */
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/spinlock.h>

#define MAX_DEVICES 4

static const struct console_device *devices[MAX_DEVICES] = {
	&serial_com1,
	&debugcon_e9,
};
static unsigned int nr_devices = 2;

static unsigned int log_level = LOGLVL_INFO;

/* Recursive: an exception on a CPU that is printing can still print. */
static DEFINE_SPINLOCK(console_lock, LR_CONSOLE);
static bool at_line_start = true;

/*
 * console=NAME[,NAME...] or none. Nothing changes unless the whole list is
 * good; an empty list means the default devices (known[]), with a warning.
 */
static int parse_console(const char *s)
{
	static const struct console_device *const known[] = {
		&serial_com1,
		&debugcon_e9,
	};
	const struct console_device *chosen[MAX_DEVICES];
	unsigned int i, n = 0;
	bool empty;

	BUILD_BUG_ON(ARRAY_SIZE(known) > MAX_DEVICES);
	if (!s)
		return -EINVAL;
	empty = !*s;
	if (empty)
		for (; n < ARRAY_SIZE(known); n++)
			chosen[n] = known[n];
	while (*s) {
		size_t len = 0;

		while (s[len] && s[len] != ',')
			len++;
		if (len == 4 && !strncmp(s, "none", 4)) {
			n = 0;
		} else {
			for (i = 0; i < ARRAY_SIZE(known); i++)
				if (strlen(known[i]->name) == len &&
				    !strncmp(s, known[i]->name, len))
					break;
			if (i == ARRAY_SIZE(known) || n == MAX_DEVICES)
				return -EINVAL;
			chosen[n++] = known[i];
		}
		s += len;
		if (*s == ',')
			s++;
	}
	for (i = 0; i < n; i++)
		devices[i] = chosen[i];
	nr_devices = n;
	if (empty)
		printk(XENLOG_WARNING "console= is empty: using the default "
				      "console (com1,e9)\n");
	return 0;
}
custom_param("console", parse_console);

int console_getc(void)
{
	unsigned int i;

	for (i = 0; i < nr_devices; i++) {
		int c = devices[i]->getc ? devices[i]->getc() : -1;

		if (c >= 0)
			return c;
	}
	return -1;
}

static int parse_loglvl(const char *s)
{
	static const char *const names[] = { "err", "warning", "info",
					     "debug" };
	unsigned int i;

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "all")) {
		log_level = LOGLVL_DEBUG;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			log_level = i;
			return 0;
		}
	return -EINVAL;
}
custom_param("loglvl", parse_loglvl);

void console_init(void)
{
	unsigned int i;

	for (i = 0; i < nr_devices; i++)
		if (devices[i]->init)
			devices[i]->init();
}

static void emit(const char *s, size_t len)
{
	unsigned int i;

	console_ring_write(s, len);
	for (i = 0; i < nr_devices; i++)
		devices[i]->write(s, len);
}

/* Write text, adding the prefix at each line start. Holds console_lock. */
static void emit_lines(const char *s)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) + 1 : strlen(s);

		if (at_line_start)
			emit("(XEN) ", 6);
		emit(s, len);
		at_line_start = nl != NULL;
		s += len;
	}
}

void vprintk(const char *fmt, va_list args)
{
	char buf[512];
	unsigned int level = LOGLVL_INFO;
	unsigned long flags;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '3') {
		level = (unsigned int)(fmt[1] - '0');
		fmt += 2;
	}
	if (level > log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, args);

	flags = local_irq_save();
	spin_lock_recursive(&console_lock);
	emit_lines(buf);
	spin_unlock_recursive(&console_lock);
	local_irq_restore(flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void console_guest_line(unsigned int domid, const char *line)
{
	char prefix[16];
	unsigned long flags;

	snprintf(prefix, sizeof(prefix), "(d%u) ", domid);
	flags = local_irq_save();
	spin_lock_recursive(&console_lock);
	if (!at_line_start)
		emit("\n", 1);
	emit(prefix, strlen(prefix));
	emit(line, strlen(line));
	emit("\n", 1);
	at_line_start = true;
	spin_unlock_recursive(&console_lock);
	local_irq_restore(flags);
}

void console_force_unlock(void)
{
	spin_lock_init(&console_lock, "console_lock", LR_CONSOLE);
	console_ring_force_unlock();
	at_line_start = true;
}
