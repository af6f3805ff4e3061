/*
 * hypercall: the hypercall layer's foundation, from a 32-bit guest with
 * paging off. With control=1 on its command line the domain must be the
 * control domain; without it, it must not be. In this order:
 *
 *   page     CPUID 0x40000002 names one page and MSR 0x40000000. A WRMSR of
 *            an unaligned gpa, of the first gpa past RAM or of one past
 *            4 GiB is #GP and writes nothing. A RAM page gets 128 stubs
 *            "mov $i, %eax; vmcall or vmmcall (as the CPU); ret", stub 23
 *            (iret) ud2. Later checks call through the page, a few also
 *            with a direct VMCALL/VMMCALL: both must agree.
 *   version  every xen_version sub-op: version as CPUID 0x40000001;
 *            strings NUL-terminated in their fields and written exactly;
 *            virt_start 4 bytes (an unsigned long of a 32-bit caller);
 *            features auto_translated_physmap, dom0 only for the control
 *            domain, submap 1 -EINVAL; pagesize 4096; a zero handle;
 *            commandline and build_id only for the control domain (else
 *            -EPERM, nothing written); unknown sub-ops -ENOSYS; a bad
 *            buffer, or one running past RAM, -EFAULT with nothing written.
 *   numbers  hypercalls 0, 23 (iret), 63, 64, 100 and 0xffffffff: -ENOSYS.
 *   sched    shutdown_code: a bad reason -EINVAL, poweroff recorded and the
 *            domain runs on. remote_shutdown: -EPERM; for the control
 *            domain -ESRCH (no such domain), -EINVAL, -EFAULT.
 *   events   add_to_physmap of the shared-info page, hvm params, a
 *            loopback event channel, SCHEDOP_poll and other domains'
 *            ports and params (events.c has the list).
 *   console  console_io read: -EPERM, or 0 bytes for the control domain; an
 *            unknown sub-op -ENOSYS; then one write of lines=N numbered
 *            lines of 156 bytes (default 420, 65520 bytes), which the
 *            hypervisor must continue several times. The guest cannot read
 *            its console back: tests/boot/check-console-io.sh finds every
 *            line in the boot log, in order and intact, and the
 *            continuations the hypervisor counted.
 *
 * SUCCESS if everything holds, else FAILURE naming the first check that
 * did not.
 */
#include <public/cpuid.h>
#include <xtf.h>

#include "events.h"

#define HYPERCALL_PAGE_MSR 0x40000000
#define NR_STUBS (PAGE_SIZE / HYPERCALL_STUB_SIZE)
#define EXC_GP 13
#define DOMID_NONE 0x7ff0 /* no domain has this id */
#define BAD_PTR 0xfffff000u /* paging off: past any guest's RAM */

#define LINE_LEN 156 /* bytes per console line, with its newline */
#define DEFAULT_LINES 420
#define MAX_LINES 1000

static uint8_t hc_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static bool control;
static uint32_t ram_end;
static char text[MAX_LINES * LINE_LEN];

static long hc(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return hypercall_page_call3(hc_page, nr, a1, a2, a3);
}

static long version(unsigned int cmd, void *arg)
{
	return hc(__HYPERVISOR_xen_version, cmd, (uintptr_t)arg, 0);
}

static long sched(unsigned int cmd, uint32_t arg)
{
	return hc(__HYPERVISOR_sched_op, cmd, arg, 0);
}

bool all_bytes(const void *p, uint8_t val, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != val)
			return false;
	return true;
}

static bool contains(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++)
		if (!strncmp(s, word, n))
			return true;
	return false;
}

