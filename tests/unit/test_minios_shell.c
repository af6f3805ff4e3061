/*
 * dom0's shell and scripts (tools/minios/shell/command.c, script.c) and
 * its file table from the start info (kernel/files.c), on the host: word
 * splitting and quotes, the command registry, scripts stopping at the
 * first failure with its line, the summary counts (poweroff's mid-script
 * summary too), repeat and !, and files named by start-info modules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/start_info.h>

#include <minios/files.h>
#include <minios/shell.h>

#include "harness.h"

/* A start info whose modules are the files names[i] = texts[i]. */
struct fake_start {
	struct hvm_start_info si;
	struct hvm_modlist_entry mods[8];
};

static void fake_files(struct fake_start *f, unsigned int n,
		       const char *const *names, const char *const *texts)
{
	memset(f, 0, sizeof(*f));
	f->si.magic = XEN_HVM_START_MAGIC_VALUE;
	f->si.nr_modules = n;
	f->si.modlist_paddr = (uintptr_t)f->mods;
	for (unsigned int i = 0; i < n; i++)
		f->mods[i] = (struct hvm_modlist_entry){
			.paddr = (uintptr_t)texts[i],
			.size = strlen(texts[i]),
			.cmdline_paddr = (uintptr_t)names[i],
		};
}

/* The recording command `rec`: its calls' words, joined by '|'. */
static char calls[1024];
static unsigned int nr_calls;

static int cmd_rec(int argc, char **argv)
{
	nr_calls++;
	for (int i = 0; i < argc; i++) {
		strcat(calls, argv[i]);
		strcat(calls, i + 1 < argc ? "|" : ";");
	}
	return 0;
}

static int cmd_fail(int argc, char **argv)
{
	printf("fail: as asked\n");
	return 3;
}

/* What poweroff does before it ends dom0: the summary so far. */
static int cmd_off(int argc, char **argv)
{
	script_summary_now();
	return 0;
}

/* Fails at its third call. */
static unsigned int third_calls;

static int cmd_third(int argc, char **argv)
{
	return ++third_calls == 3;
}

static struct command rec = {
	.name = "rec", .args = "", .help = "", .fn = cmd_rec
};
static struct command fail = {
	.name = "fail", .args = "", .help = "", .fn = cmd_fail
};
static struct command off = {
	.name = "off", .args = "", .help = "", .fn = cmd_off
};
static struct command third = {
	.name = "third", .args = "", .help = "", .fn = cmd_third
};

static void register_test_commands(void)
{
	command_register(&rec);
	command_register(&fail);
	command_register(&off);
	command_register(&third);
	control_init();
	calls[0] = '\0';
	nr_calls = 0;
	third_calls = 0;
}

static bool printed(const char *s)
{
	fflush(stdout);
	return harness_output_contains(s);
}

TEST(minios_split_words_and_quotes)
{
	char line[] = "  xl\tcreate  cmdline=\"a  b\" \"c d\"e \"\" x\"\"y ";
	char *argv[8];

	CHECK_EQ(command_split(line, argv, 8), 6);
	CHECK_STR_EQ(argv[0], "xl");
	CHECK_STR_EQ(argv[1], "create");
	CHECK_STR_EQ(argv[2], "cmdline=a  b");
	CHECK_STR_EQ(argv[3], "c de");
	CHECK_STR_EQ(argv[4], "");
	CHECK_STR_EQ(argv[5], "xy");
}

TEST(minios_split_errors)
{
	char unclosed[] = "echo \"abc", many[] = "a b c d", blank[] = " \t ";
	char *argv[3];

	CHECK_EQ(command_split(unclosed, argv, 3), -1);
	CHECK_EQ(command_split(many, argv, 3), -2);
	CHECK_EQ(command_split(blank, argv, 3), 0);
}

TEST(minios_command_run)
{
	register_test_commands();
	CHECK_EQ(command_run("rec a \"b c\""), 0);
	CHECK_STR_EQ(calls, "rec|a|b c;");
	CHECK_EQ(command_run("   "), 0);
	CHECK_EQ(command_run("fail"), 3);
	CHECK(command_run("nosuch x") != 0);
	CHECK(printed("dom0: unknown command 'nosuch' (try help)"));
	CHECK(command_run("rec \"open") != 0);
	CHECK(printed("dom0: unclosed quote in 'rec \"open'"));
	CHECK_EQ(nr_calls, 1);
	CHECK(command_find("rec") == &rec);
	CHECK(command_find("re") == NULL);
}

