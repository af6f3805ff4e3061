/*
 * Building domains straight from boot modules (like Xen's dom0less). A
 * module whose string is
 *
 *   domain name=NAME mem=SIZE vcpus=N [cmdline="..."] [cpus=LIST]
 *          [expect=crash|hang|poweroff] [boot=linux|linux32|pvh]
 *
 * becomes a domain running that module: an ELF with a PVH note entered
 * there the PVH way (32-bit protected mode, paging off; only vCPU 0
 * starts, the others wait for VCPUOP_initialise or INIT/SIPI), else a
 * 32-bit ELF entered the same way or a 64-bit ELF entered in long mode on
 * identity page tables the builder writes, every vCPU at the entry;
 * either way RBX = the start-info page. A bzImage (dom_image.c) boots by
 * the Linux boot protocol, or with boot=pvh as the PVH ELF in its
 * payload. A module whose string is
 * `ramdisk`, right after it, is its initrd. Bad strings, sizes or images
 * are reported and that domain is refused; the others still start. The
 * string is parsed by build_spec.c, the image laid out by libimage
 * (shared with dom0's builder), with the domain's ACPI tables. A domain
 * whose build fails is destroyed at once, before the next module. Modules
 * whose string is `file NAME` are files for the control domain
 * (dom_files.c), whose p2m also covers gfns up to 4 GiB for its foreign
 * mappings.
 */
#include <xen/autoexit.h>
#include <xen/build_spec.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <libimage.h>
#include <asm/p2m.h>
#include <xen/sched.h>
#include <asm/bootinfo.h>
#include <asm/dom_build.h>
#include <asm/dom_files.h>
#include <asm/dom_image.h>
#include <asm/hvm.h>

/*
 * gfns after RAM that the builder reserves (not in the memory map), as
 * Xen's toolstack does its special pages: the paging ring
 * (HVM_PARAM_PAGING_RING_PFN), left empty for a pager to populate, and
 * the PV console ring. The domain may have as many pages more than its
 * RAM.
 */
#define SPECIAL_GFNS 2
#define SPECIAL_GFN_PAGING_RING 0
#define SPECIAL_GFN_CONSOLE 1 /* the PV console ring: xen/pv_console.h */

/*
 * The control domain's gfns with range locks of their own (the p2m takes
 * every gfn the guest can address): its RAM, then room for foreign
 * mappings.
 */
#define CONTROL_MAX_GFN (DOMAIN_MEM_MAX >> PAGE_SHIFT)

/* Guest RAM [0, mem): 2 MiB frames where possible. */
static int populate_ram(struct domain *d, unsigned long mem)
{
	unsigned long gfn = 0, nr = mem >> PAGE_SHIFT;

	while (gfn < nr) {
		unsigned int order = 0;
		struct page_info *pg = NULL;
		int rc;

		if (IS_ALIGNED(gfn, 1UL << PAGE_ORDER_2M) &&
		    nr - gfn >= (1UL << PAGE_ORDER_2M)) {
			pg = alloc_domheap_pages(d, PAGE_ORDER_2M, 0);
			order = PAGE_ORDER_2M;
		}
		if (!pg) {
			order = 0;
			pg = alloc_domheap_page(d, 0);
		}
		if (!pg)
			return -ENOMEM;
		rc = p2m_set_entry(d->p2m, _gfn(gfn), _mfn(page_to_pfn(pg)),
				   order, p2m_ram_rw, p2m_access_rwx);
		if (rc)
			return rc;
		gfn += 1UL << order;
	}
	return 0;
}

/* libimage writes the new domain's memory through these. */
static int write_guest(void *ctx, u64 gpa, const void *buf, size_t len)
{
	return hvm_copy_to_guest_phys(ctx, gpa, buf, len);
}

static int clear_guest(void *ctx, u64 gpa, size_t len)
{
	return hvm_clear_guest_phys(ctx, gpa, len);
}

static const struct image_ops guest_phys_ops = {
	.write = write_guest,
	.clear = clear_guest,
};

/* A domain's initrd: the `ramdisk` module after its own, placed. */
struct ramdisk {
	const struct boot_module *m; /* NULL: none */
	paddr_t gpa;
};

