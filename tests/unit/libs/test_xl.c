/*
 * xl through the in-process transport: its argument checks (usage for an
 * unknown command or bad arguments, a clear message for each bad value,
 * nothing created), and each command's effect and output on a real
 * control plane: create builds and starts a domain from a file, list
 * prints Xen's columns then ours, domains are found by name or id,
 * destroy, pause, unpause, mem-set, wait, info, dmesg and console-log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xenctrl.h>
#include <xl.h>
#include <xl_os.h>

#include <public/start_info.h>

#include "harness.h"
#include "mkelf.h"
#include "world.h"

#define LOAD 0x100000UL

static char out[16384];
static size_t out_len;
static uint8_t image[8192];
static unsigned int slept_ms;

static uint8_t ramdisk[3000];

const void *xl_os_file(const char *name, size_t *size)
{
	if (!strcmp(name, "rd.img")) {
		*size = sizeof(ramdisk);
		return ramdisk;
	}
	if (strcmp(name, "g.elf"))
		return NULL;
	*size = sizeof(image);
	return image;
}

void xl_os_write(const char *buf, size_t len)
{
	if (len > sizeof(out) - 1 - out_len)
		len = sizeof(out) - 1 - out_len;
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

void xl_os_sleep_ms(unsigned int ms)
{
	slept_ms += ms;
}

/* A 32-bit ELF: one PT_LOAD of 16 bytes at LOAD, entered at LOAD. */
static void make_image32(void)
{
	const struct mkelf_seg seg = { 1, 4096, LOAD, 16, 16 };

	mkelf(image, sizeof(image), false, LOAD, &seg, 1);
}

