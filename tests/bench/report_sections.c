/*
 * The in-guest sections of an earlier report (bench.h): kept when the
 * host figures are written again.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static bool guest_heading(const char *line)
{
	static const char tail[] = ", in a guest";
	size_t len = strcspn(line, "\n");

	return !strncmp(line, "## ", 3) && len >= sizeof(tail) - 1 &&
	       !strncmp(line + len - (sizeof(tail) - 1), tail,
			sizeof(tail) - 1);
}

char *guest_sections(const char *path)
{
	FILE *in = fopen(path, "r");
	char *out = NULL, *line = NULL;
	size_t out_len = 0, line_size = 0;
	FILE *m = open_memstream(&out, &out_len);
	bool keep = false;

	REQUIRE(m);
	while (in && getline(&line, &line_size, in) != -1) {
		if (!strncmp(line, "## ", 3))
			keep = guest_heading(line);
		if (keep)
			fputs(line, m);
	}
	if (in)
		fclose(in);
	free(line);
	REQUIRE(!fclose(m));
	return out;
}
