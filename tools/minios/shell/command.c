/* The command registry, word splitting, and running one command line. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minios/kernel.h>
#include <minios/shell.h>

static struct command *commands; /* sorted by name */

void command_register(struct command *c)
{
	struct command **pos = &commands;

	while (*pos && strcmp((*pos)->name, c->name) < 0)
		pos = &(*pos)->next;
	if (*pos && !strcmp((*pos)->name, c->name))
		panic("command '%s' registered twice", c->name);
	c->next = *pos;
	*pos = c;
}

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void commands_print(void)
{
	for (const struct command *c = commands; c; c = c->next) {
		char synopsis[64];

		snprintf(synopsis, sizeof(synopsis), "%s%s%s", c->name,
			 *c->args ? " " : "", c->args);
		printf("  %-24s %s\n", synopsis, c->help);
	}
}

int command_split(char *line, char **argv, int max)
{
	char *in = line, *out = line;
	int argc = 0;
	bool quoted = false;

	for (;;) {
		while (*in == ' ' || *in == '\t')
			in++;
		if (!*in)
			break;
		if (argc == max)
			return -2;
		argv[argc++] = out;
		/* Copy the word down over the quotes it loses. */
		for (; *in; in++) {
			if (*in == '"')
				quoted = !quoted;
			else if (!quoted && (*in == ' ' || *in == '\t'))
				break;
			else
				*out++ = *in;
		}
		if (*in)
			in++;
		*out++ = '\0';
	}
	return quoted ? -1 : argc;
}

int command_run(const char *line)
{
	char *copy = strdup(line), *argv[SHELL_MAX_ARGS + 1];
	int argc, rc;

	if (!copy) {
		printf("dom0: out of memory for the command line\n");
		return 1;
	}
	argc = command_split(copy, argv, SHELL_MAX_ARGS);
	if (argc <= 0) {
		if (argc == -1)
			printf("dom0: unclosed quote in '%s'\n", line);
		else if (argc == -2)
			printf("dom0: more than %u words in '%s'\n",
			       SHELL_MAX_ARGS, line);
		free(copy);
		return argc < 0;
	}
	argv[argc] = NULL;
	rc = command_exec(argc, argv);
	free(copy);
	return rc;
}

int command_exec(int argc, char **argv)
{
	const struct command *c = command_find(argv[0]);

	if (!c) {
		printf("dom0: unknown command '%s' (try help)\n", argv[0]);
		return 1;
	}
	return c->fn(argc, argv);
}