static void check_stub(unsigned int i)
{
	const uint8_t *p = hc_page + i * HYPERCALL_STUB_SIZE;
	uint8_t insn = hypercall_uses_vmmcall() ? 0xd9 : 0xc1;
	uint32_t imm;

	if (i == __HYPERVISOR_iret) {
		check(p[0] == 0x0f && p[1] == 0x0b,
		      "page: stub %u starts %02x %02x, not ud2 (0f 0b)", i,
		      p[0], p[1]);
		return;
	}
	memcpy(&imm, p + 1, sizeof(imm));
	check(p[0] == 0xb8 && imm == i,
	      "page: stub %u starts %02x %08x, not mov $%u, %%eax", i, p[0],
	      imm, i);
	check(p[5] == 0x0f && p[6] == 0x01 && p[7] == insn,
	      "page: stub %u: %02x %02x %02x after the mov, not %s", i, p[5],
	      p[6], p[7], insn == 0xd9 ? "vmmcall" : "vmcall");
	check(p[8] == 0xc3, "page: stub %u: %02x after the %s, not ret", i,
	      p[8], insn == 0xd9 ? "vmmcall" : "vmcall");
}

static void test_page(void)
{
	struct cpuid_regs r = cpuid(XEN_CPUID_HYPERCALL_PAGE);
	const uint64_t bad[] = { (uintptr_t)hc_page + 8, ram_end, 1ULL << 32 };
	unsigned int fault;

	check(r.eax == 1 && r.ebx == HYPERCALL_PAGE_MSR,
	      "page: CPUID 0x40000002 gives %u pages at MSR %#x, not 1 at %#x",
	      r.eax, r.ebx, HYPERCALL_PAGE_MSR);
	memset(hc_page, 0x5a, sizeof(hc_page));
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fault = hypercall_page_install(bad[i]);
		check(fault == EXC_GP,
		      "page: WRMSR of gpa 0x%llx: exception %u, not #GP (%u)",
		      bad[i], fault, EXC_GP);
	}
	check(all_bytes(hc_page, 0x5a, sizeof(hc_page)),
	      "page: a refused WRMSR wrote to the page");
	fault = hypercall_page_install((uintptr_t)hc_page);
	check(!fault, "page: WRMSR of the page at %p raised exception %u",
	      hc_page, fault);
	for (unsigned int i = 0; i < NR_STUBS; i++)
		check_stub(i);
}

/* A string sub-op: rc 0, NUL-terminated in size bytes, nothing past. */
static const char *version_string(unsigned int cmd, size_t size,
				  const char *what)
{
	static char buf[1024 + 16];

	memset(buf, 0xff, sizeof(buf));
	check_rc(version(cmd, buf), 0, what);
	check(strnlen(buf, size) < size, "%s: no NUL in %u bytes", what,
	      (unsigned int)size);
	check(all_bytes(buf + size, 0xff, sizeof(buf) - size),
	      "%s: wrote past its %u bytes", what, (unsigned int)size);
	return buf;
}

static void test_compile_info(void)
{
	struct xen_compile_info ci;

	memset(&ci, 0xff, sizeof(ci));
	check_rc(version(XENVER_compile_info, &ci), 0, "compile_info");
	check(strnlen(ci.compiler, sizeof(ci.compiler)) < sizeof(ci.compiler) &&
		      strnlen(ci.compile_by, sizeof(ci.compile_by)) <
			      sizeof(ci.compile_by) &&
		      strnlen(ci.compile_domain, sizeof(ci.compile_domain)) <
			      sizeof(ci.compile_domain) &&
		      strnlen(ci.compile_date, sizeof(ci.compile_date)) <
			      sizeof(ci.compile_date),
	      "compile_info: a field without a NUL");
	check(ci.compiler[0] && ci.compile_date[0],
	      "compile_info: no compiler or no date");
	printf("hypercall: built by %s with %s on %s\n", ci.compile_by,
	       ci.compiler, ci.compile_date);
}

