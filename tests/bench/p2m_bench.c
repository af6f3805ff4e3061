/*
 * Host benchmark of the p2m: the hypervisor sources compiled unchanged
 * against the unit tests' shim (tests/unit/shim: CPUs are threads), built
 * optimised with NDEBUG (no assertions, no lock-rank checker) and without
 * sanitizers; then the paging figures (paging_bench.c). Prints one line
 * per figure, `bench <name> <value> <unit>`, and with -o FILE writes a
 * Markdown report (machine, figures, how to reproduce), keeping the
 * in-guest sections an earlier `make bench` put in FILE. Speeds are
 * reported, never judged: it does not fail on them.
 *
 *   p2m-bench [-o docs/benchmarks.md]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/mm.h>
#include "../../xen/arch/x86/mm/p2m/backend.h"
#include <xen/sched.h>

#include "bench.h"
#include "shim.h"

#define MAX_GFN (1UL << 20) /* 4 GiB of guest-physical space */
#define GIB_GFNS (1UL << PAGE_ORDER_1G)
#define LOOKUPS 2000000UL
#define SETS 500000UL
#define SCALE_ROUNDS 11 /* short runs: a burst of other load hits few */
#define SCALE_MS 100
#define BATCH 64
/* Where the scaling CPUs work: range SCALE_FIRST (+ apart for CPU 1). */
#define SCALE_FIRST 32UL
#define FAR_APART 16UL /* 32 MiB further */

static const struct p2m_backend_ops *const backends[] = { &p2m_npt_ops,
							  &p2m_ept_ops };
#define NR_BACKENDS ARRAY_SIZE(backends)

struct figure {
	const char *name, *unit, *what;
	double value[NR_BACKENDS];
};

enum {
	F_GET_PUT,
	F_GET_PUT_REF,
	F_GET_PUT_NOREF,
	F_SET_4K,
	F_SET_2M,
	F_FILL_4K,
	F_SCALE_LOOKUP_RANGE,
	F_SCALE_LOOKUP_ADJACENT,
	F_SCALE_LOOKUP_GLOBAL,
	F_SCALE_SET_RANGE,
	F_SCALE_SET_GLOBAL,
	F_LOOKUP_1T,
	F_TABLES_4K,
	F_TABLES_2M,
	F_TABLES_1G,
	F_LOCK_BYTES,
	NR_FIGURES
};

static struct figure figures[NR_FIGURES] = {
	[F_GET_PUT] = { "get_put_4k", "ns/op",
			"get_gfn_type_access(P2M_QUERY) + put_gfn of a present "
			"4 KiB entry of the domain's own RAM (its entry keeps "
			"the frame: no page reference), uncontended" },
	[F_GET_PUT_REF] = { "get_put_4k_grant", "ns/op",
			    "the same on a 4 KiB grant entry of another "
			    "domain's frame (takes and drops a page "
			    "reference)" },
	[F_GET_PUT_NOREF] = { "get_put_4k_mmio", "ns/op",
			      "the same on a 4 KiB mmio_direct entry (no "
			      "frame)" },
	[F_SET_4K] = { "set_entry_4k", "ns/op",
		       "p2m_set_entry changing the frame of a 4 KiB entry "
		       "(one notification and flush request each)" },
	[F_SET_2M] = { "set_entry_2m", "ns/op",
		       "p2m_set_entry changing the frame of a 2 MiB entry" },
	[F_FILL_4K] = { "fill_4k", "ns/op",
			"p2m_set_entry filling empty 4 KiB entries, 4 GiB in "
			"order (tables allocated on the way)" },
	[F_SCALE_LOOKUP_RANGE] = { "scale_lookup_range", "x",
				   "lookup throughput, 2 CPUs on disjoint "
				   "2 MiB ranges / 1 CPU (range locks; the "
				   "ranges 32 MiB apart)" },
	[F_SCALE_LOOKUP_ADJACENT] = { "scale_lookup_adjacent", "x",
				      "the same on neighbouring ranges (their "
				      "lock words on different cache lines)" },
	[F_SCALE_LOOKUP_GLOBAL] = { "scale_lookup_global", "x",
				    "the same, every lookup under "
				    "p2m_global_lock instead" },
	[F_SCALE_SET_RANGE] = { "scale_set_range", "x",
				"set_entry throughput, 2 CPUs on disjoint "
				"2 MiB ranges / 1 CPU (range locks, 32 MiB "
				"apart)" },
	[F_SCALE_SET_GLOBAL] = { "scale_set_global", "x",
				 "the same, every set under p2m_global_lock "
				 "instead" },
	[F_LOOKUP_1T] = { "lookup_1cpu_rate", "Mops/s",
			  "1-CPU lookup throughput in the scaling run (range "
			  "locks)" },
	[F_TABLES_4K] = { "tables_per_gib_4k", "bytes",
			  "table memory per GiB mapped with 4 KiB entries "
			  "(4 GiB mapped, all levels, from nr_tables)" },
	[F_TABLES_2M] = { "tables_per_gib_2m", "bytes",
			  "the same with 2 MiB entries" },
	[F_TABLES_1G] = { "tables_per_gib_1g", "bytes",
			  "the same with 1 GiB entries" },
	[F_LOCK_BYTES] = { "range_locks_per_gib", "bytes",
			   "range-lock memory per GiB of guest-physical space "
			   "(p2m_lock_bytes)" },
};

