/*
 * xl: the command-line tool, Xen's names and output. xl_main() runs one
 * command line already split into words (argv[0] is "xl"); each command
 * prints its result or a message saying what is wrong and returns 0 or 1.
 * Domains are named by name or by id.
 */
#ifndef XL_H
#define XL_H

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>

int xl_main(int argc, char **argv);

/* Output (through xl_os_write). */
void xl_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "xl CMD: MESSAGE" and 1, for a command that fails. */
int xl_fail(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The library handle for this command (opened by xl_main). */
xc_interface *xl_xch(void);

/*
 * The domain a word names: an id (decimal) or a name. 0 and *domid, or
 * 1 having said why (no such domain).
 */
int xl_find_domain(const char *cmd, const char *word, uint32_t *domid);
/* The domain called name: 0 and *domid, or -1 (none), saying nothing. */
int xl_find_domain_by_name(const char *name, uint32_t *domid);
/* The domain's name into name[size] ("(unknown)" if it has none). */
void xl_domain_name(uint32_t domid, char *name, size_t size);
/*
 * A size: decimal with an optional K, M, G suffix (KiB, MiB, GiB; a
 * plain number is MiB, as in xl's mem= and mem-set) into *bytes: false
 * if malformed or too big.
 */
bool xl_parse_size(const char *s, uint64_t *bytes);
/* A decimal number below limit (10 or more) into *v: false if malformed. */
bool xl_parse_uint(const char *s, unsigned long limit, unsigned long *v);

/* The commands: argc/argv start at the command's name. */
int xl_create(int argc, char **argv);
int xl_destroy(int argc, char **argv);
int xl_pause(int argc, char **argv);
int xl_unpause(int argc, char **argv);
int xl_mem_set(int argc, char **argv);
int xl_wait(int argc, char **argv);
int xl_list(int argc, char **argv);
int xl_info(int argc, char **argv);
int xl_dmesg(int argc, char **argv);
int xl_console_log(int argc, char **argv);

#endif
