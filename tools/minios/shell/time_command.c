/*
 * The `time` command: run a command and print how long it took on the
 * hypervisor's clock (now_ns(): HVMOP_get_time), in ms with three
 * decimals:
 *
 *   time: xl create hello mem=16M vcpus=1 image=hello.elf took 12.345 ms
 *
 * It returns what the command returned (the time is printed either way).
 */
#include <stdio.h>

#include <minios/shell.h>
#include <minios/time.h>

#define NSEC_PER_USEC 1000ULL

static int cmd_time(int argc, char **argv)
{
	const struct command *c;
	uint64_t start, us;
	int rc;

	if (argc < 2) {
		printf("usage: time COMMAND [ARGS...]\n");
		return 1;
	}
	c = command_find(argv[1]);
	if (!c) {
		printf("time: unknown command '%s' (try help)\n", argv[1]);
		return 1;
	}
	start = now_ns();
	/* argv[argc] is NULL: argv + 1 is the command's own argv. */
	rc = c->fn(argc - 1, argv + 1);
	us = (now_ns() - start) / NSEC_PER_USEC;
	printf("time:");
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf(" took %lu.%03lu ms\n", (unsigned long)(us / 1000),
	       (unsigned long)(us % 1000));
	return rc;
}

static struct command time_cmd = {
	.name = "time",
	.args = "COMMAND [ARGS...]",
	.help = "run a command and print how long it took (ms)",
	.fn = cmd_time,
};

void time_command_init(void)
{
	command_register(&time_cmd);
}
