/*
 * The unit-test runner: runs each registered test in a forked child, with
 * its output captured (shown when it fails, or always with -v), and a time
 * limit.
 *
 *   unit-tests [-v] [-n] [PATTERN...]    run the tests matching a glob
 *
 * -n: matching no test is not an error (for runners run side by side,
 * see run-runners.sh).
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "shim.h"

#define TEST_TIMEOUT 20 /* seconds, per test */
#define DEFAULT_SEED 0x2545f4914f6cdd1dULL

static struct test_case *tests;
static unsigned int nr_tests;

/* Shared between the runner and the test's child process. */
struct verdict {
	int claimed; /* the first failure wins, whichever thread it is on */
	bool used_seed;
	uint64_t seed;
	char reason[1024];
};
static struct verdict *verdict;

static __thread sigjmp_buf *panic_jb;
static __thread char panic_msg[1024];

void harness_register(struct test_case *t)
{
	t->seq = nr_tests++;
	t->next = tests;
	tests = t;
}

void harness_register_fn(const char *name, const char *file, int line,
			 void (*fn)(const void *arg), const void *arg)
{
	struct test_case *t = calloc(1, sizeof(*t));

	if (!t || !(t->name = strdup(name))) {
		perror("harness_register_fn");
		exit(2);
	}
	t->file = file;
	t->line = line;
	t->fn_arg = fn;
	t->arg = arg;
	harness_register(t);
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!__atomic_exchange_n(&verdict->claimed, 1, __ATOMIC_SEQ_CST)) {
		if (file)
			n = snprintf(verdict->reason, sizeof(verdict->reason),
				     "%s:%d: ", file, line);
		va_start(ap, fmt);
		vsnprintf(verdict->reason + n, sizeof(verdict->reason) - n, fmt,
			  ap);
		va_end(ap);
	}
	fflush(stdout);
	_exit(1);
}

void harness_catch_panic(sigjmp_buf *jb)
{
	panic_jb = jb;
}

const char *harness_panic_message(void)
{
	return panic_msg;
}

/* The child's stdout and stderr are its log file (run_one()). */
bool harness_output_contains(const char *s)
{
	struct stat st;
	bool found;
	char *buf;
	ssize_t n;

	fflush(stdout);
	fflush(stderr);
	if (fstat(STDERR_FILENO, &st) || !S_ISREG(st.st_mode))
		FAIL("the test's output is not a file");
	buf = malloc(st.st_size + 1);
	if (!buf)
		FAIL("no memory for the test's output");
	n = pread(STDERR_FILENO, buf, st.st_size, 0);
	if (n < 0)
		FAIL("cannot read the test's output");
	buf[n] = '\0';
	found = strstr(buf, s);
	free(buf);
	return found;
}

void harness_panic(const char *msg)
{
	sigjmp_buf *jb = panic_jb;

	snprintf(panic_msg, sizeof(panic_msg), "%s", msg);
	if (!jb)
		harness_fail(NULL, 0, "unexpected panic: %s", panic_msg);
	panic_jb = NULL;
	siglongjmp(*jb, 1);
}

uint64_t test_seed(void)
{
	const char *s = getenv("UNIT_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) : 0;

	verdict->used_seed = true;
	verdict->seed = seed ? seed : DEFAULT_SEED;
	return verdict->seed;
}

static int by_place(const void *a, const void *b)
{
	const struct test_case *x = *(struct test_case *const *)a;
	const struct test_case *y = *(struct test_case *const *)b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line - y->line;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void copy_out(FILE *from, FILE *to)
{
	char buf[4096];
	size_t n;

	rewind(from);
	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		fwrite(buf, 1, n, to);
	fflush(to);
}

static bool run_one(const struct test_case *t, bool verbose)
{
	FILE *log = tmpfile();
	char why[sizeof(verdict->reason) + 64];
	int status;
	pid_t pid;

	if (!log) {
		perror("tmpfile");
		exit(2);
	}
	memset(verdict, 0, sizeof(*verdict));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (!pid) {
		dup2(fileno(log), STDOUT_FILENO);
		dup2(fileno(log), STDERR_FILENO);
		alarm(TEST_TIMEOUT);
		if (t->fn_arg)
			t->fn_arg(t->arg);
		else
			t->fn();
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		;

	if (verdict->reason[0])
		snprintf(why, sizeof(why), "%s", verdict->reason);
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(why, sizeof(why), "timed out after %d s",
			 TEST_TIMEOUT);
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status))
		snprintf(why, sizeof(why),
			 "exit status %d (sanitizer report? see output)",
			 WEXITSTATUS(status));
	else
		why[0] = '\0';

	if (!why[0]) {
		printf("PASS %s\n", t->name);
	} else if (verdict->used_seed) {
		printf("FAIL %s: %s [UNIT_SEED=%llu]\n", t->name, why,
		       (unsigned long long)verdict->seed);
	} else {
		printf("FAIL %s: %s\n", t->name, why);
	}
	fflush(stdout);
	if (why[0] || verbose)
		copy_out(log, stderr);
	fclose(log);
	return !why[0];
}

static bool selected(const char *name, char **patterns, int n)
{
	int i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (!fnmatch(patterns[i], name, 0))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct test_case **sorted, *t;
	unsigned int i, passed = 0, failed = 0;
	bool verbose = false, none_ok = false;
	int opt;

	while ((opt = getopt(argc, argv, "vn")) != -1) {
		if (opt == 'v') {
			verbose = true;
		} else if (opt == 'n') {
			none_ok = true;
		} else {
			fprintf(stderr, "usage: %s [-v] [-n] [PATTERN...]\n",
				argv[0]);
			return 2;
		}
	}

	sorted = calloc(nr_tests, sizeof(*sorted));
	if (!sorted)
		return 2;
	for (i = 0, t = tests; t; t = t->next)
		sorted[i++] = t;
	qsort(sorted, nr_tests, sizeof(*sorted), by_place);
	for (i = 0; i < nr_tests; i++) {
		unsigned int j;

		for (j = 0; j < i; j++)
			if (!strcmp(sorted[i]->name, sorted[j]->name)) {
				fprintf(stderr, "test %s: defined twice\n",
					sorted[i]->name);
				return 2;
			}
	}

	verdict = mmap(NULL, sizeof(*verdict), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (verdict == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	shim_init();

	for (i = 0; i < nr_tests; i++) {
		if (!selected(sorted[i]->name, argv + optind, argc - optind))
			continue;
		if (run_one(sorted[i], verbose))
			passed++;
		else
			failed++;
	}
	free(sorted);
	if (!passed && !failed && !none_ok)
		fprintf(stderr, "no test matches\n");
	printf("%u passed, %u failed\n", passed, failed);
	return failed || (!passed && !none_ok);
}
