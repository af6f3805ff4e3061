/*
 * fair_share: how much of the wall time did this vCPU run? It reads the TSC
 * in a tight loop for seconds=S (default 2): a step shorter than 50 us is
 * time it ran, a longer one time it was descheduled. SUCCESS if the share it
 * ran is within tolerance=T points (default 25) of expect_share=P percent
 * (default 100); two such domains pinned to one pCPU should each get 50.
 * The TSC frequency comes from CPUID 0x40000003, else from tsc_khz=K on the
 * command line (for a run without the hypervisor).
 *
 * waker_us=N makes it a vCPU that blocks and wakes itself: every N us of
 * running it sleeps sleep_us=M us (default 1; SCHEDOP_poll with a
 * timeout), so every wake-up is one the scheduler may boost. Beside it a plain one must still get
 * its share: boosts are paid from a limited budget (schedule.c).
 */
#include <xtf.h>

#define GAP_US 50

void test_main(unsigned int vcpu)
{
	unsigned long seconds = cmdline_uint("seconds", 2);
	unsigned long expect = cmdline_uint("expect_share", 100);
	unsigned long tolerance = cmdline_uint("tolerance", 25);
	unsigned long waker_us = cmdline_uint("waker_us", 0);
	unsigned long sleep_us = cmdline_uint("sleep_us", 1);
	uint32_t khz = xtf_tsc_khz() ?: cmdline_uint("tsc_khz", 0);
	uint64_t start, end, prev, now, gap, ran = 0, longest = 0, woke, wake;
	unsigned int gaps = 0, share;
	int off;

	if (vcpu)
		return;
	if (!khz)
		xtf_skip(
			"TSC frequency unknown: no CPUID 0x40000003, no tsc_khz=");
	if (!seconds || expect > 100)
		xtf_error("want seconds >= 1 and expect_share <= 100");
	gap = (uint64_t)khz * GAP_US / 1000;
	printf("fair_share: running %lu s at %u kHz, expecting %lu%% +- %lu\n",
	       seconds, khz, expect, tolerance);

	wake = (uint64_t)khz * waker_us / 1000;
	start = prev = woke = rdtsc();
	end = start + (uint64_t)khz * 1000 * seconds;
	while ((now = rdtsc()) < end) {
		uint64_t step = now - prev, ns;

		if (wake && now - woke >= wake && !hypercall_get_time(&ns)) {
			sched_poll(NULL, 0, ns + sleep_us * 1000);
			woke = now = rdtsc();
			step = now - prev;
		}

		if (step < gap) {
			ran += step;
		} else {
			gaps++;
			if (step > longest)
				longest = step;
		}
		prev = now;
	}

	share = ran * 1000 / (prev - start); /* per mille */
	off = (int)share - (int)expect * 10;
	printf("fair_share: ran %u.%u%% of %lu s; %u gaps over %u us, the longest %llu us\n",
	       share / 10, share % 10, seconds, gaps, GAP_US,
	       longest * 1000 / khz);
	if (off < -(int)tolerance * 10 || off > (int)tolerance * 10)
		xtf_failure("ran %u.%u%%, expected %lu%% +- %lu", share / 10,
			    share % 10, expect, tolerance);
	xtf_success();
}
