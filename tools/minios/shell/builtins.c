/* The shell's built-in commands: help, echo, sleep, files, cat, poweroff,
 * threads, mem. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <minios/console.h>
#include <minios/files.h>
#include <minios/foreign.h>
#include <minios/kernel.h>
#include <minios/layout.h>
#include <minios/page_alloc.h>
#include <minios/sched.h>
#include <minios/shell.h>

/* The longest sleep: an hour. */
#define SLEEP_MAX_MS 3600000UL

static int usage(const char *name)
{
	const struct command *c = command_find(name);

	printf("usage: %s %s\n", c->name, c->args);
	return 1;
}

static int cmd_help(int argc, char **argv)
{
	commands_print();
	return 0;
}

static int cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	printf("\n");
	return 0;
}

static int cmd_sleep(int argc, char **argv)
{
	unsigned long ms;
	char *end;

	if (argc != 2)
		return usage(argv[0]);
	errno = 0;
	ms = strtoul(argv[1], &end, 10);
	if (*argv[1] < '0' || *argv[1] > '9' || *end || errno ||
	    ms > SLEEP_MAX_MS) {
		printf("sleep: '%s' is not a number of milliseconds up to "
		       "%lu\n",
		       argv[1], SLEEP_MAX_MS);
		return 1;
	}
	sleep_ms(ms);
	return 0;
}

static int cmd_files(int argc, char **argv)
{
	const struct file *f;

	for (unsigned int i = 0; (f = file_at(i)); i++)
		printf("  %-24s %zu bytes\n", f->name, f->size);
	printf("%u file%s\n", files_count(), files_count() == 1 ? "" : "s");
	return 0;
}

static int cmd_cat(int argc, char **argv)
{
	const struct file *f;

	if (argc != 2)
		return usage(argv[0]);
	f = file_find(argv[1]);
	if (!f) {
		printf("cat: no file '%s' (see files)\n", argv[1]);
		return 1;
	}
	console_write(f->data, f->size);
	if (f->size && ((const char *)f->data)[f->size - 1] != '\n')
		console_write("\n", 1);
	return 0;
}

static int cmd_poweroff(int argc, char **argv)
{
	script_summary_now();
	printf("Test result: %s\n", scripts_failed() ? "FAILURE" : "SUCCESS");
	poweroff();
}

static int cmd_threads(int argc, char **argv)
{
	threads_print();
	return 0;
}

static int cmd_mem(int argc, char **argv)
{
	printf("mem: %lu of %lu pages free (%lu KiB), foreign-map window: "
	       "%lu of %lu pages free\n",
	       pages_free(), pages_managed(), pages_free() * (PAGE_SIZE / 1024),
	       foreign_window_free(), WINDOW_PAGES);
	return 0;
}

#define BUILTIN(n, a, h)                                        \
	{                                                       \
		.name = #n, .args = a, .help = h, .fn = cmd_##n \
	}

static struct command builtins[] = {
	BUILTIN(help, "", "list the commands"),
	BUILTIN(echo, "[WORD...]", "print the words"),
	BUILTIN(sleep, "MS", "sleep MS milliseconds"),
	BUILTIN(files, "", "list the files with their sizes"),
	BUILTIN(cat, "NAME", "print the file NAME"),
	BUILTIN(poweroff, "",
		"print the script's summary and the verdict, power dom0 off"),
	BUILTIN(threads, "", "list the threads"),
	BUILTIN(mem, "", "free pages of dom0's allocator and the window"),
};

void builtins_init(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(builtins); i++)
		command_register(&builtins[i]);
}