static struct domain dom, other;

static void p2m_new(struct p2m_domain *p2m, const struct p2m_backend_ops *ops)
{
	REQUIRE(!p2m_init(p2m, &dom, ops, MAX_GFN));
}

static void set(struct p2m_domain *p2m, unsigned long gfn, unsigned long mfn,
		unsigned int order, p2m_type_t t)
{
	REQUIRE(!p2m_set_entry(p2m, _gfn(gfn), _mfn(mfn), order, t,
			       p2m_access_rwx));
}

/* Median ns of get_gfn_type_access(QUERY) + put_gfn on gfn. */
static double get_put_ns(struct p2m_domain *p2m, unsigned long gfn)
{
	double runs[ROUNDS];
	unsigned int r;
	unsigned long i;

	for (r = 0; r < ROUNDS; r++) {
		double t0 = now_ns();

		for (i = 0; i < LOOKUPS; i++) {
			p2m_type_t t;

			get_gfn_type_access(p2m, _gfn(gfn), &t, NULL, P2M_QUERY,
					    NULL);
			put_gfn(p2m, _gfn(gfn));
		}
		runs[r] = (now_ns() - t0) / LOOKUPS;
	}
	return median(runs, ROUNDS);
}

/* Median ns of set_entry flipping gfn between frames m0 and m1. */
static double set_ns(struct p2m_domain *p2m, unsigned long gfn,
		     unsigned long m0, unsigned long m1, unsigned int order)
{
	double runs[ROUNDS];
	unsigned int r;
	unsigned long i;

	for (r = 0; r < ROUNDS; r++) {
		double t0 = now_ns();

		for (i = 0; i < SETS; i++)
			set(p2m, gfn, i % 2 ? m1 : m0, order, p2m_ram_rw);
		runs[r] = (now_ns() - t0) / SETS;
	}
	return median(runs, ROUNDS);
}

static void bench_latency(unsigned int b)
{
	struct p2m_domain p2m;
	struct page_info *pg = alloc_domheap_page(&dom, 0);
	struct page_info *granted = alloc_domheap_page(&other, 0);
	unsigned long i;

	REQUIRE(pg && granted);
	p2m_new(&p2m, backends[b]);
	/* A 4 KiB table around the entries, frames that never merge. */
	for (i = 0; i < 512; i++)
		set(&p2m, 0x1000 + i, 0x20000 + (i ^ 1), 0, p2m_ram_rw);
	set(&p2m, 0x1005, page_to_pfn(pg), 0, p2m_ram_rw);
	set(&p2m, 0x1006, 0x30000, 0, p2m_invalid);
	set(&p2m, 0x1006, 0x30000, 0, p2m_mmio_direct);
	set(&p2m, 0x1008, page_to_pfn(granted), 0, p2m_invalid);
	set(&p2m, 0x1008, page_to_pfn(granted), 0, p2m_grant_map_rw);
	figures[F_GET_PUT].value[b] = get_put_ns(&p2m, 0x1005);
	figures[F_GET_PUT_REF].value[b] = get_put_ns(&p2m, 0x1008);
	figures[F_GET_PUT_NOREF].value[b] = get_put_ns(&p2m, 0x1006);
	figures[F_SET_4K].value[b] = set_ns(&p2m, 0x1007, 0x40000, 0x40002, 0);
	set(&p2m, 0x2000, 0x50000, PAGE_ORDER_2M, p2m_ram_rw);
	figures[F_SET_2M].value[b] =
		set_ns(&p2m, 0x2000, 0x50000, 0x50200, PAGE_ORDER_2M);
	p2m_teardown(&p2m);
	free_domheap_page(pg);
	free_domheap_page(granted);
}

