/*
 * Building domains straight from boot modules (like Xen's dom0less). A
 * module whose string is
 *
 *   domain name=NAME mem=SIZE vcpus=N [cmdline="..."] [cpus=LIST]
 *          [expect=crash]
 *
 * becomes a domain running that module, a 32-bit ELF entered the PVH way:
 * protected mode, paging off, EBX = the start-info page. Every vCPU starts
 * at the entry. Bad strings, sizes or images are reported and that domain
 * is skipped; the others still start.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/p2m.h>
#include <xen/sched.h>
#include <asm/bootinfo.h>
#include <asm/dom_build.h>
#include <asm/hvm.h>

#define START_INFO_GPA 0x6000UL
#define MEMMAP_GPA (START_INFO_GPA + 0x40)
#define CMDLINE_GPA (START_INFO_GPA + 0x80)
#define CMDLINE_MAX (PAGE_SIZE - 0x80)
#define MIN_MEM (1UL << 20)
#define MAX_MEM (4UL << 30)
#define HVM_START_MAGIC 0x336ec578

struct hvm_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	u32 memmap_entries, reserved;
};

struct hvm_memmap_entry {
	u64 addr, size;
	u32 type, reserved;
};

struct build_spec {
	char name[32];
	unsigned long mem;
	unsigned int vcpus;
	char cmdline[MODULE_STRING_MAX];
	cpumask_t cpus;
	bool have_cpus;
	enum domain_expect expect;
};

struct elf32_ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version, entry, phoff, shoff, flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __packed;

struct elf32_phdr {
	u32 type, offset, vaddr, paddr, filesz, memsz, flags, align;
} __packed;

#define PT_LOAD 1

static domid_t next_domid = 1;

/* Next token of s (value may be "quoted"); NULL at the end. */
static char *next_token(char **s)
{
	char *p = *s, *tok, *out;
	bool quoted = false;

	while (*p == ' ')
		p++;
	if (!*p)
		return NULL;
	tok = out = p;
	for (; *p && (quoted || *p != ' '); p++) {
		if (*p == '"')
			quoted = !quoted;
		else
			*out++ = *p;
	}
	if (*p)
		p++;
	*out = '\0';
	*s = p;
	return tok;
}

static bool valid_name(const char *n)
{
	if (!*n || strlen(n) >= sizeof(((struct build_spec *)0)->name))
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') ||
		      (*n >= '0' && *n <= '9') || *n == '_' || *n == '-'))
			return false;
	return true;
}

static int parse_cpus(const char *s, cpumask_t *m)
{
	cpumask_clear(m);
	while (*s) {
		const char *end;
		unsigned long a = simple_strtoul(s, &end, 10), b = a;

		if (end == s)
			return -EINVAL;
		s = end;
		if (*s == '-') {
			b = simple_strtoul(s + 1, &end, 10);
			if (end == s + 1 || b < a)
				return -EINVAL;
			s = end;
		}
		if (b >= NR_CPUS)
			return -EINVAL;
		for (; a <= b; a++)
			cpumask_set_cpu(a, m);
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return cpumask_empty(m) ? -EINVAL : 0;
}

/* Parse a module string; on error explain why in *why. */
static int parse_spec(const char *string, struct build_spec *spec,
		      const char **why)
{
	char buf[MODULE_STRING_MAX], *p = buf, *tok;

	*spec = (struct build_spec){ .vcpus = 1 };
	strlcpy(buf, string, sizeof(buf));
	tok = next_token(&p);
	if (!tok || strcmp(tok, "domain")) {
		*why = "not a domain (the string must start with 'domain')";
		return -EINVAL;
	}
	while ((tok = next_token(&p))) {
		char *val = strchr(tok, '=');
		const char *end;

		if (!val) {
			*why = "an option without a value";
			return -EINVAL;
		}
		*val++ = '\0';
		if (!strcmp(tok, "name")) {
			if (!valid_name(val)) {
				*why = "bad name (1-31 of a-z A-Z 0-9 _ -)";
				return -EINVAL;
			}
			strlcpy(spec->name, val, sizeof(spec->name));
		} else if (!strcmp(tok, "mem")) {
			spec->mem = parse_size_and_unit(val, &end);
			if (*end || spec->mem < MIN_MEM ||
			    spec->mem > MAX_MEM ||
			    !IS_ALIGNED(spec->mem, PAGE_SIZE)) {
				*why = "bad mem (1M to 4G, whole pages)";
				return -EINVAL;
			}
		} else if (!strcmp(tok, "vcpus")) {
			spec->vcpus = simple_strtoul(val, &end, 10);
			if (*end || !spec->vcpus || spec->vcpus > MAX_VCPUS) {
				*why = "bad vcpus (1 to 8)";
				return -EINVAL;
			}
		} else if (!strcmp(tok, "cmdline")) {
			strlcpy(spec->cmdline, val, sizeof(spec->cmdline));
		} else if (!strcmp(tok, "cpus")) {
			if (parse_cpus(val, &spec->cpus)) {
				*why = "bad cpus (a list like 0,2-3)";
				return -EINVAL;
			}
			spec->have_cpus = true;
		} else if (!strcmp(tok, "expect")) {
			if (strcmp(val, "crash")) {
				*why = "bad expect (only 'crash')";
				return -EINVAL;
			}
			spec->expect = EXPECT_CRASH;
		} else {
			*why = "unknown option";
			return -EINVAL;
		}
	}
	if (!spec->name[0] || !spec->mem) {
		*why = "name= and mem= are required";
		return -EINVAL;
	}
	return 0;
}

/* Check the image fits the domain; returns its entry or 0 with *why. */
static u32 check_elf(const u8 *img, size_t size, const struct build_spec *s,
		     const char **why)
{
	const struct elf32_ehdr *eh = (const void *)img;
	bool entry_ok = false;
	unsigned int i;

	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4)) {
		*why = "not an ELF image";
		return 0;
	}
	if (eh->ident[4] != 1 || eh->ident[5] != 1 || eh->machine != 3 ||
	    eh->type != 2) {
		*why = "not a 32-bit little-endian x86 executable";
		return 0;
	}
	if (eh->phentsize != sizeof(struct elf32_phdr) || !eh->phnum ||
	    eh->phoff > size ||
	    (size - eh->phoff) / sizeof(struct elf32_phdr) < eh->phnum) {
		*why = "bad program headers";
		return 0;
	}
	for (i = 0; i < eh->phnum; i++) {
		const struct elf32_phdr *ph =
			(const struct elf32_phdr *)(img + eh->phoff) + i;
		u64 end = (u64)ph->paddr + ph->memsz;

		if (ph->type != PT_LOAD)
			continue;
		if (ph->offset > size || ph->filesz > size - ph->offset ||
		    ph->filesz > ph->memsz) {
			*why = "a segment lies outside the image";
			return 0;
		}
		if (end > s->mem || (ph->paddr < START_INFO_GPA + PAGE_SIZE &&
				     end > START_INFO_GPA)) {
			*why = "a segment does not fit the domain's memory";
			return 0;
		}
		if (eh->entry >= ph->paddr && eh->entry < end)
			entry_ok = true;
	}
	if (!entry_ok) {
		*why = "the entry point is in no segment";
		return 0;
	}
	return eh->entry;
}

