/*
 * pagetest bench=N bench_gfn=G, beside the pager's mode=bench with the
 * same N and G (bench_mailbox.h): the mailbox is gfn G, the region the
 * 2N pages after it, each holding pagetest's pattern (pass 0).
 *
 * Round 1, vCPU 0 alone: the first N pages evicted, the next N only
 * nominated. It writes one word of an evicted page (a page-in round trip:
 * nested fault, request on the ring, the pager's prep and response, the
 * vCPU woken and back in the guest), then one of a nominated page (a
 * nested fault the hypervisor fixes by itself), N times, timing each with
 * the TSC, and prints the medians and their ratio.
 *
 * Then, for V = 1, 2, 4 (up to the domain's vCPUs): all 2N pages evicted,
 * V vCPUs each write one word of every page of their slice; the time from
 * the start to the last vCPU done gives the page-in throughput. vCPUs not
 * in a round sleep, so they take no CPU from those that fault.
 *
 * Last, every page of the region must still hold its pattern.
 */
#include <xtf.h>

#include "bench.h"
#include "bench_mailbox.h"
#include "pattern.h"
#include "ram.h"

/* A vCPU may sleep on many page-ins in one round (Bochs is slow). */
#define ROUND_TIMEOUT_S 600
#define NS_PER_MS 1000000ull

static volatile uint32_t *mbox;
static uint32_t first; /* the region's first gfn */
static unsigned int pages; /* 2N */
static uint64_t t_pagein[BENCH_MAX], t_fixup[BENCH_MAX];

/* A throughput round: armed, then go, by vCPU 0; end by the last done. */
static unsigned int armed, width, arrived, go, finished;
static uint64_t t_end;

static uint64_t ticks_ns(uint64_t ticks)
{
	return ticks * 1000000 / (xtf_tsc_khz() ?: 1000000);
}

/* Sleep about a millisecond. */
static void nap(void)
{
	uint64_t now;

	if (!hypercall_get_time(&now))
		sched_poll(NULL, 0, now + NS_PER_MS);
}

/* Wait until *p is at least v; sleeping between looks. */
static void nap_until(const unsigned int *p, unsigned int v)
{
	uint64_t start = rdtsc();
	uint64_t limit =
		(uint64_t)(xtf_tsc_khz() ?: 1000000) * 1000 * ROUND_TIMEOUT_S;

	while (atomic_read(p) < v) {
		if (rdtsc() - start > limit)
			xtf_error("pagetest: bench: waited %u s",
				  ROUND_TIMEOUT_S);
		nap();
	}
}

/* Word 0 of page i of the region, as pass 0 wrote it. */
static uint64_t word0(unsigned int i)
{
	struct pattern pt = pattern_of(first + i, 0);

	return pattern_word(&pt, 0);
}

static volatile uint64_t *page(unsigned int i)
{
	return gfn_page(first + i);
}

/* Ask the pager for round r and wait (spinning: it pauses us) for it. */
static void ask(uint32_t r)
{
	uint64_t start = rdtsc();
	uint64_t limit =
		(uint64_t)(xtf_tsc_khz() ?: 1000000) * 1000 * ROUND_TIMEOUT_S;

	bench_write(mbox, BENCH_ASK, r);
	while (bench_read(mbox, BENCH_DONE) != r) {
		if (rdtsc() - start > limit)
			xtf_error(
				"pagetest: bench: no pager for round %u in %u s",
				r, ROUND_TIMEOUT_S);
		cpu_relax();
	}
}