/* Table memory per GiB once all of [0, MAX_GFN) is mapped at order. */
static double tables_per_gib(unsigned int b, unsigned int order,
			     double *fill_ns)
{
	struct p2m_domain p2m;
	unsigned long g, step = 1UL << order;
	double t0, bytes;

	p2m_new(&p2m, backends[b]);
	t0 = now_ns();
	/* Frames swapped in pairs at 4 KiB, so that nothing merges. */
	for (g = 0; g < MAX_GFN; g += step)
		set(&p2m, g, order ? g : g ^ 1, order, p2m_ram_rw);
	if (fill_ns)
		*fill_ns = (now_ns() - t0) / (MAX_GFN / step);
	bytes = (double)p2m.nr_tables * PAGE_SIZE / (MAX_GFN / GIB_GFNS);
	p2m_teardown(&p2m);
	return bytes;
}

static void bench_memory(unsigned int b)
{
	figures[F_TABLES_4K].value[b] =
		tables_per_gib(b, PAGE_ORDER_4K, &figures[F_FILL_4K].value[b]);
	figures[F_TABLES_2M].value[b] = tables_per_gib(b, PAGE_ORDER_2M, NULL);
	figures[F_TABLES_1G].value[b] = tables_per_gib(b, PAGE_ORDER_1G, NULL);
	figures[F_LOCK_BYTES].value[b] = p2m_lock_bytes(GIB_GFNS);
}

/* One CPU of a scaling run: operations on its own gfn until told to stop */
struct scaler {
	struct p2m_domain *p2m;
	unsigned long gfn;
	bool global, update;
	unsigned int *ready;
	bool *go, *stop;
	unsigned long ops;
};

static void scale_op(struct scaler *s, unsigned long i)
{
	if (s->global)
		p2m_global_lock(s->p2m);
	if (s->update) {
		set(s->p2m, s->gfn, 0x60000 + 2 * (i % 2), 0, p2m_ram_rw);
	} else {
		p2m_type_t t;

		get_gfn_type_access(s->p2m, _gfn(s->gfn), &t, NULL, P2M_QUERY,
				    NULL);
		put_gfn(s->p2m, _gfn(s->gfn));
	}
	if (s->global)
		p2m_global_unlock(s->p2m);
}

static void scale_cpu(void *arg)
{
	struct scaler *s = arg;
	unsigned long i;

	__atomic_fetch_add(s->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(s->go, __ATOMIC_ACQUIRE))
		cpu_relax();
	while (!__atomic_load_n(s->stop, __ATOMIC_RELAXED)) {
		for (i = 0; i < BATCH; i++)
			scale_op(s, i);
		s->ops += BATCH;
	}
}

/*
 * Operations per second of n CPUs, each on its own 2 MiB range, apart
 * ranges from the previous CPU's.
 */
static double throughput(struct p2m_domain *p2m, unsigned int n,
			 unsigned long apart, bool global, bool update)
{
	struct scaler s[2];
	pthread_t t[2];
	unsigned int i, ready = 0;
	bool go = false, stop = false;
	struct timespec run = { SCALE_MS / 1000, SCALE_MS % 1000 * 1000000L };
	unsigned long ops = 0;
	double t0, t1;

	for (i = 0; i < n; i++) {
		s[i] = (struct scaler){ .p2m = p2m,
					.gfn = (SCALE_FIRST + i * apart)
					       << PAGE_ORDER_2M,
					.global = global,
					.update = update,
					.ready = &ready,
					.go = &go,
					.stop = &stop };
		t[i] = shim_thread_start(scale_cpu, &s[i]);
	}
	while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < n)
		cpu_relax();
	t0 = now_ns();
	__atomic_store_n(&go, true, __ATOMIC_RELEASE);
	nanosleep(&run, NULL);
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++)
		shim_thread_join(t[i]);
	t1 = now_ns();
	for (i = 0; i < n; i++)
		ops += s[i].ops;
	return ops / ((t1 - t0) / 1e9);
}

