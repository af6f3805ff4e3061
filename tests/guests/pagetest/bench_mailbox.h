/*
 * The mailbox of pagetest's bench=N and the pager's mode=bench: the page
 * at gfn bench_gfn (both command lines name it), followed by the 2N pages
 * of the benchmark's region. pagetest writes the round it wants in
 * BENCH_ASK and waits; the pager (which keeps the page mapped) pauses it,
 * sets the region up, writes the round in BENCH_DONE and unpauses it.
 * Round 1 (BENCH_RATIO): the first N pages evicted, the next N only
 * nominated. Later rounds: all 2N evicted.
 */
#ifndef PAGETEST_BENCH_MAILBOX_H
#define PAGETEST_BENCH_MAILBOX_H

#include <stdint.h>

/* The 32-bit words of the mailbox page. */
#define BENCH_ASK 0
#define BENCH_DONE 1

#define BENCH_RATIO 1
/* The largest N either side accepts. */
#define BENCH_MAX 1024

static inline uint32_t bench_read(volatile const uint32_t *mbox,
				  unsigned int word)
{
	return __atomic_load_n(&mbox[word], __ATOMIC_ACQUIRE);
}

static inline void bench_write(volatile uint32_t *mbox, unsigned int word,
			       uint32_t v)
{
	__atomic_store_n(&mbox[word], v, __ATOMIC_RELEASE);
}

#endif /* PAGETEST_BENCH_MAILBOX_H */
