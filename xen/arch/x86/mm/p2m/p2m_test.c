/* Self-tests: the p2m conformance suite on every CPU at once. */
#include "conformance.h"
#include <xen/sched.h>
#include <xen/smp.h>

struct conf_run {
	const struct p2m_backend_ops *ops;
	unsigned int failed;
};

/* Two domains per CPU, so CPUs do not share accounting. */
static struct domain conf_domains[NR_CPUS][2];

static void conformance_on_this_cpu(void *arg)
{
	struct conf_run *run = arg;
	unsigned int cpu = smp_processor_id();
	struct p2m_conf_env env = { &conf_domains[cpu][0],
				    &conf_domains[cpu][1] };

	domain_mem_init(env.d, (domid_t)(100 + 2 * cpu), 4096);
	domain_mem_init(env.foreign, (domid_t)(101 + 2 * cpu), 4096);
	__atomic_fetch_add(&run->failed,
			   p2m_conformance_run(run->ops, &env, false),
			   __ATOMIC_RELAXED);
}

static enum test_result conformance_all_cpus(const struct p2m_backend_ops *ops)
{
	struct conf_run run = { ops, 0 };

	on_each_cpu(conformance_on_this_cpu, &run, true);
	printk("  %u cases x %u CPUs, %u failed\n", p2m_conf_nr_cases,
	       num_online_cpus(), run.failed);
	CHECK(run.failed == 0);
	return TEST_PASS;
}

SELFTEST(p2m_conformance_npt)
{
	return conformance_all_cpus(&p2m_npt_ops);
}

SELFTEST(p2m_conformance_ept)
{
	return conformance_all_cpus(&p2m_ept_ops);
}