TEST(minios_command_registered_twice)
{
	static struct command again = {
		.name = "rec", .args = "", .help = "", .fn = cmd_fail
	};

	register_test_commands();
	EXPECT_PANIC(command_register(&again));
	CHECK(strstr(harness_panic_message(), "'rec' registered twice"));
}

TEST(minios_script_stops_at_first_failure)
{
	static const char text[] = "# a comment\n"
				   "\n"
				   "rec 1\n"
				   "   # an indented comment\n"
				   "  rec \"2 two\"\r\n"
				   "fail here\n"
				   "rec 3\n";

	register_test_commands();
	CHECK_EQ(script_run_text("t.sh", text, strlen(text)), 1);
	CHECK_STR_EQ(calls, "rec|1;rec|2 two;");
	CHECK(printed("fail: as asked\nscript t.sh: line 6: fail here failed\n"
		      "script t.sh: 3 commands, 1 failed\n"));
	CHECK_EQ(scripts_failed(), 1);
}

TEST(minios_script_summary_and_poweroff)
{
	static const char text[] = "rec a\nrec b\noff\nrec c";

	register_test_commands();
	CHECK_EQ(script_run_text("p.sh", text, strlen(text)), 0);
	/* At off, the commands before it; at the end, all four. */
	CHECK(printed("script p.sh: 2 commands, 0 failed\n"));
	CHECK(printed("script p.sh: 4 commands, 0 failed\n"));
	CHECK_STR_EQ(calls, "rec|a;rec|b;rec|c;");
	CHECK_EQ(scripts_failed(), 0);
	/* Outside a script there is no summary to give. */
	script_summary_now();
	CHECK(!printed("script p.sh: 0 commands"));
}

TEST(minios_repeat)
{
	register_test_commands();
	CHECK_EQ(command_run("repeat 3 rec a"), 0);
	CHECK_STR_EQ(calls, "rec|a;rec|a;rec|a;");
	calls[0] = '\0';
	CHECK_EQ(command_run("repeat 2 rec a \"b c\" ; rec d;e"), 0);
	CHECK_STR_EQ(calls, "rec|a|b c;rec|d;e;rec|a|b c;rec|d;e;");
	CHECK_EQ(nr_calls, 7);
}

TEST(minios_repeat_stops_at_first_failure)
{
	register_test_commands();
	CHECK(command_run("repeat 100000 rec x ; third") != 0);
	CHECK(printed("repeat: round 3 of 100000: third failed\n"));
	CHECK_EQ(nr_calls, 3);
	CHECK_EQ(third_calls, 3);
	nr_calls = 0;
	CHECK(command_run("repeat 5 nosuch x ; rec") != 0);
	CHECK(printed("dom0: unknown command 'nosuch' (try help)\n"
		      "repeat: round 1 of 5: nosuch x failed\n"));
	CHECK_EQ(nr_calls, 0);
}

TEST(minios_repeat_bad_arguments)
{
	static const char *const bad_counts[] = {
		"0",  "100001", "abc", "1x",
		"-1", "+3",	"",    "99999999999999999999999"
	};
	static const char *const bad_lists[] = {
		"repeat",	  "repeat 3",	    "repeat 3 ;",
		"repeat 3 ; rec", "repeat 3 rec ;", "repeat 3 rec ; ; rec"
	};
	char line[64];

	register_test_commands();
	for (unsigned int i = 0; i < 8; i++) {
		snprintf(line, sizeof(line), "repeat \"%s\" rec",
			 bad_counts[i]);
		CHECK(command_run(line) != 0);
		snprintf(line, sizeof(line),
			 "repeat: '%s' is not a number of rounds from 1 to "
			 "100000\n",
			 bad_counts[i]);
		CHECK(printed(line));
	}
	for (unsigned int i = 0; i < 6; i++) {
		CHECK(command_run(bad_lists[i]) != 0);
		CHECK(printed("usage: repeat N COMMAND [ARGS...] "
			      "[; COMMAND...]\n"));
	}
	CHECK_EQ(nr_calls, 0);
}

