/*
 * pagetest accessed=1 (the target) and the pager's mode=accessed (the
 * control domain, which reads the target's accessed bits with
 * XENMEM_paging_op_accessed): the mailbox is the target's gfn
 * ACC_MBOX_GFN, which the pager maps. The pager writes a round in
 * ACC_GO; the target touches that round's pages, then writes the round
 * in ACC_DONE. Round ACC_END ends the target (SUCCESS).
 *
 * The pages: ACC_N gfns from ACC_SPLIT (4 KiB entries: the pager pages
 * out gfn ACC_SPLIT + ACC_N, which splits their 2 MiB superpage), and
 * the 2 MiB superpage at ACC_SUPER, of which the target touches one page
 * in round 1. The target needs 16 MiB.
 */
#ifndef PAGETEST_ACCESSED_MAILBOX_H
#define PAGETEST_ACCESSED_MAILBOX_H

#include <stdbool.h>
#include <stdint.h>

/* Its words are read and written with bench_read() and bench_write(). */
#include "bench_mailbox.h"

#define ACC_MBOX_GFN 0x400u
#define ACC_SPLIT 0x600u
#define ACC_N 96u
#define ACC_SUPER 0x800u
#define ACC_SUPER_N 512u
#define ACC_SUPER_TOUCHED (ACC_SUPER + 7u)
#define ACC_ROUNDS 2u
#define ACC_END 3u

/* The 32-bit words of the mailbox page. */
#define ACC_GO 0
#define ACC_DONE 1

/* Whether round r (1 or 2) reads page ACC_SPLIT + i. */
static inline bool acc_reads(uint32_t r, uint32_t i)
{
	return r == 1 ? i % 3 == 0 : i % 7 == 1;
}

/* Whether round r (1 or 2) writes page ACC_SPLIT + i. */
static inline bool acc_writes(uint32_t r, uint32_t i)
{
	return r == 1 ? i % 5 == 0 : i % 11 == 4;
}

#endif /* PAGETEST_ACCESSED_MAILBOX_H */