/* Run "xl WORDS..." (NULL-terminated): its return; output in out. */
static int xl(const char *first, ...)
{
	char *argv[16] = { "xl" };
	int argc = 1;
	va_list ap;

	out_len = 0;
	out[0] = '\0';
	va_start(ap, first);
	for (const char *w = first; w; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	return xl_main(argc, argv);
}

static void setup(void)
{
	world_init();
	make_image32();
	slept_ms = 0;
}

#define CHECK_OUT(text)                                                  \
	do {                                                             \
		if (!strstr(out, (text)))                                \
			FAIL("no '%s' in the output:\n%s", (text), out); \
	} while (0)

TEST(xl_usage_and_bad_arguments)
{
	setup();
	CHECK_EQ(xl(NULL), 1);
	CHECK_OUT("usage: xl COMMAND [ARGS]");
	CHECK_EQ(xl("frobnicate", NULL), 1);
	CHECK_OUT("xl: unknown command 'frobnicate'");
	CHECK_OUT("  xl create NAME mem=SIZE");
	CHECK_EQ(xl("create", NULL), 1);
	CHECK_OUT("usage: xl create NAME");
	CHECK_EQ(xl("create", "g", "image=g.elf", NULL), 1);
	CHECK_OUT("xl create: mem= and image= are required");
	CHECK_EQ(xl("create", "g", "mem=4Q", "image=g.elf", NULL), 1);
	CHECK_OUT("xl create: mem=4Q: not a size");
	CHECK_EQ(xl("create", "g", "mem=4M", "vcpus=0", "image=g.elf", NULL),
		 1);
	CHECK_OUT("xl create: vcpus=0: not a number of vCPUs");
	CHECK_EQ(xl("create", "g", "mem=4M", "colour=red", "image=g.elf", NULL),
		 1);
	CHECK_OUT("xl create: 'colour=red': unknown option");
	CHECK_EQ(xl("create", "g", "mem=4M", "boot=elf", "image=g.elf", NULL),
		 1);
	CHECK_OUT("xl create: boot=elf: linux, linux32 or pvh");
	CHECK_EQ(xl("create", "g", "mem=4M", "image=none.elf", NULL), 1);
	CHECK_OUT("xl create: image=none.elf: no such file");
	CHECK_EQ(xl("create", "42", "mem=4M", "image=g.elf", NULL), 1);
	CHECK_OUT("xl create: name '42': a number is a domain id");
	memset(image, 0, sizeof(image));
	CHECK_EQ(xl("create", "g", "mem=4M", "image=g.elf", NULL), 1);
	CHECK_OUT("xl create: g (image=g.elf): not an ELF image: domain 2 "
		  "destroyed");
	CHECK(!world_domain_exists(2));
	CHECK_EQ(xl("create", "g", "mem=4M", "boot=pvh", "image=g.elf", NULL),
		 1);
	CHECK_OUT("xl create: g (image=g.elf): boot=pvh: the image is not a "
		  "bzImage: domain 3 destroyed");
	CHECK_EQ(xl("destroy", NULL), 1);
	CHECK_OUT("usage: xl destroy DOMAIN");
	CHECK_EQ(xl("destroy", "nosuch", NULL), 1);
	CHECK_OUT("xl destroy: no domain called 'nosuch'");
	CHECK_EQ(xl("pause", "77", NULL), 1);
	CHECK_OUT("xl pause: no domain 77");
	CHECK_EQ(xl("mem-set", "1", "12345", "x", NULL), 1);
	CHECK_EQ(xl("wait", "1", "soon", NULL), 1);
	CHECK_OUT("xl wait: soon: not a number of seconds");
	CHECK_EQ(xl("dmesg", "-x", NULL), 1);
	CHECK_OUT("usage: xl dmesg [-c]");
}

/* ramdisk=FILE: the first start-info module; a missing file: refused. */
TEST(xl_create_ramdisk)
{
	const struct hvm_start_info *si;
	const struct hvm_modlist_entry *ml;

	setup();
	memset(ramdisk, 0x42, sizeof(ramdisk));
	CHECK_EQ(xl("create", "r", "mem=4M", "image=g.elf", "ramdisk=rd.img",
		    "paused", NULL),
		 0);
	CHECK_OUT("domain 2 (r): 4 MiB, 1 vCPU, g.elf, ramdisk rd.img, "
		  "paused");
	si = (const void *)world_gfn_page(2, 6);
	CHECK_EQ(si->nr_modules, 1);
	ml = (const void *)(world_gfn_page(2, 7) + 0xc00);
	CHECK_EQ(ml->paddr, LOAD + 0x1000);
	CHECK_EQ(ml->size, sizeof(ramdisk));
	CHECK_EQ(world_gfn_page(2, (LOAD >> 12) + 1)[0], 0x42);
	CHECK_EQ(xl("destroy", "r", NULL), 0);
	CHECK_EQ(xl("create", "r", "mem=4M", "image=g.elf", "ramdisk=no.img",
		    NULL),
		 1);
	CHECK_OUT("xl create: ramdisk=no.img: no such file");
	CHECK(!world_domain_exists(3));
}

TEST(xl_create_list_destroy)
{
	xc_domaininfo_t info;
	xc_interface *xch;

	setup();
	xch = xc_interface_open(NULL, NULL, 0);
	CHECK_EQ(xl("create", "g", "mem=4M", "vcpus=2", "image=g.elf",
		    "cmdline=a b", "paused", NULL),
		 0);
	CHECK_OUT("domain 2 (g): 4 MiB, 2 vCPUs, g.elf, paused");
	CHECK_EQ(xc_domain_getinfo_single(xch, 2, &info), 0);
	CHECK_EQ(info.tot_pages, 1024 + 1); /* RAM and its console page */
	CHECK_EQ(info.nr_online_vcpus, 2);
	CHECK(info.flags & XEN_DOMINF_paused);
	CHECK_EQ(world_gfn_page(2, LOAD >> 12)[0], 0);
	CHECK_EQ(xl("create", "g", "mem=4M", "image=g.elf", NULL), 1);
	CHECK_OUT("xl create: a domain called 'g' exists (2)");
	CHECK_EQ(xl("list", NULL), 0);
	CHECK_OUT("Name                                        ID   Mem VCPUs"
		  "      State   Time(s)    Paged\n");
	CHECK_OUT("dom0                                         1     0     "
		  "1");
	CHECK_OUT("g                                            2     4     2"
		  "     --p---       0.0        0\n");
	CHECK_EQ(xl("list", "g", NULL), 0);
	CHECK(!strstr(out, "dom0"));
	CHECK_OUT("g                                            2     4");
	CHECK_EQ(xl("unpause", "g", NULL), 0);
	CHECK_EQ(xc_domain_getinfo_single(xch, 2, &info), 0);
	CHECK(!(info.flags & XEN_DOMINF_paused));
	CHECK_EQ(xl("unpause", "2", NULL), 1);
	CHECK_OUT("xl unpause: domain 2: not paused by xl");
	CHECK_EQ(xl("pause", "2", NULL), 0);
	CHECK_EQ(xc_domain_getinfo_single(xch, 2, &info), 0);
	CHECK(info.flags & XEN_DOMINF_paused);
	CHECK_EQ(xl("mem-set", "g", "8M", NULL), 0);
	CHECK_EQ(xc_domain_getinfo_single(xch, 2, &info), 0);
	CHECK_EQ(info.max_pages, 2048);
	CHECK_EQ(xl("mem-set", "g", "4097K", NULL), 1);
	CHECK_OUT("xl mem-set: 4097K: not a size in whole pages");
	CHECK_EQ(xl("destroy", "g", NULL), 0);
	CHECK(!world_domain_exists(2));
	CHECK_EQ(xl("list", NULL), 0);
	CHECK(!strstr(out, "\ng "));
	xc_interface_close(xch);
}

TEST(xl_wait_info_dmesg_console_log)
{
	xc_interface *xch;

	setup();
	xch = xc_interface_open(NULL, NULL, 0);
	CHECK_EQ(xl("create", "w", "mem=2M", "image=g.elf", NULL), 0);
	CHECK_EQ(xl("wait", "w", "1", NULL), 1);
	CHECK_OUT("xl wait: domain 2 (w) still runs after 1 s");
	CHECK(slept_ms >= 1000);
	world_console_write(2, "from the guest\n");
	CHECK_EQ(xl("console-log", "w", NULL), 0);
	CHECK_STR_EQ(out, "from the guest\n");
	CHECK_EQ(xl("dmesg", NULL), 0);
	CHECK_OUT("(d2) from the guest\n");
	CHECK_EQ(xc_domain_shutdown(xch, 2, SHUTDOWN_poweroff), 0);
	CHECK_EQ(xl("wait", "2", NULL), 0);
	CHECK_STR_EQ(out, "domain 2 (w): poweroff\n");
	CHECK_EQ(xl("list", "w", NULL), 0);
	CHECK_OUT("---s--");
	CHECK_EQ(xl("info", NULL), 0);
	CHECK_OUT("nr_cpus                : ");
	CHECK_OUT("virt_caps              : hvm hap\n");
	CHECK_OUT("free_memory            : ");
	CHECK_EQ(xl("destroy", "w", NULL), 0);
	CHECK_EQ(xl("wait", "w", NULL), 1);
	CHECK_OUT("xl wait: no domain called 'w'");
	xc_interface_close(xch);
}

/* A new domain with an old one's id shows only its own console lines. */
TEST(xl_console_log_of_a_reused_id)
{
	setup();
	world_log_line("d2 (old): created by d1, 1 vCPU");
	CHECK_EQ(xl("create", "old", "mem=2M", "image=g.elf", NULL), 0);
	world_console_write(2, "old line\n");
	CHECK_EQ(xl("destroy", "old", NULL), 0);
	/* Ids come round again once they wrap. */
	world_log_line("d2 (new): created by d1, 1 vCPU");
	world_guest(2, "new", 512, 1);
	CHECK_EQ(xl("console-log", "new", NULL), 0);
	CHECK_STR_EQ(out, "");
	world_console_write(2, "new line\n");
	CHECK_EQ(xl("console-log", "2", NULL), 0);
	CHECK_STR_EQ(out, "new line\n");
}
