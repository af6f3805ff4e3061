/*
 * checkperm=1: pagetest is not the control domain, so the pager's calls
 * are refused to it.
 */
#ifndef PAGETEST_PERM_H
#define PAGETEST_PERM_H

/* domctl and XENMEM_paging_op on itself must be -EPERM (else FAILURE). */
void check_not_control(void);

#endif /* PAGETEST_PERM_H */
