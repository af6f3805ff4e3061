/*
 * What the host benchmarks share (tests/bench): the clock, medians, a
 * check that ends the run, and the machine memory they divide. The
 * Makefile sizes the shim's arena (SHIM_MEM_SIZE) for the p2m figures'
 * RAM plus PAGING_GFNS pages for the paging figures.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdio.h>

#include <asm/mm.h>

#include "harness.h"

/* Every frame of the arena from BENCH_RAM_START on is heap RAM. */
#define BENCH_RAM_START 0x1000UL
#define BENCH_RAM_END (SHIM_MEM_SIZE >> PAGE_SHIFT)

/* A figure's timed runs; each figure is their median. */
#define ROUNDS 5

/* A failed REQUIRE ends the benchmark with no figure printed. */
#define REQUIRE(cond)                                \
	do {                                         \
		if (!(cond))                         \
			FAIL("required: %s", #cond); \
	} while (0)

double now_ns(void);
/* The median of v[0..n) (sorts v). */
double median(double *v, unsigned int n);

/*
 * The sections of the report at path (if any) whose headings end in
 * ", in a guest" (tests/bench/guest-bench.sh writes them), each from its
 * heading to the next "## " heading, hand-written notes included; a
 * string to free.
 */
char *guest_sections(const char *path);

/*
 * The paging figures (paging_bench.c): measured, printed as `bench` lines,
 * and written as a section of the report.
 */
void paging_bench(void);
void paging_report(FILE *f);

#endif
