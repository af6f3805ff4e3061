/*
 * accessed=1: the pages the pager's mode=accessed asks about are touched
 * only here, round by round as the mailbox says (accessed_mailbox.h), so
 * that the pager knows which of them the CPU must have marked accessed.
 */
#include <xtf.h>
#include <public/sched.h>

#include "accessed.h"
#include "accessed_mailbox.h"
#include "ram.h"

/* The pager's rounds come within seconds (Bochs is slow). */
#define WAIT_S 300

static void wait_for(volatile const uint32_t *mbox, uint32_t past)
{
	uint64_t start = rdtsc();
	uint64_t limit = (uint64_t)(xtf_tsc_khz() ?: 1000000) * 1000 * WAIT_S;

	while (bench_read(mbox, ACC_GO) == past) {
		if (rdtsc() - start > limit)
			xtf_error(
				"pagetest: accessed: no round after %u in %u s",
				past, WAIT_S);
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
}

static void touch(uint32_t r)
{
	for (uint32_t i = 0; i < ACC_N; i++) {
		volatile uint32_t *w = gfn_page(ACC_SPLIT + i);

		if (acc_reads(r, i))
			(void)*w;
		if (acc_writes(r, i))
			*w = r;
	}
	if (r == 1)
		(void)*(volatile uint32_t *)gfn_page(ACC_SUPER_TOUCHED);
}

void accessed_main(void)
{
	volatile uint32_t *mbox = gfn_page(ACC_MBOX_GFN);
	uint32_t r = 0;

	printf("pagetest: accessed: waiting for the pager's rounds\n");
	for (;;) {
		wait_for(mbox, r);
		r = bench_read(mbox, ACC_GO);
		if (r == ACC_END)
			break;
		if (r > ACC_ROUNDS)
			xtf_failure("pagetest: accessed: round %u asked", r);
		touch(r);
		printf("pagetest: accessed: round %u touched\n", r);
		bench_write(mbox, ACC_DONE, r);
	}
	xtf_success();
}
