/*
 * dom0's commands, run from the shell on the serial console or from a
 * script file. Any part of dom0 registers commands (xl, xenpaging...);
 * a command gets its words as argc/argv (argv[0] its name) and returns 0
 * on success, anything else on failure, having said why.
 */
#ifndef MINIOS_SHELL_H
#define MINIOS_SHELL_H

#include <stddef.h>

#define SHELL_MAX_ARGS 32
#define SHELL_MAX_LINE 1024

struct command {
	const char *name;
	const char *args; /* the arguments' synopsis, "" if none */
	const char *help; /* one line */
	int (*fn)(int argc, char **argv);
	struct command *next; /* the registry's */
};

/* Add c (kept, not copied); panics if its name is taken. */
void command_register(struct command *c);
const struct command *command_find(const char *name);
/* One line per command: name, synopsis, help, by name. */
void commands_print(void);

/*
 * Split line in place into words: spaces and tabs separate them, double
 * quotes group (dropped wherever they are: cmdline="a b" is the word
 * `cmdline=a b`). Returns the number of words, -1 for an unclosed quote,
 * -2 for more than max words.
 */
int command_split(char *line, char **argv, int max);

/*
 * Run one command line: 0, or non-zero when it failed (an unknown
 * command, bad quoting, or the command's own failure). A line of no
 * words is 0.
 */
int command_run(const char *line);

/*
 * Run the words argv[0..argc) (argc > 0, argv[argc] NULL) as a command:
 * its result, or 1 after saying so if there is no command argv[0].
 */
int command_exec(int argc, char **argv);

/*
 * Run the script file name: one command per line; blank lines and lines
 * whose first non-blank is # are skipped. It stops at the first command
 * that fails, and ends with "script NAME: N commands, M failed". Returns
 * M (1 if the file is missing).
 */
int script_run(const char *name);
/* The same for a script held in memory, text[0..len), called name. */
int script_run_text(const char *name, const char *text, size_t len);
/* Commands that failed in scripts since dom0 started (poweroff's verdict). */
unsigned int scripts_failed(void);

/* The summary line of the script running, if any (poweroff prints it). */
void script_summary_now(void);

/* The interactive shell: reads lines from the console for ever. */
void __attribute__((noreturn)) shell_run(void);

/* The built-in commands, the ones that run commands (repeat, !), selftest
 * and xl. */
void builtins_init(void);
void control_init(void);
void selftest_init(void);
void xl_command_init(void);
void xenpaging_command_init(void);
/* `time COMMAND [ARGS...]` and `mapbench DOMID MIB` (benchmarks). */
void time_command_init(void);
void mapbench_init(void);

#endif /* MINIOS_SHELL_H */
