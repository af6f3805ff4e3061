/*
 * The file table: one entry per start-info module, named by the
 * module's cmdline. At most MAX_FILES; the rest are reported and left
 * out.
 */
#include <stdio.h>
#include <string.h>

#include <public/start_info.h>

#include <minios/files.h>

#define MAX_FILES 64

static struct file files[MAX_FILES];
static unsigned int nr_files;

unsigned int files_init(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *mods =
		(const void *)(uintptr_t)si->modlist_paddr;

	nr_files = 0;
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		const char *name =
			(const char *)(uintptr_t)mods[i].cmdline_paddr;

		if (!mods[i].cmdline_paddr || !*name) {
			printf("dom0: module %u has no name: left out\n", i);
			continue;
		}
		if (file_find(name)) {
			printf("dom0: module %u: a file '%s' exists: left out\n",
			       i, name);
			continue;
		}
		if (nr_files == MAX_FILES) {
			printf("dom0: module %u ('%s'): more than %u files: "
			       "left out\n",
			       i, name, MAX_FILES);
			continue;
		}
		files[nr_files++] = (struct file){
			.name = name,
			.data = (const void *)(uintptr_t)mods[i].paddr,
			.size = mods[i].size,
		};
	}
	return nr_files;
}

const struct file *file_find(const char *name)
{
	for (unsigned int i = 0; i < nr_files; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return NULL;
}

const struct file *file_at(unsigned int i)
{
	return i < nr_files ? &files[i] : NULL;
}

unsigned int files_count(void)
{
	return nr_files;
}

size_t file_read(const struct file *f, size_t off, void *buf, size_t len)
{
	if (off >= f->size)
		return 0;
	if (len > f->size - off)
		len = f->size - off;
	memcpy(buf, (const char *)f->data + off, len);
	return len;
}