static void sort(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned int j = i;

		for (; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static uint64_t median(uint64_t *v, unsigned int n)
{
	sort(v, n);
	return v[n / 2];
}

/* Round 1: a page-in against a plain fix-up, one after the other. */
static void ratio_round(void)
{
	unsigned int n = pages / 2;
	uint64_t in, fix;

	ask(BENCH_RATIO);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t w = word0(i), x = word0(n + i), t0;

		t0 = rdtsc();
		*page(i) = w;
		t_pagein[i] = rdtsc() - t0;
		t0 = rdtsc();
		*page(n + i) = x;
		t_fixup[i] = rdtsc() - t0;
	}
	in = ticks_ns(median(t_pagein, n));
	fix = ticks_ns(median(t_fixup, n));
	printf("pagetest: bench pagein %llu ns, fixup %llu ns, ratio %llu.%llu (%u pages each)\n",
	       (unsigned long long)in, (unsigned long long)fix,
	       (unsigned long long)(in / (fix ?: 1)),
	       (unsigned long long)(in * 10 / (fix ?: 1) % 10), n);
}

/* This vCPU's share of a throughput round of v vCPUs. */
static void touch_slice(unsigned int vcpu, unsigned int v)
{
	unsigned int end = (vcpu + 1) * pages / v;

	for (unsigned int i = vcpu * pages / v; i < end; i++)
		*page(i) = word0(i);
	if (atomic_add_return(&finished, 1) == v)
		t_end = rdtsc();
}

/* Round r on vCPU 0: v vCPUs page the whole region in. */
static void throughput_round(uint32_t r, unsigned int v)
{
	uint64_t start, ns;

	atomic_set(&arrived, 0);
	atomic_set(&finished, 0);
	atomic_set(&width, v);
	atomic_set(&armed, r);
	/* The others spin on go from here: the pager pauses us all. */
	while (atomic_read(&arrived) < v - 1)
		cpu_relax();
	ask(r);
	start = rdtsc();
	atomic_set(&go, r);
	touch_slice(0, v);
	nap_until(&finished, v);
	ns = ticks_ns(t_end - start);
	printf("pagetest: bench pagein_throughput %u vcpus %llu pages/s (%u pages in %llu us)\n",
	       v, (unsigned long long)(pages * 1000000000ull / (ns ?: 1)),
	       pages, (unsigned long long)(ns / 1000));
}

/* vCPUs other than 0: each round they are in, after vCPU 0 arms it. */
static void follow(unsigned int vcpu)
{
	for (uint32_t r = BENCH_RATIO + 1;; r++) {
		nap_until(&armed, r);
		if (atomic_read(&armed) == ~0u)
			return;
		if (vcpu >= atomic_read(&width))
			continue;
		atomic_add_return(&arrived, 1);
		while (atomic_read(&go) != r)
			cpu_relax();
		touch_slice(vcpu, atomic_read(&width));
	}
}

static void set_up_region(unsigned int n)
{
	uint32_t g = cmdline_uint("bench_gfn", 0);

	if (!n || n > BENCH_MAX || !g)
		xtf_error(
			"pagetest: bench=N wants N from 1 to %u and bench_gfn=G",
			BENCH_MAX);
	for (uint32_t gfn = g; gfn <= g + 2 * n; gfn++)
		if (!ram_has(gfn))
			xtf_error("pagetest: bench: gfn 0x%x is not free RAM",
				  gfn);
	mbox = gfn_page(g);
	bench_write(mbox, BENCH_DONE, 0);
	bench_write(mbox, BENCH_ASK, 0);
	first = g + 1;
	pages = 2 * n;
	for (unsigned int i = 0; i < pages; i++) {
		volatile uint64_t *p = page(i);
		struct pattern pt = pattern_of(first + i, 0);

		for (unsigned int w = 0; w < WORDS_PER_PAGE; w++)
			p[w] = pattern_word(&pt, w);
	}
}

static void check_region(void)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < pages; i++) {
		volatile uint64_t *p = page(i);
		struct pattern pt = pattern_of(first + i, 0);

		for (unsigned int w = 0; w < WORDS_PER_PAGE; w++)
			if (p[w] != pattern_word(&pt, w) && !bad++)
				printf("pagetest: bench: gfn 0x%x word %u: 0x%016llx\n",
				       first + i, w, (unsigned long long)p[w]);
	}
	if (bad)
		xtf_failure("pagetest: bench: %u words lost", bad);
}

void bench_main(unsigned int vcpu, unsigned int nr, unsigned int n)
{
	uint32_t r = BENCH_RATIO;

	if (vcpu) {
		follow(vcpu);
		return;
	}
	ram_init();
	set_up_region(n);
	printf("pagetest: bench: %u pages from gfn 0x%x on %u vCPUs\n", pages,
	       first, nr);
	ratio_round();
	for (unsigned int v = 1; v <= nr && v <= 4; v *= 2)
		throughput_round(++r, v);
	atomic_set(&armed, ~0u);
	check_region();
	printf("pagetest: bench done\n");
	xtf_success();
}
