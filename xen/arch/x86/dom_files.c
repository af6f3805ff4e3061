/*
 * Files for the control domain. A boot module whose string is
 *
 *   file NAME
 *
 * is not a domain: the domain that becomes the control domain gets it in
 * its RAM, and finds it through its start info: a PVH module (libimage
 * writes the list, after the domain's ramdisk if it has one) with paddr
 * and size (the file's bytes, page-aligned) and cmdline_paddr (NAME,
 * NUL-terminated). They lie at the top of its RAM, the names in the page
 * below the files; the memory map still calls that RAM, so the kernel
 * must keep its allocator off them (as with any PVH module).
 */
#include <xen/build_spec.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/bootinfo.h>
#include <asm/dom_files.h>
#include <asm/hvm.h>

struct boot_file {
	unsigned int idx; /* the boot module */
	char name[FILE_NAME_MAX];
};

static struct boot_file files[MAX_BOOT_MODULES];
static unsigned int nr_files;
/* Every module whose string starts with `file`, taken or refused. */
static bool is_file[MAX_BOOT_MODULES];

/* The names page: the names, FILE_NAME_MAX apart. */
#define NAME_GPA(names, i) ((names) + (i)*FILE_NAME_MAX)

static const struct boot_module *file_module(unsigned int i)
{
	return &boot_info.modules[files[i].idx];
}

static bool name_taken(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_files; i++)
		if (!strcmp(files[i].name, name))
			return true;
	return false;
}

void boot_files_collect(void)
{
	unsigned int i;

	BUILD_BUG_ON(MAX_BOOT_MODULES * FILE_NAME_MAX > PAGE_SIZE);
	BUILD_BUG_ON(MAX_BOOT_MODULES > IMAGE_MAX_MODULES);
	for (i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		struct boot_file *f = &files[nr_files];
		char why[160];

		if (!is_file_spec(m->string))
			continue;
		is_file[i] = true;
		if (file_spec_parse(m->string, f->name, why, sizeof(why))) {
			printk(XENLOG_ERR "module %u ('%.*s%s'): %s: refused\n",
			       i, MODULE_SHOWN(m->string), why);
			continue;
		}
		if (name_taken(f->name)) {
			printk(XENLOG_ERR "module %u (file %s): a file of that "
					  "name was given before: refused\n",
			       i, f->name);
			continue;
		}
		f->idx = i;
		nr_files++;
	}
}

bool boot_module_is_file(unsigned int idx)
{
	return idx < MAX_BOOT_MODULES && is_file[idx];
}

int boot_files_layout(unsigned long mem, paddr_t image_end,
		      struct files_layout *l, char *why, size_t size)
{
	paddr_t top = mem, need = 0;
	unsigned int i;

	l->nr = nr_files;
	l->base = mem;
	l->names = 0;
	if (!nr_files)
		return 0;
	for (i = 0; i < nr_files; i++) {
		const struct boot_module *m = file_module(i);

		need += ROUNDUP(m->end - m->start, PAGE_SIZE);
	}
	need += PAGE_SIZE;
	/* Written so that nothing wraps: need and image_end are below 2^63. */
	if (need > mem || mem - need < image_end)
		return refuse(-ENOSPC, why, size,
			      "its %u file%s (%lu KiB with their names) do not "
			      "fit in mem= above its image and ramdisk (which "
			      "end at %#lx)",
			      nr_files, nr_files > 1 ? "s" : "",
			      (unsigned long)(need >> 10),
			      (unsigned long)image_end);
	top -= need;
	l->base = top;
	l->names = top;
	return 0;
}

int boot_files_load(struct domain *d, const struct files_layout *l,
		    struct image_module *mods)
{
	paddr_t at = l->names + PAGE_SIZE;
	unsigned int i;
	int rc = 0;

	for (i = 0; i < l->nr && !rc; i++) {
		const struct boot_module *m = file_module(i);

		mods[i] = (struct image_module){
			.gpa = at,
			.size = m->end - m->start,
			.cmdline_gpa = NAME_GPA(l->names, i),
		};
		rc = hvm_copy_to_guest_phys(d, at, __va(m->start),
					    mods[i].size);
		if (!rc)
			rc = hvm_copy_to_guest_phys(d, mods[i].cmdline_gpa,
						    files[i].name,
						    strlen(files[i].name) + 1);
		at += ROUNDUP(mods[i].size, PAGE_SIZE);
	}
	return rc;
}

void boot_files_report(bool taken)
{
	if (nr_files && !taken)
		printk(XENLOG_WARNING "%u file module%s but no control "
				      "domain: given to no domain\n",
		       nr_files, nr_files > 1 ? "s" : "");
}
