/*
 * The `xl` command in dom0's shell (tools/xl), and what xl needs of dom0:
 * files from the boot modules, the console, sleeping.
 */
#include <minios/console.h>
#include <minios/files.h>
#include <minios/sched.h>
#include <minios/shell.h>
#include <xl.h>
#include <xl_os.h>

const void *xl_os_file(const char *name, size_t *size)
{
	const struct file *f = file_find(name);

	if (!f)
		return NULL;
	*size = f->size;
	return f->data;
}

void xl_os_write(const char *buf, size_t len)
{
	console_write(buf, len);
}

void xl_os_sleep_ms(unsigned int ms)
{
	sleep_ms(ms);
}

static struct command xl_cmd = {
	.name = "xl",
	.args = "COMMAND [ARGS]",
	.help = "Xen's command-line tool: create, list, destroy, ... (xl "
		"alone lists them)",
	.fn = xl_main,
};

void xl_command_init(void)
{
	command_register(&xl_cmd);
}
