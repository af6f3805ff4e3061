/*
 * accessed=1: pagetest as the target of the pager's mode=accessed
 * (accessed_mailbox.h) instead of the memory test.
 */
#ifndef PAGETEST_ACCESSED_H
#define PAGETEST_ACCESSED_H

/* vCPU 0 touches the rounds' pages and gives the verdict. */
void accessed_main(void);

#endif /* PAGETEST_ACCESSED_H */
