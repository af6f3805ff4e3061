/*
 * Streams made by the real tools at test time (zstd, lz4, gzip, xz, ...),
 * so that the repository holds no test data: in[n] through a shell
 * command from stdin to stdout. The output is malloc'ed; a tool that
 * fails fails the test.
 */
#ifndef UNIT_RUN_TOOL_H
#define UNIT_RUN_TOOL_H

#include <stddef.h>
#include <stdint.h>

uint8_t *run_tool(const char *cmd, const uint8_t *in, size_t n,
		  size_t *out_len);

#endif
