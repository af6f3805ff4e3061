/*
 * The commands that run commands: `repeat` (commands N times, stopping at
 * the first failure) and `!` (succeeds only when its command fails, as in
 * sh), so a script can loop, and can check that bad input is refused and
 * go on.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <minios/shell.h>

#define REPEAT_MAX 100000UL
/* The word that separates repeat's commands. */
#define SEPARATOR ";"

/* argv[0..argc) joined by spaces into buf (cut short if it does not fit). */
static const char *join(char *buf, size_t size, int argc, char **argv)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? " " : "",
				argv[i]);
	return buf;
}

static int usage(const char *name)
{
	const struct command *c = command_find(name);

	printf("usage: %s %s\n", c->name, c->args);
	return 1;
}

static int cmd_not(int argc, char **argv)
{
	char line[SHELL_MAX_LINE];

	if (argc < 2)
		return usage(argv[0]);
	/* A misspelt command is an error in the script, not the failure. */
	if (!command_find(argv[1])) {
		printf("!: unknown command '%s' (try help)\n", argv[1]);
		return 1;
	}
	if (command_exec(argc - 1, argv + 1))
		return 0;
	printf("!: '%s' succeeded where a failure was expected\n",
	       join(line, sizeof(line), argc - 1, argv + 1));
	return 1;
}

/* s as a decimal count of rounds, 1 to REPEAT_MAX. */
static bool parse_rounds(const char *s, unsigned long *rounds)
{
	unsigned long n = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (unsigned long)(*s - '0');
		if (n > REPEAT_MAX)
			return false;
	}
	*rounds = n;
	return n > 0;
}

/* The number of words of argv[0..argc) before a separator. */
static int command_words(int argc, char **argv)
{
	int n = 0;

	while (n < argc && strcmp(argv[n], SEPARATOR))
		n++;
	return n;
}

static int cmd_repeat(int argc, char **argv)
{
	char *words[SHELL_MAX_ARGS + 1], line[SHELL_MAX_LINE];
	unsigned long rounds, round;
	int first, n;

	if (argc < 3)
		return usage(argv[0]);
	if (!parse_rounds(argv[1], &rounds)) {
		printf("repeat: '%s' is not a number of rounds from 1 to "
		       "%lu\n",
		       argv[1], REPEAT_MAX);
		return 1;
	}
	/* Every command has words: no separator first, last or twice. */
	for (first = 2; first <= argc; first += n + 1) {
		n = command_words(argc - first, argv + first);
		if (!n)
			return usage(argv[0]);
	}
	for (round = 1; round <= rounds; round++) {
		for (first = 2; first < argc; first += n + 1) {
			n = command_words(argc - first, argv + first);
			memcpy(words, argv + first, n * sizeof(*words));
			words[n] = NULL;
			if (!command_exec(n, words))
				continue;
			printf("repeat: round %lu of %lu: %s failed\n", round,
			       rounds, join(line, sizeof(line), n, words));
			return 1;
		}
	}
	return 0;
}

static struct command not_cmd = {
	.name = "!",
	.args = "COMMAND [ARGS...]",
	.help = "run COMMAND: succeed if it fails, fail if it succeeds",
	.fn = cmd_not,
};

static struct command repeat_cmd = {
	.name = "repeat",
	.args = "N COMMAND [ARGS...] [; COMMAND...]",
	.help = "run the commands N times, stopping at the first failure",
	.fn = cmd_repeat,
};

void control_init(void)
{
	command_register(&not_cmd);
	command_register(&repeat_cmd);
}
