/*
 * dom0's start: the hypercall page, traps, memory, threads, event
 * channels, timers, console input and files; then the script named by
 * the command line, if any, and the shell. Command-line options:
 *
 *   script=NAME   run the file NAME as a script at start
 *   selftest=1    run the script "selftest, poweroff" (for a boot test
 *                 without files or console input)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/start_info.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/evtchn.h>
#include <minios/files.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/page_alloc.h>
#include <minios/paging.h>
#include <minios/sched.h>
#include <minios/shell.h>
#include <minios/time.h>
#include <minios/traps.h>

void kernel_main(const struct hvm_start_info *si);

#define SELFTEST_SCRIPT "selftest\npoweroff\n"

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	irq_disable();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	console_flush();
	printf("dom0: panic: %s\n", msg);
	for (;;)
		hypercall_shutdown(SHUTDOWN_crash);
}

void abort(void)
{
	panic("abort() called");
}

void poweroff(void)
{
	console_flush();
	for (;;)
		hypercall_shutdown(SHUTDOWN_poweroff);
}

struct options {
	const char *script;
	bool selftest;
	/* A failed script powers off (FAILURE) instead of opening the shell */
	bool poweroff_on_failure;
};

/* The command line's options (it is kept: the words point into a copy). */
static void parse_options(const struct hvm_start_info *si, struct options *o)
{
	const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
	char *copy, *argv[SHELL_MAX_ARGS];
	int argc;

	if (!cmdline || !*cmdline)
		return;
	copy = strdup(cmdline);
	argc = copy ? command_split(copy, argv, SHELL_MAX_ARGS) : -3;
	if (argc < 0) {
		printf("dom0: command line '%s' not understood: ignored\n",
		       cmdline);
		return;
	}
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "script=", 7) && argv[i][7])
			o->script = argv[i] + 7;
		else if (!strcmp(argv[i], "selftest=1"))
			o->selftest = true;
		else if (!strcmp(argv[i], "onfail=poweroff"))
			o->poweroff_on_failure = true;
		else
			printf("dom0: unknown option '%s': ignored\n", argv[i]);
	}
}

void kernel_main(const struct hvm_start_info *si)
{
	struct options o = { 0 };

	hypercall_init();
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		panic("start info at %p: bad magic 0x%x", si, si->magic);
	traps_init();
	page_alloc_init(si);
	malloc_init();
	paging_init(ram_end());
	sched_init();
	evtchn_init();
	timers_init();
	console_input_init();
	files_init(si);
	builtins_init();
	control_init();
	selftest_init();
	xl_command_init();
	xenpaging_command_init();
	time_command_init();
	mapbench_init();
	parse_options(si, &o);
	printf("dom0: minios up: %lu MiB of RAM, %lu pages free, %u file%s\n",
	       (unsigned long)(ram_end() >> 20), pages_free(), files_count(),
	       files_count() == 1 ? "" : "s");
	irq_enable();
	if (o.selftest)
		script_run_text("selftest=1", SELFTEST_SCRIPT,
				sizeof(SELFTEST_SCRIPT) - 1);
	if (o.script)
		script_run(o.script);
	/*
	 * Unattended (autoexit), a shell nobody types into would wait for
	 * ever: poweroff says FAILURE, as it would typed in the shell.
	 */
	if (o.poweroff_on_failure && scripts_failed()) {
		char word[] = "poweroff", *argv[] = { word, NULL };

		command_exec(1, argv);
	}
	shell_run();
}