static void test_features(void)
{
	struct xen_feature_info fi = { .submap_idx = 0, .submap = ~0u };
	bool dom0;

	check_rc(version(XENVER_get_features, &fi), 0, "get_features");
	check(fi.submap & (1u << XENFEAT_auto_translated_physmap),
	      "get_features: submap 0 is %#x: no auto_translated_physmap",
	      fi.submap);
	dom0 = fi.submap & (1u << XENFEAT_dom0);
	check(dom0 == control, "get_features: dom0 is %s for %s",
	      dom0 ? "set" : "clear",
	      control ? "the control domain" : "another domain");
	fi = (struct xen_feature_info){ .submap_idx = 1 };
	check_rc(version(XENVER_get_features, &fi), -XEN_EINVAL,
		 "get_features of submap 1");
	check_rc(version(XENVER_get_features, (void *)ram_end), -XEN_EFAULT,
		 "get_features from past RAM");
}

static void test_privileged_subops(void)
{
	static char cmdline[1024];
	uint32_t build_id[4] = { sizeof(build_id) - 4 };

	memset(cmdline, 0x5a, sizeof(cmdline));
	if (control) {
		check_rc(version(XENVER_commandline, cmdline), 0,
			 "commandline");
		check(strnlen(cmdline, sizeof(cmdline)) < sizeof(cmdline) &&
			      cmdline[0],
		      "commandline: empty or without a NUL");
		printf("hypercall: hypervisor command line '%s'\n", cmdline);
	} else {
		check_rc(version(XENVER_commandline, cmdline), -XEN_EPERM,
			 "commandline (not the control domain)");
		check(all_bytes(cmdline, 0x5a, sizeof(cmdline)),
		      "commandline: refused, but wrote to the buffer");
	}
	check_rc(version(XENVER_build_id, build_id),
		 control ? -XEN_ENODATA : -XEN_EPERM, "build_id");
}

static void test_bad_buffers(void)
{
	uint8_t *tail = (uint8_t *)(ram_end - 8);

	check_rc(version(XENVER_extraversion, (void *)BAD_PTR), -XEN_EFAULT,
		 "extraversion to a bad pointer");
	/* 16 bytes: 8 of RAM, then 8 past it. */
	if (xtf_in_use(ram_end - 8, ram_end))
		return;
	memset(tail, 0x5a, 8);
	check_rc(version(XENVER_extraversion, tail), -XEN_EFAULT,
		 "extraversion running past RAM");
	check(all_bytes(tail, 0x5a, 8),
	      "extraversion running past RAM: -EFAULT, but wrote its first half");
}

static void test_version(void)
{
	uint32_t want = cpuid(XEN_CPUID_VERSION).eax;
	uint8_t bytes[16];
	long rc = version(XENVER_version, NULL);
	const char *s;

	check(rc == (long)want,
	      "version returned %#lx, CPUID 0x40000001 says %#x", rc, want);
	check_rc(hypercall_xen_version(XENVER_version, NULL), rc,
		 "version by a direct hypercall (not the page)");
	s = version_string(XENVER_extraversion, 16, "extraversion");
	printf("hypercall: Xen %ld.%ld%s\n", rc >> 16, rc & 0xffff, s);
	test_compile_info();
	s = version_string(XENVER_capabilities, 1024, "capabilities");
	check(contains(s, "hvm-3.0-x86_32"),
	      "capabilities '%s' do not offer 32-bit HVM guests", s);
	printf("hypercall: capabilities '%s'\n", s);
	s = version_string(XENVER_changeset, 64, "changeset");
	check(s[0], "changeset: empty");
	printf("hypercall: changeset '%s'\n", s);

	memset(bytes, 0xff, sizeof(bytes));
	check_rc(version(XENVER_platform_parameters, bytes), 0,
		 "platform_parameters");
	check(all_bytes(bytes, 0, 4) && all_bytes(bytes + 4, 0xff, 12),
	      "platform_parameters: not a 4-byte virt_start of 0");
	test_features();
	check_rc(version(XENVER_pagesize, NULL), 4096, "pagesize");
	memset(bytes, 0xff, sizeof(bytes));
	check_rc(version(XENVER_guest_handle, bytes), 0, "guest_handle");
	check(all_bytes(bytes, 0, sizeof(bytes)),
	      "guest_handle: not 16 zero bytes");
	test_privileged_subops();
	check_rc(version(11, NULL), -XEN_ENOSYS, "xen_version sub-op 11");
	check_rc(version(0x7fffffff, NULL), -XEN_ENOSYS,
		 "xen_version sub-op 0x7fffffff");
	test_bad_buffers();
}

