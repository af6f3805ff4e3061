/* A tool's output for the tests: see run_tool.h. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "run_tool.h"

uint8_t *run_tool(const char *cmd, const uint8_t *in, size_t n, size_t *out_len)
{
	char in_path[] = "/tmp/unit-run-tool-XXXXXX", line[512];
	int fd = mkstemp(in_path);
	size_t cap = n + 4096, len = 0, got;
	uint8_t *out = malloc(cap);
	FILE *f;

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, in, n), n);
	close(fd);
	snprintf(line, sizeof(line), "%s < %s", cmd, in_path);
	f = popen(line, "r");
	CHECK(f != NULL);
	while ((got = fread(out + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			out = realloc(out, cap *= 2);
	}
	if (pclose(f))
		FAIL("'%s' failed", cmd);
	unlink(in_path);
	*out_len = len;
	return out;
}
