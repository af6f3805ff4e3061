/* The host benchmarks' clock, medians and failure path (bench.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

/* The shim reports failures through the unit-test harness: end here. */
void harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bench: %s:%d: ", file ? file : "?", line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void harness_panic(const char *msg)
{
	fprintf(stderr, "bench: panic: %s\n", msg);
	exit(1);
}

double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), by_value);
	return v[n / 2];
}