static void test_numbers(void)
{
	static const unsigned int via_page[] = { 0, 63, 100 };
	static const unsigned int direct[] = { __HYPERVISOR_iret, 64,
					       0xffffffff };

	for (unsigned int i = 0; i < sizeof(via_page) / sizeof(*via_page); i++)
		check(hc(via_page[i], 0, 0, 0) == -XEN_ENOSYS,
		      "hypercall %u (through the page) is not -ENOSYS",
		      via_page[i]);
	for (unsigned int i = 0; i < sizeof(direct) / sizeof(*direct); i++)
		check(hypercall3(direct[i], 0, 0, 0) == -XEN_ENOSYS,
		      "hypercall %#x is not -ENOSYS", direct[i]);
}

static void test_sched(void)
{
	struct sched_shutdown code = { .reason = SHUTDOWN_poweroff };
	struct sched_remote_shutdown rs = { .domain_id = xtf_domid(),
					    .reason = SHUTDOWN_poweroff };

	/* Direct hypercalls and calls through the page, mixed. */
	check_rc(hypercall_shutdown_code(9), -XEN_EINVAL,
		 "shutdown_code with reason 9");
	check_rc(sched(SCHEDOP_shutdown_code, (uintptr_t)&code), 0,
		 "shutdown_code poweroff");
	printf("hypercall: shutdown code recorded, still running\n");
	if (!control) {
		/* If these worked, the domain would end without a verdict. */
		check_rc(hypercall_remote_shutdown(xtf_domid(),
						   SHUTDOWN_poweroff),
			 -XEN_EPERM, "remote_shutdown of itself");
		check_rc(sched(SCHEDOP_remote_shutdown, (uintptr_t)&rs),
			 -XEN_EPERM, "remote_shutdown of itself (page)");
		check_rc(sched(SCHEDOP_remote_shutdown, BAD_PTR), -XEN_EPERM,
			 "remote_shutdown with a bad pointer");
		return;
	}
	check_rc(hypercall_remote_shutdown(DOMID_NONE, SHUTDOWN_poweroff),
		 -XEN_ESRCH, "remote_shutdown of a domain that does not exist");
	rs.reason = 9;
	check_rc(sched(SCHEDOP_remote_shutdown, (uintptr_t)&rs), -XEN_EINVAL,
		 "remote_shutdown with reason 9");
	check_rc(sched(SCHEDOP_remote_shutdown, BAD_PTR), -XEN_EFAULT,
		 "remote_shutdown with a bad pointer");
}