TEST(minios_not)
{
	register_test_commands();
	CHECK_EQ(command_run("! fail with words"), 0);
	CHECK(printed("fail: as asked\n"));
	CHECK(command_run("! rec \"a b\" c") != 0);
	CHECK(printed("!: 'rec a b c' succeeded where a failure was "
		      "expected\n"));
	CHECK_STR_EQ(calls, "rec|a b|c;");
	/* A misspelt command is not the failure looked for. */
	CHECK(command_run("! nosuch") != 0);
	CHECK(printed("!: unknown command 'nosuch' (try help)\n"));
	CHECK(command_run("!") != 0);
	CHECK(printed("usage: ! COMMAND [ARGS...]\n"));
	/* Both ways round within repeat, and repeat within !. */
	CHECK_EQ(command_run("repeat 4 ! fail ; rec"), 0);
	CHECK_EQ(nr_calls, 5);
	CHECK_EQ(command_run("! repeat 5 third"), 0);
	CHECK(printed("repeat: round 3 of 5: third failed\n"));
	CHECK_EQ(command_run("! ! fail"), 1);
}

TEST(minios_script_goes_on_after_not)
{
	static const char text[] = "! fail bad input\n"
				   "rec after\n"
				   "! rec\n"
				   "rec never\n";

	register_test_commands();
	CHECK_EQ(script_run_text("n.sh", text, strlen(text)), 1);
	CHECK_STR_EQ(calls, "rec|after;rec;");
	CHECK(printed("!: 'rec' succeeded where a failure was expected\n"
		      "script n.sh: line 3: ! rec failed\n"
		      "script n.sh: 3 commands, 1 failed\n"));
}

TEST(minios_script_long_line)
{
	char *text = malloc(SHELL_MAX_LINE + 16);

	register_test_commands();
	memset(text, 'x', SHELL_MAX_LINE + 15);
	memcpy(text, "rec 1\n", 6);
	text[SHELL_MAX_LINE + 15] = '\n';
	CHECK_EQ(script_run_text("l.sh", text, SHELL_MAX_LINE + 16), 1);
	CHECK(printed("script l.sh: line 2: longer than 1023 bytes\n"
		      "script l.sh: 2 commands, 1 failed\n"));
	free(text);
}

TEST(minios_script_from_file)
{
	static const char *const names[] = { "s.sh", "other" };
	static const char *const texts[] = { "rec x\nrec y\n", "rec no\n" };
	struct fake_start f;

	fake_files(&f, 2, names, texts);
	CHECK_EQ(files_init(&f.si), 2);
	register_test_commands();
	CHECK_EQ(script_run("s.sh"), 0);
	CHECK_STR_EQ(calls, "rec|x;rec|y;");
	CHECK(printed("script s.sh: 2 commands, 0 failed\n"));
	CHECK_EQ(script_run("missing.sh"), 1);
	CHECK(printed("script missing.sh: no such file\n"
		      "script missing.sh: 0 commands, 1 failed\n"));
	CHECK_EQ(scripts_failed(), 1);
}

TEST(minios_files_from_start_info)
{
	static const char *const names[] = { "a.txt", "", "a.txt", "b.elf" };
	static const char *const texts[] = { "alpha", "nameless", "again",
					     "0123456789" };
	struct fake_start f;
	const struct file *b;
	char buf[8];

	fake_files(&f, 4, names, texts);
	CHECK_EQ(files_init(&f.si), 2);
	CHECK(printed("dom0: module 1 has no name: left out"));
	CHECK(printed("dom0: module 2: a file 'a.txt' exists: left out"));
	CHECK_EQ(files_count(), 2);
	CHECK_STR_EQ(file_at(0)->name, "a.txt");
	CHECK_EQ(file_at(0)->size, 5);
	CHECK(file_at(2) == NULL);
	b = file_find("b.elf");
	CHECK(b && b == file_at(1));
	CHECK(file_find("c") == NULL);
	CHECK_EQ(file_read(b, 4, buf, sizeof(buf)), 6);
	CHECK(!memcmp(buf, "456789", 6));
	CHECK_EQ(file_read(b, 10, buf, sizeof(buf)), 0);
	CHECK_EQ(file_read(b, 99, buf, sizeof(buf)), 0);
}