/* Median ratio of 2-CPU to 1-CPU throughput, measured in turn. */
static double scaling(struct p2m_domain *p2m, unsigned long apart, bool global,
		      bool update, double *one_cpu)
{
	double ratio[SCALE_ROUNDS], one[SCALE_ROUNDS];
	unsigned int r;

	for (r = 0; r < SCALE_ROUNDS; r++) {
		one[r] = throughput(p2m, 1, apart, global, update);
		ratio[r] = throughput(p2m, 2, apart, global, update) / one[r];
	}
	if (one_cpu)
		*one_cpu = median(one, SCALE_ROUNDS) / 1e6;
	return median(ratio, SCALE_ROUNDS);
}

static void bench_scaling(unsigned int b)
{
	static const unsigned long ranges[] = { SCALE_FIRST, SCALE_FIRST + 1,
						SCALE_FIRST + FAR_APART };
	struct p2m_domain p2m;
	unsigned int i, j;

	p2m_new(&p2m, backends[b]);
	/* Each range: a 4 KiB table of frames that never merge. */
	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		for (j = 0; j < 512; j++)
			set(&p2m, (ranges[i] << PAGE_ORDER_2M) + j,
			    0x60000 + 2 * (j ^ 1), 0, p2m_ram_rw);
	figures[F_SCALE_LOOKUP_RANGE].value[b] = scaling(
		&p2m, FAR_APART, false, false, &figures[F_LOOKUP_1T].value[b]);
	figures[F_SCALE_LOOKUP_ADJACENT].value[b] =
		scaling(&p2m, 1, false, false, NULL);
	figures[F_SCALE_LOOKUP_GLOBAL].value[b] =
		scaling(&p2m, FAR_APART, true, false, NULL);
	figures[F_SCALE_SET_RANGE].value[b] =
		scaling(&p2m, FAR_APART, false, true, NULL);
	figures[F_SCALE_SET_GLOBAL].value[b] =
		scaling(&p2m, FAR_APART, true, true, NULL);
	p2m_teardown(&p2m);
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, len, "unknown CPU");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		snprintf(buf, len, "%s", colon + 2);
		buf[strcspn(buf, "\n")] = '\0';
		break;
	}
	fclose(f);
}

/* The 1-minute load average: other work running beside the benchmark. */
static double load_average(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double load = -1;

	if (f) {
		if (fscanf(f, "%lf", &load) != 1)
			load = -1;
		fclose(f);
	}
	return load;
}

static void print_value(FILE *f, double v, const char *unit)
{
	if (!strcmp(unit, "x"))
		fprintf(f, "%.2f", v);
	else if (!strcmp(unit, "bytes"))
		fprintf(f, "%.0f", v);
	else
		fprintf(f, "%.1f", v);
}