static int format(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

static int format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Line i of nr (from 1): a header, then letters from 'a' + i % 26 on. */
static void fill_line(char *p, unsigned int i, unsigned int nr)
{
	int n = format(p, LINE_LEN, "console_io line %03u of %03u: ", i, nr);

	for (int j = 0; n + j < LINE_LEN - 1; j++)
		p[n + j] = 'a' + (i + j) % 26;
	p[LINE_LEN - 1] = '\n';
}

/*
 * The control domain: console input the boot test may feed (lines ending
 * with INPUT_END). It binds VIRQ_CONSOLE (masked, so no upcall) and waits
 * for it in SCHEDOP_poll, for up to input_ms (default 5000) in all, reads
 * what arrived, and prints each line as "hypercall: console input: LINE"
 * (or "... none"); tests/boot/check-console-input.sh compares them with
 * what was fed. Input that arrives must have raised the virq. The reads
 * after it find nothing left.
 */
#define INPUT_END "console-input-end\n"
#define MS 1000000ULL

static bool input_ended(const char *in, unsigned int len)
{
	unsigned int n = strlen(INPUT_END);

	return len >= n && !strncmp(in + len - n, INPUT_END, n);
}

static void test_console_input(void)
{
	static char in[1024];
	uint64_t ms = cmdline_uint("input_ms", 5000), start, now;
	unsigned int len = 0, i, line = 0, virqs = 0;
	evtchn_port_t port;
	long rc;

	rc = evtchn_bind_virq(VIRQ_CONSOLE, 0);
	check(rc > 0, "bind_virq VIRQ_CONSOLE returned %ld", rc);
	port = rc;
	evtchn_mask(port);
	/* A boot test may start feeding input when it sees this. */
	printf("hypercall: waiting for console input\n");
	check_rc(hypercall_get_time(&start), 0, "get_time");
	now = start;
	/* What came before the virq was bound, then what raises it. */
	rc = hypercall_console_read(in, sizeof(in) - 1);
	check(rc >= 0 && (unsigned long)rc <= sizeof(in) - 1,
	      "console_io read returned %ld", rc);
	len = rc;
	while (!input_ended(in, len) && len < sizeof(in) - 1 &&
	       now - start < ms * MS) {
		check_rc(sched_poll(&port, 1, start + ms * MS), 0,
			 "SCHEDOP_poll on VIRQ_CONSOLE");
		if (evtchn_is_pending(port)) {
			evtchn_clear_pending(port);
			virqs++;
		}
		rc = hypercall_console_read(in + len, sizeof(in) - 1 - len);
		check(rc >= 0 && (unsigned long)rc <= sizeof(in) - 1 - len,
		      "console_io read returned %ld", rc);
		check(!rc || virqs, "console input came without VIRQ_CONSOLE");
		len += rc;
		check_rc(hypercall_get_time(&now), 0, "get_time");
	}
	check_rc(evtchn_close(port), 0, "close VIRQ_CONSOLE");
	in[len] = 0;
	if (!len)
		printf("hypercall: console input: none\n");
	else
		printf("hypercall: console input read: %u bytes, %u "
		       "VIRQ_CONSOLE "
		       "events\n",
		       len, virqs);
	for (i = 0; i < len; i++) {
		if (in[i] != '\n')
			continue;
		in[i] = 0;
		printf("hypercall: console input: %s\n", in + line);
		line = i + 1;
	}
	if (line < len)
		printf("hypercall: console input: %s\n", in + line);
}

static void test_console(void)
{
	unsigned int lines = cmdline_uint("lines", DEFAULT_LINES);
	uint32_t len = lines * LINE_LEN;
	char buf[16];

	if (control)
		test_console_input();
	check_rc(hc(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf),
		    (uintptr_t)buf),
		 control ? 0 : -XEN_EPERM, "console_io read");
	check_rc(hypercall_console_read(buf, sizeof(buf)),
		 control ? 0 : -XEN_EPERM, "console_io read (direct)");
	check_rc(hc(__HYPERVISOR_console_io, 2, 0, 0), -XEN_ENOSYS,
		 "console_io sub-op 2");
	if (!lines)
		return;
	if (lines > MAX_LINES)
		xtf_error("lines=%u: at most %u", lines, MAX_LINES);
	for (unsigned int i = 0; i < lines; i++)
		fill_line(text + i * LINE_LEN, i + 1, lines);
	printf("hypercall: console_io write of %u lines, %u bytes, in one "
	       "hypercall\n",
	       lines, len);
	check_rc(hc(__HYPERVISOR_console_io, CONSOLEIO_write, len,
		    (uintptr_t)text),
		 0, "console_io write of the lines");
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	if (!xtf_has_xen())
		xtf_skip("no hypervisor: no hypercalls to test");
	control = cmdline_uint("control", 0);
	ram_end = xtf_ram_end();
	printf("hypercall: domain %u, %sthe control domain\n", xtf_domid(),
	       control ? "" : "not ");
	test_page();
	test_version();
	test_numbers();
	test_sched();
	test_events(control);
	test_console();
	xtf_success();
}
