/*
 * What xl needs from the system it runs on besides the libraries: dom0's
 * minios (tools/minios/xl_os.c) or the host unit tests (tests/unit).
 */
#ifndef XL_OS_H
#define XL_OS_H

#include <stddef.h>

/* The file called name (a boot module `file NAME` in dom0), or NULL. */
const void *xl_os_file(const char *name, size_t *size);
/* Let len bytes of output reach the user. */
void xl_os_write(const char *buf, size_t len);
/* Sleep for ms milliseconds (other threads run). */
void xl_os_sleep_ms(unsigned int ms);

#endif