static int build(struct domain *d, const struct build_spec *s,
		 const struct dom_image *di, const struct files_layout *files,
		 const struct ramdisk *rd)
{
	static struct image_module mods[MAX_BOOT_MODULES];
	struct image_params params = {
		.mem = s->mem,
		.cmdline = s->cmdline,
		.vcpus = s->vcpus,
		.control = control_domain_would_take(d->name),
		.modules = mods,
		.nr_modules = files->nr,
	};
	struct image_start is;
	struct hvm_vcpu start;
	unsigned int i;
	int rc;

	/*
	 * More than is free now cannot be built: touch nothing, so that
	 * running domains never find the heap drained by a hopeless build.
	 * (Memory freed meanwhile is not waited for; memory taken meanwhile,
	 * or the p2m's own tables, can still make populating fail.)
	 */
	if (s->mem >> PAGE_SHIFT > total_free_pages())
		return -ENOMEM;
	rc = hvm_domain_init(d, control_domain_would_take(d->name) ?
					CONTROL_MAX_GFN :
					(s->mem >> PAGE_SHIFT) + SPECIAL_GFNS);
	if (!rc)
		rc = populate_ram(d, s->mem);
	d->hvm_params[HVM_PARAM_PAGING_RING_PFN] =
		(s->mem >> PAGE_SHIFT) + SPECIAL_GFN_PAGING_RING;
	if (rd->m) {
		params.ramdisk = __va(rd->m->start);
		params.ramdisk_size = rd->m->end - rd->m->start;
		params.ramdisk_gpa = rd->gpa;
	}
	if (!rc)
		rc = boot_files_load(d, files, mods);
	if (!rc)
		rc = dom_image_load(di, &params, &guest_phys_ops, d, &is);
	start = (struct hvm_vcpu){
		.rip = is.entry,
		.entry_64bit = is.is64,
		.cr3 = is.cr3,
	};
	start.regs.rbx = is.rbx;
	start.regs.rsi = is.rsi;
	for (i = 0; i < s->vcpus && !rc; i++) {
		/* PVH: vCPU 0 alone starts; the others wait for a start. */
		start.down = start.unstarted = (is.pvh || is.linux_boot) && i;
		rc = vcpu_create(d, i, hvm_vcpu_loop);
		if (!rc)
			rc = hvm_vcpu_init(d->vcpu[i], &start);
		if (!rc && s->have_cpus)
			rc = vcpu_set_affinity(d->vcpu[i], &s->cpus);
	}
	if (!rc)
		rc = pv_console_setup(d, (s->mem >> PAGE_SHIFT) +
						 SPECIAL_GFN_CONSOLE);
	return rc;
}

/* The names of the modules whose strings parsed, by module index. */
static char module_names[MAX_BOOT_MODULES]
			[sizeof(((struct build_spec *)0)->name)];

/* Module idx takes its name unless an earlier module has it already. */
static int claim_name(unsigned int idx, const char *name, char *why,
		      size_t size)
{
	unsigned int i;

	for (i = 0; i < idx; i++)
		if (!strcmp(module_names[i], name))
			return refuse(-EINVAL, why, size,
				      "name=%s: module %u has that name", name,
				      i);
	strlcpy(module_names[idx], name, sizeof(module_names[idx]));
	return 0;
}

/*
 * A failed build gives back everything it took (pages, p2m tables, vCPUs
 * and their stacks, event channels) before the next module is built.
 */
static void build_failed(struct domain *d, int rc, unsigned long free_before)
{
	domid_t id = d->domain_id;
	char name[sizeof(d->name)];

	strlcpy(name, d->name, sizeof(name));
	domain_destroy_unbuilt(d);
	printk(XENLOG_ERR "d%u (%s): build failed (%d): destroyed, %lu pages "
			  "free (%lu before it was created)\n",
	       id, name, rc, total_free_pages(), free_before);
}

/*
 * The ramdisk after the image (its end moves up to the ramdisk's): 0, or
 * -EINVAL with the reason in why[size].
 */
static int place_ramdisk(unsigned int idx, unsigned long mem,
			 paddr_t *image_end, struct ramdisk *rd, char *why,
			 size_t size)
{
	char bad[120];
	u64 gpa, len;

	if (!rd->m)
		return 0;
	len = rd->m->end - rd->m->start;
	if (ramdisk_spec_check(rd->m->string, bad, sizeof(bad)))
		return refuse(-EINVAL, why, size, "its ramdisk (module %u): %s",
			      idx + 1, bad);
	if (image_ramdisk_place(*image_end, mem, len, &gpa, why, size))
		return -EINVAL;
	rd->gpa = gpa;
	*image_end = gpa + len;
	return 0;
}

/*
 * The domain module idx became (paused, referenced), or NULL. rd->m: its
 * ramdisk module, or NULL.
 */
