/*
 * Files: the boot modules the hypervisor hands dom0 (a module string
 * `file NAME` becomes a start-info module whose cmdline is NAME). They
 * are read-only and stay where the hypervisor put them, in dom0's RAM.
 */
#ifndef MINIOS_FILES_H
#define MINIOS_FILES_H

#include <stddef.h>

struct hvm_start_info;

struct file {
	const char *name;
	const void *data;
	size_t size;
};

/*
 * Take si's modules as the file table. A module without a name, or with
 * the name of an earlier one, is skipped with a message. Returns how many
 * files there are.
 */
unsigned int files_init(const struct hvm_start_info *si);

/* The file called name, or NULL. */
const struct file *file_find(const char *name);
/* The i-th file (from 0), or NULL past the last. */
const struct file *file_at(unsigned int i);
unsigned int files_count(void);

/*
 * Up to len bytes of f from offset off into buf: how many (0 at or past
 * the end).
 */
size_t file_read(const struct file *f, size_t off, void *buf, size_t len);

#endif /* MINIOS_FILES_H */
