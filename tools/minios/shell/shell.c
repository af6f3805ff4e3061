/*
 * The interactive shell on the serial console. The hypervisor prints a
 * domain's console a whole line at a time, so typed characters could not
 * show before Enter anyway: the shell edits the line (backspace and DEL
 * remove the last character, other control characters are ignored) and
 * echoes it with its prompt when Enter comes, as one line
 * "dom0# COMMAND", then runs it. A line whose first non-blank is # is a
 * comment, as in scripts.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/sched.h>
#include <minios/shell.h>

#define PROMPT "dom0# "

/* A line into buf; false if there is no input. */
static bool read_line(char *buf, size_t size)
{
	static bool after_cr;
	size_t len = 0;

	for (;;) {
		int c = console_getc();
		bool cr_lf = after_cr && c == '\n';

		if (c == EOF)
			return false;
		after_cr = c == '\r';
		if (cr_lf)
			continue;
		if (c == '\r' || c == '\n')
			break;
		if (c == '\b' || c == 0x7f) {
			if (len)
				len--;
		} else if (c >= ' ' && c < 0x7f && len + 1 < size) {
			buf[len++] = c;
		}
	}
	buf[len] = '\0';
	return true;
}

void shell_run(void)
{
	static char line[SHELL_MAX_LINE];

	printf("dom0: shell on the serial console (type help)\n");
	while (read_line(line, sizeof(line))) {
		printf(PROMPT "%s\n", line);
		if (line[strspn(line, " \t")] != '#')
			command_run(line);
	}
	/* Nothing will come: the thread sleeps for good, events still run. */
	printf("dom0: the shell stops\n");
	irq_disable();
	for (;;)
		thread_block("no input");
}