static struct domain *build_one(unsigned int idx, const struct boot_module *m,
				struct ramdisk *rd)
{
	static struct dom_image image;
	/* Too big for the stack (the command line); boot CPU only. */
	static struct build_spec spec;
	unsigned long free_before = total_free_pages();
	struct files_layout files = { .nr = 0 };
	paddr_t image_end = 0;
	char why[160];
	struct domain *d;
	int rc;

	if (build_spec_parse(m->string, &spec, why, sizeof(why)) ||
	    claim_name(idx, spec.name, why, sizeof(why)) ||
	    dom_image_check(&image, __va(m->start), m->end - m->start, &spec,
			    &image_end, why, sizeof(why)) ||
	    place_ramdisk(idx, spec.mem, &image_end, rd, why, sizeof(why)) ||
	    (control_domain_would_take(spec.name) &&
	     boot_files_layout(spec.mem, image_end, &files, why,
			       sizeof(why)))) {
		printk(XENLOG_ERR "module %u ('%.*s%s'): %s: refused\n", idx,
		       MODULE_SHOWN(m->string), why);
		dom_image_release(&image);
		return NULL;
	}
	d = domain_create(0, spec.name, spec.vcpus,
			  (spec.mem >> PAGE_SHIFT) + SPECIAL_GFNS, &rc);
	if (!d) {
		printk(XENLOG_ERR "module %u: cannot create domain '%s' (%d)\n",
		       idx, spec.name, rc);
		dom_image_release(&image);
		return NULL;
	}
	/* Held while building: a remote shutdown cannot free it under us. */
	domain_get(d->domain_id);
	rc = build(d, &spec, &image, &files, rd);
	dom_image_release(&image);
	if (rc) {
		build_failed(d, rc, free_before);
		return NULL;
	}
	d->has_verdict = true;
	d->expect = spec.expect;
	d->hide_xen_cpuid = spec.hide_xen_cpuid;
	strlcpy(d->expect_reason, spec.expect_reason, sizeof(d->expect_reason));
	control_domain_offer(d);
	printk("d%u (%s): %lu MiB, %u vCPU%s, %u-bit, %sentry %#lx%s%s\n",
	       d->domain_id, d->name, spec.mem >> 20, spec.vcpus,
	       spec.vcpus > 1 ? "s" : "", guest_image_is64(&image.gi) ? 64 : 32,
	       image.gi.elf.pvh ? "PVH " : "",
	       (unsigned long)guest_image_entry(&image.gi), image.gi.what,
	       autoexit_expect_note(spec.expect));
	if (rd->m)
		printk("d%u (%s): ramdisk (module %u, %lu KiB) at %#lx-%#lx\n",
		       d->domain_id, d->name, idx + 1,
		       (unsigned long)(rd->m->end - rd->m->start) >> 10,
		       (unsigned long)rd->gpa,
		       (unsigned long)(rd->gpa + rd->m->end - rd->m->start -
				       1));
	if (files.nr)
		printk("d%u (%s): %u file%s at %#lx-%#lx\n", d->domain_id,
		       d->name, files.nr, files.nr > 1 ? "s" : "",
		       (unsigned long)files.base, spec.mem - 1);
	return d;
}

/*
 * Every module is built before any domain runs: building keeps the boot
 * CPU busy (for seconds under Bochs), and a domain whose vCPUs were split
 * between it and another CPU would see some of them stand still.
 */
unsigned int build_domains_from_modules(void)
{
	static struct domain *built[MAX_BOOT_MODULES];
	unsigned int i, nr = 0;

	boot_files_collect();
	for (i = 0; i < boot_info.nr_modules; i++) {
		struct ramdisk rd = { .m = NULL };
		struct domain *d;

		if (boot_module_is_file(i))
			continue;
		if (is_ramdisk_spec(boot_info.modules[i].string)) {
			printk(XENLOG_ERR "module %u ('%.*s%s'): a ramdisk "
					  "with no domain module right before "
					  "it: refused\n",
			       i, MODULE_SHOWN(boot_info.modules[i].string));
			continue;
		}
		if (i + 1 < boot_info.nr_modules &&
		    is_ramdisk_spec(boot_info.modules[i + 1].string))
			rd.m = &boot_info.modules[i + 1];
		d = build_one(i, &boot_info.modules[i], &rd);
		if (d)
			built[nr++] = d;
		/* Its ramdisk goes with it, built or refused. */
		if (rd.m)
			i++;
	}
	boot_files_report(control_domain() != NULL);
	control_domain_report();
	for (i = 0; i < nr; i++) {
		domain_unpause(built[i]);
		domain_put(built[i]);
	}
	return nr;
}
