/*
 * Boot modules whose string is `file NAME`: files for the control domain
 * (its script, guest images), copied into its RAM and listed as start-info
 * modules whose command line is NAME (dom_files.c).
 */
#ifndef ASM_DOM_FILES_H
#define ASM_DOM_FILES_H

#include <xen/sched.h>
#include <xen/types.h>
#include <libimage.h>

/* Parse every `file` module; refuse bad and duplicate names (boot CPU). */
void boot_files_collect(void);

/* Module idx is a file (taken by boot_files_collect, or refused there). */
bool boot_module_is_file(unsigned int idx);

/* Where the files go in a domain of mem bytes, or why they do not fit. */
struct files_layout {
	paddr_t base; /* the lowest byte they take (mem if none) */
	paddr_t names; /* the page of their names, right below them */
	unsigned int nr;
};

/*
 * Place the files at the top of [0, mem), above image_end (the image's
 * or its ramdisk's highest byte + 1): 0, or -ENOSPC with the reason in
 * why[size].
 */
int boot_files_layout(unsigned long mem, paddr_t image_end,
		      struct files_layout *l, char *why, size_t size);

/*
 * Copy the files and their names into d as *l says; mods[l->nr]: where
 * they are, for the start info's module list.
 */
int boot_files_load(struct domain *d, const struct files_layout *l,
		    struct image_module *mods);

/* Say so if files were given but no domain took them (boot CPU). */
void boot_files_report(bool taken);

#endif