static int load_elf(struct domain *d, const u8 *img)
{
	const struct elf32_ehdr *eh = (const void *)img;
	unsigned int i;
	int rc = 0;

	for (i = 0; i < eh->phnum && !rc; i++) {
		const struct elf32_phdr *ph =
			(const struct elf32_phdr *)(img + eh->phoff) + i;

		if (ph->type != PT_LOAD)
			continue;
		rc = hvm_copy_to_guest_phys(d, ph->paddr, img + ph->offset,
					    ph->filesz);
		if (!rc)
			rc = hvm_clear_guest_phys(d, ph->paddr + ph->filesz,
						  ph->memsz - ph->filesz);
	}
	return rc;
}

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

static int write_start_info(struct domain *d, const struct build_spec *s)
{
	struct hvm_start_info si = {
		.magic = HVM_START_MAGIC,
		.version = 1,
		.memmap_paddr = MEMMAP_GPA,
		.memmap_entries = 1,
	};
	struct hvm_memmap_entry ram = { 0, s->mem, 1, 0 };
	int rc;

	if (s->cmdline[0])
		si.cmdline_paddr = CMDLINE_GPA;
	rc = hvm_copy_to_guest_phys(d, START_INFO_GPA, &si, sizeof(si));
	if (!rc)
		rc = hvm_copy_to_guest_phys(d, MEMMAP_GPA, &ram, sizeof(ram));
	if (!rc && s->cmdline[0])
		rc = hvm_copy_to_guest_phys(d, CMDLINE_GPA, s->cmdline,
					    strlen(s->cmdline) + 1);
	return rc;
}

static int build(struct domain *d, const struct build_spec *s, const u8 *img,
		 u32 entry)
{
	struct hvm_vcpu start = { .rip = entry };
	unsigned int i;
	int rc;

	rc = hvm_domain_init(d, s->mem >> PAGE_SHIFT);
	if (!rc)
		rc = populate_ram(d, s->mem);
	if (!rc)
		rc = load_elf(d, img);
	if (!rc)
		rc = write_start_info(d, s);
	start.regs.rbx = START_INFO_GPA;
	for (i = 0; i < s->vcpus && !rc; i++) {
		rc = vcpu_create(d, i, hvm_vcpu_loop);
		if (!rc)
			rc = hvm_vcpu_init(d->vcpu[i], &start);
		if (!rc && s->have_cpus)
			rc = vcpu_set_affinity(d->vcpu[i], &s->cpus);
	}
	return rc;
}

static void build_one(unsigned int idx, const struct boot_module *m)
{
	const u8 *img = __va(m->start);
	size_t size = m->end - m->start;
	struct build_spec spec;
	const char *why = NULL;
	struct domain *d;
	u32 entry;
	int rc;

	if (parse_spec(m->string, &spec, &why) ||
	    !(entry = check_elf(img, size, &spec, &why))) {
		printk(XENLOG_ERR "module %u ('%s'): %s: skipped\n", idx,
		       m->string, why);
		return;
	}
	d = domain_create(next_domid++, spec.name, spec.vcpus,
			  spec.mem >> PAGE_SHIFT, &rc);
	if (!d) {
		printk(XENLOG_ERR "module %u: cannot create domain '%s' (%d)\n",
		       idx, spec.name, rc);
		return;
	}
	d->has_verdict = true;
	d->expect = spec.expect;
	rc = build(d, &spec, img, entry);
	if (rc) {
		printk(XENLOG_ERR "d%u (%s): build failed (%d)\n", d->domain_id,
		       d->name, rc);
		domain_shutdown(d, SHUTDOWN_crash);
		return;
	}
	printk("d%u (%s): %lu MiB, %u vCPU%s, entry %#x%s\n", d->domain_id,
	       d->name, spec.mem >> 20, spec.vcpus, spec.vcpus > 1 ? "s" : "",
	       entry, spec.expect == EXPECT_CRASH ? ", expected to crash" : "");
	domain_unpause(d);
}

unsigned int build_domains_from_modules(void)
{
	unsigned int i, before = domain_count();

	for (i = 0; i < boot_info.nr_modules; i++)
		build_one(i, &boot_info.modules[i]);
	return domain_count() - before;
}
