/*
 * The p2m conformance suite (xen/arch/x86/mm/p2m/conformance.c) on the host:
 * every case against every backend as a test of its own, then the whole
 * suite on several CPUs at once, as the hypervisor runs it on all CPUs.
 */
#include <stdio.h>
#include <stdlib.h>

#include <xen/mm.h>
#include "../../xen/arch/x86/mm/p2m/conformance.h"
#include <xen/sched.h>

/* The harness's CHECK, not the self-tests' one (which returns TEST_FAIL) */
#undef CHECK
#include "harness.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x10000UL
#define DOMAIN_PAGES 4096
#define THREADS 4
#define ROUNDS 3

static const struct p2m_backend_ops *const backends[] = { &p2m_npt_ops,
							  &p2m_ept_ops };

struct conf_test {
	const struct p2m_backend_ops *ops;
	const struct p2m_conf_case *c;
};

/* Two fresh domains; d with id, foreign with id + 1. */
static void env_init(struct p2m_conf_env *env, struct domain *d,
		     struct domain *foreign, domid_t id)
{
	domain_mem_init(d, id, DOMAIN_PAGES);
	domain_mem_init(foreign, (domid_t)(id + 1), DOMAIN_PAGES);
	*env = (struct p2m_conf_env){ d, foreign };
}

/* One case on one backend; it must give back every page it took. */
static void run_case(const void *arg)
{
	const struct conf_test *ct = arg;
	struct domain d = { 0 }, foreign = { 0 };
	struct p2m_conf_env env;
	unsigned long free_before;

	shim_add_ram(RAM_START, RAM_END);
	env_init(&env, &d, &foreign, 1);
	free_before = total_free_pages();
	if (ct->c->fn(ct->ops, &env) != TEST_PASS)
		FAIL("%s/%s failed (the check is in the output)", ct->ops->name,
		     ct->c->name);
	CHECK_EQ(d.tot_pages, 0);
	CHECK_EQ(foreign.tot_pages, 0);
	/* Table pages and range-lock memory went back to the heap too. */
	CHECK_EQ(total_free_pages(), free_before);
	CHECK_EQ(atomic_depth(), 0);
}

struct conf_cpu {
	const struct p2m_backend_ops *ops;
	unsigned int *started;
	domid_t id;
	unsigned int failed;
};

static void conformance_on_cpu(void *arg)
{
	struct conf_cpu *cpu = arg;
	struct domain d = { 0 }, foreign = { 0 };
	struct p2m_conf_env env;
	unsigned int round;

	env_init(&env, &d, &foreign, cpu->id);
	/* Start together, so that the runs overlap. */
	__atomic_fetch_add(cpu->started, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(cpu->started, __ATOMIC_SEQ_CST) < THREADS)
		cpu_relax();
	for (round = 0; round < ROUNDS; round++)
		cpu->failed += p2m_conformance_run(cpu->ops, &env, false);
	if (d.tot_pages || foreign.tot_pages)
		FAIL("CPU%u: domain pages left: %lu and %lu",
		     smp_processor_id(), d.tot_pages, foreign.tot_pages);
	if (atomic_depth())
		FAIL("CPU%u: atomic depth %u after the suite",
		     smp_processor_id(), atomic_depth());
}

/* The whole suite on THREADS CPUs at once, each with its own domains. */
static void run_on_cpus(const void *arg)
{
	const struct p2m_backend_ops *ops = arg;
	struct conf_cpu cpus[THREADS];
	pthread_t t[THREADS];
	unsigned int i, started = 0;
	unsigned long free_before;

	shim_add_ram(RAM_START, RAM_END);
	free_before = total_free_pages();
	for (i = 0; i < THREADS; i++) {
		cpus[i] = (struct conf_cpu){ ops, &started,
					     (domid_t)(10 + 2 * i), 0 };
		t[i] = shim_thread_start(conformance_on_cpu, &cpus[i]);
	}
	for (i = 0; i < THREADS; i++)
		shim_thread_join(t[i]);
	for (i = 0; i < THREADS; i++)
		if (cpus[i].failed)
			FAIL("%u case runs failed on thread %u (see output)",
			     cpus[i].failed, i);
	CHECK_EQ(total_free_pages(), free_before);
}

__attribute__((constructor)) static void register_conformance(void)
{
	struct conf_test *ct =
		calloc(ARRAY_SIZE(backends) * p2m_conf_nr_cases, sizeof(*ct));
	unsigned int b, i;
	char name[128];

	if (!ct) {
		perror("register_conformance");
		exit(2);
	}
	for (b = 0; b < ARRAY_SIZE(backends); b++) {
		for (i = 0; i < p2m_conf_nr_cases; i++, ct++) {
			*ct = (struct conf_test){ backends[b],
						  &p2m_conf_cases[i] };
			snprintf(name, sizeof(name), "p2m_conf_%s_%s",
				 backends[b]->name, p2m_conf_cases[i].name);
			harness_register_fn(name, __FILE__, __LINE__, run_case,
					    ct);
		}
	}
	for (b = 0; b < ARRAY_SIZE(backends); b++) {
		snprintf(name, sizeof(name), "p2m_conf_%s_%u_cpus",
			 backends[b]->name, THREADS);
		harness_register_fn(name, __FILE__, __LINE__, run_on_cpus,
				    backends[b]);
	}
}
