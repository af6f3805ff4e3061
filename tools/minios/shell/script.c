/*
 * Script files: the lines of a file run as commands, in order, until one
 * fails. poweroff ends dom0 from within a script; it prints the summary
 * first (script_summary_now), counting the commands before it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <minios/files.h>
#include <minios/shell.h>

struct script {
	const char *name;
	unsigned int commands, failed;
};

static struct script *running;
static unsigned int total_failed;

static void summary(const struct script *s)
{
	printf("script %s: %u commands, %u failed\n", s->name, s->commands,
	       s->failed);
}

void script_summary_now(void)
{
	if (running)
		summary(running);
}

unsigned int scripts_failed(void)
{
	return total_failed;
}

/*
 * The line of data[0..size) at *off into buf (NUL-terminated, a final CR
 * dropped); *off moves to the next line. Returns false if the line does
 * not fit.
 */
static bool next_line(const char *data, size_t size, size_t *off, char *buf,
		      size_t buf_size)
{
	size_t start = *off, end = start, len;

	while (end < size && data[end] != '\n')
		end++;
	*off = end + 1;
	len = end - start;
	if (len && data[end - 1] == '\r')
		len--;
	if (len >= buf_size)
		return false;
	memcpy(buf, data + start, len);
	buf[len] = '\0';
	return true;
}

static bool skipped(const char *line)
{
	line += strspn(line, " \t");
	return !*line || *line == '#';
}

int script_run_text(const char *name, const char *text, size_t len)
{
	struct script s = { .name = name };
	static char line[SHELL_MAX_LINE];
	unsigned int number = 0;
	size_t off = 0;

	running = &s;
	while (off < len) {
		bool fits = next_line(text, len, &off, line, sizeof(line));

		number++;
		if (fits && skipped(line))
			continue;
		if (!fits) {
			printf("script %s: line %u: longer than %u bytes\n",
			       name, number, SHELL_MAX_LINE - 1);
		} else if (!command_run(line)) {
			s.commands++;
			continue;
		} else {
			printf("script %s: line %u: %s failed\n", name, number,
			       line + strspn(line, " \t"));
		}
		s.commands++;
		s.failed++;
		break;
	}
	running = NULL;
	total_failed += s.failed;
	summary(&s);
	return s.failed;
}

int script_run(const char *name)
{
	const struct file *f = file_find(name);
	struct script s = { .name = name, .failed = 1 };

	if (f)
		return script_run_text(name, f->data, f->size);
	printf("script %s: no such file\n", name);
	total_failed++;
	summary(&s);
	return s.failed;
}
