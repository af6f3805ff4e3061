/*
 * What xenpaging needs from the system it runs on besides the libraries:
 * dom0's minios (tools/minios/shell/xenpaging_command.c) or the host unit
 * tests (tests/unit/libs).
 */
#ifndef XENPAGING_OS_H
#define XENPAGING_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Nanoseconds on a clock that only goes forward. */
uint64_t xp_os_now_ns(void);
/* Let len bytes of output reach the user. */
void xp_os_write(const char *buf, size_t len);
/*
 * A thread named name that calls run(arg) until it returns false, letting
 * other threads run between calls: 0, or a negative errno.
 */
int xp_os_thread_start(const char *name, bool (*run)(void *arg), void *arg);
/* Sleep for ms milliseconds (other threads run). */
void xp_os_sleep_ms(unsigned int ms);

#endif /* XENPAGING_OS_H */
