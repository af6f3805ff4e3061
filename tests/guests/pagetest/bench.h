/*
 * bench=N: pagetest as the target of the pager's mode=bench (the page-in
 * figures of `make bench`) instead of the memory test.
 */
#ifndef PAGETEST_BENCH_H
#define PAGETEST_BENCH_H

/*
 * Run on every vCPU (nr of them); vCPU 0 prints the figures and gives
 * the verdict, the others return.
 */
void bench_main(unsigned int vcpu, unsigned int nr, unsigned int n);

#endif /* PAGETEST_BENCH_H */