static void write_report(const char *path, double load_before,
			 double load_after)
{
	/* Read before the file is truncated. */
	char *guest = guest_sections(path);
	FILE *f = fopen(path, "w");
	char cpu[200], date[64];
	time_t now = time(NULL);
	unsigned int i, b;

	if (!f) {
		perror(path);
		exit(1);
	}
	cpu_model(cpu, sizeof(cpu));
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(f,
		"# Benchmarks\n\n"
		"Generated by `make bench` (tests/bench/p2m_bench.c, "
		"paging_bench.c and\n"
		"guest-bench.sh); do not edit by hand.\n\n"
		"- Machine: %s, %ld CPUs online.\n"
		"- Date: %s.\n"
		"- Build: gcc %s, `-O2 -DNDEBUG`, no sanitizers. NDEBUG "
		"compiles out\n"
		"  assertions and the lock-rank checker (the debug build "
		"checks every lock\n"
		"  acquisition), and makes frame numbers plain integers.\n"
		"- The hypervisor sources run unchanged on the host, against "
		"the unit tests'\n"
		"  shim (tests/unit/shim): CPUs are threads, `cpu_relax()` is "
		"`sched_yield()`,\n"
		"  machine memory is an mmap'd arena.\n"
		"- Latencies are the median of %d runs, scaling ratios the "
		"median of %d ratios\n"
		"  of %d ms runs.\n"
		"- Load average (1 min) before and after: %.2f, %.2f. Other "
		"work on the\n"
		"  machine shows most in the scaling ratios.\n\n",
		cpu, sysconf(_SC_NPROCESSORS_ONLN), date, __VERSION__, ROUNDS,
		SCALE_ROUNDS, SCALE_MS, load_before, load_after);
	fprintf(f, "## p2m\n\n| figure | NPT | EPT | unit | what |\n"
		   "|---|---:|---:|---|---|\n");
	for (i = 0; i < NR_FIGURES; i++) {
		fprintf(f, "| %s |", figures[i].name);
		for (b = 0; b < NR_BACKENDS; b++) {
			fputc(' ', f);
			print_value(f, figures[i].value[b], figures[i].unit);
			fprintf(f, " |");
		}
		fprintf(f, " %s | %s |\n", figures[i].unit, figures[i].what);
	}
	fprintf(f,
		"\nScaling ratios compare throughputs measured one after the "
		"other in the same\n"
		"run: 2.00 is perfect scaling on two CPUs, 1.00 none, below "
		"1.00 worse than one\n"
		"CPU. The global-lock variants take `p2m_global_lock()` around "
		"each operation\n"
		"instead of the 2 MiB range lock, as a p2m with one lock "
		"would. Every set_entry\n"
		"that changes a present entry sends a notification (a flush "
		"request), whose\n"
		"counters CPUs on disjoint ranges still share. With two CPUs "
		"online the\n"
		"scaling figures say little about larger machines.\n\n");
	paging_report(f);
	fputs(guest, f);
	free(guest);
	fprintf(f,
		"## How to reproduce\n\n"
		"    make bench\n\n"
		"builds `build/bench/p2m-bench` and `build/bench/dom-bench`\n"
		"(tests/bench/Makefile), prints one line per figure,\n"
		"`bench <backend>.<name> <value> <unit>` for the p2m and\n"
		"`bench <name> <value> <unit>` for paging, and rewrites this "
		"file up to the\n"
		"in-guest sections, which it keeps as they were (dom-bench "
		"writes its figures\n"
		"to `build/bench/dom.figures`); then "
		"`tests/bench/guest-bench.sh` boots\n"
		"`dist/xen-bench.iso` and `dist/xen-pagebench.iso` under QEMU "
		"and Bochs and\n"
		"`dist/xen-dom0bench.iso` under QEMU, and replaces the "
		"in-guest sections.\n"
		"`make -C tests/bench` runs the host part alone (about a "
		"minute and a half;\n"
		"the paging rows touch 2 GiB of memory, dom-bench 1 GiB). "
		"Benchmarks never\n"
		"fail on speed.\n");
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *report = NULL;
	double load_before = load_average();
	unsigned int i, b;
	int opt;

	while ((opt = getopt(argc, argv, "o:")) != -1) {
		if (opt != 'o') {
			fprintf(stderr, "usage: %s [-o REPORT.md]\n", argv[0]);
			return 2;
		}
		report = optarg;
	}
	shim_init();
	shim_add_ram(BENCH_RAM_START, BENCH_RAM_END);
	domain_mem_init(&dom, 1, 16);
	domain_mem_init(&other, 2, 16);

	for (b = 0; b < NR_BACKENDS; b++) {
		bench_latency(b);
		bench_memory(b);
		bench_scaling(b);
		for (i = 0; i < NR_FIGURES; i++) {
			printf("bench %s.%s ", backends[b]->name,
			       figures[i].name);
			print_value(stdout, figures[i].value[b],
				    figures[i].unit);
			printf(" %s\n", figures[i].unit);
		}
		fflush(stdout);
	}
	paging_bench();
	if (report)
		write_report(report, load_before, load_average());
	return 0;
}
