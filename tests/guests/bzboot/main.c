/*
 * bzboot: booted as a bzImage by the Linux boot protocol's 64-bit entry
 * (or with entry=32 on its command line, its 32-bit one: head.S goes on
 * to long mode from there, after keeping the state it came in with), it
 * checks what a Linux kernel would find. The 32-bit entry: 32-bit flat
 * protected mode, paging off, interrupts off, CS 0x10 and DS, ES, SS
 * 0x18, ESI = boot_params, EBX, EBP and EDI zero. The 64-bit one: long
 * mode with paging on and interrupts off, RSI = boot_params. Both: the setup header
 * copied from its file, the loader's fields put right (type_of_loader
 * 0xff, KEEP_SEGMENTS and CAN_USE_HEAP cleared, code32_start its load
 * address, no setup_data); an e820 that starts at 0, runs without gaps
 * to the domain's RAM size (mem_mib= on the command line), and marks reserved the
 * page tables CR3 points at (the 64-bit entry's; the 32-bit one gets none,
 * its own are RAM) and the ACPI tables acpi_rsdp_addr points
 * at (an RSDP there); the command line it was given (cmd_line_ptr); the
 * ramdisk module (ramdisk_image/size: its text, "bzboot ramdisk"); the
 * last byte of RAM mapped; and with vcpus=N (N > 1) on the command line,
 * vCPU 1 not started (VCPUOP_is_up). It
 * prints `Test result: SUCCESS` and powers off, or FAILURE and crashes.
 */
#include <stdbool.h>
#include <stdint.h>

#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "layout.h"

#define BP_ACPI_RSDP_ADDR 0x070
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_HEAP_END_PTR 0x224
#define HDR_CMD_LINE_PTR 0x228
#define HDR_SETUP_DATA 0x250
#define HDR_PREF_ADDRESS 0x258
#define E820_RAM 1
#define E820_RESERVED 2
#define RFLAGS_IF (1UL << 9)
#define CR0_PG (1UL << 31)
#define MSR_EFER 0xc0000080
#define EFER_LMA (1UL << 10)
#define RAMDISK_TEXT "bzboot ramdisk\n"
#define CR0_PE 1UL
#define BOOT_CS 0x10
#define BOOT_DS 0x18

/* Kept by head.S's 32-bit entry (the offsets in layout.h). */
struct entry32 {
	uint32_t used, esi, ebx, ebp, edi, cr0, eflags, cs, ds, es, ss;
};
_Static_assert(sizeof(struct entry32) == E32_SIZE, "layout.h's E32_*");
extern volatile struct entry32 entry32;

void guest_main(const uint8_t *bp, uint64_t rflags);

static bool use_vmmcall;

static void putc(char c)
{
	asm volatile("outb %0, %1" : : "a"(c), "Nd"((uint16_t)0xe9));
}

static void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

static void put_hex(uint64_t v)
{
	int i;

	puts("0x");
	for (i = 60; i >= 0; i -= 4)
		putc("0123456789abcdef"[(v >> i) & 15]);
}

static long hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
		      unsigned long a3)
{
	long ret = nr;

	if (use_vmmcall)
		asm volatile("vmmcall"
			     : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3)
			     :
			     : "r8", "r10", "memory");
	else
		asm volatile("vmcall"
			     : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3)
			     :
			     : "r8", "r10", "memory");
	return ret;
}

static void __attribute__((noreturn)) shutdown(uint32_t reason)
{
	hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&reason,
		  0);
	for (;;)
		asm volatile("cli; hlt");
}

/* A failed check: say which and with what value, then crash. */
static void check(bool ok, const char *what, uint64_t value)
{
	if (ok)
		return;
	puts("FAIL: ");
	puts(what);
	puts(": ");
	put_hex(value);
	puts("\nTest result: FAILURE\n");
	shutdown(SHUTDOWN_crash);
}

static uint64_t get(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static bool vendor_has_svm(void)
{
	uint32_t a = 0, b, c, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return (b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163) ||
	       (b == 0x6f677948 && d == 0x6e65476e && c == 0x656e6975);
}

static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* KEY=N (KEY with its '=') from the command line, 0 if absent. */
static uint64_t number(const char *cmdline, const char *key)
{
	uint64_t n = 0;
	unsigned int len = 0;

	while (key[len])
		len++;
	for (; *cmdline; cmdline++)
		if (starts_with(cmdline, key)) {
			for (cmdline += len;
			     *cmdline >= '0' && *cmdline <= '9';)
				n = n * 10 + *cmdline++ - '0';
			break;
		}
	return n;
}

static void check_mode(uint64_t rflags)
{
	uint64_t cr0, lo, hi;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
	check(!(rflags & RFLAGS_IF), "interrupts on at entry", rflags);
	check(cr0 & CR0_PG, "paging off", cr0);
	check(lo & EFER_LMA, "not in long mode", lo);
}

static void check_header(const uint8_t *bp)
{
	check(get(bp + HDR_MAGIC, 4) == 0x53726448, "no HdrS in boot_params",
	      get(bp + HDR_MAGIC, 4));
	check(get(bp + HDR_VERSION, 2) == 0x20f, "version",
	      get(bp + HDR_VERSION, 2));
	check(bp[HDR_TYPE_OF_LOADER] == 0xff, "type_of_loader",
	      bp[HDR_TYPE_OF_LOADER]);
	check(bp[HDR_LOADFLAGS] == 0x01, "loadflags", bp[HDR_LOADFLAGS]);
	check(!get(bp + HDR_HEAP_END_PTR, 2), "heap_end_ptr",
	      get(bp + HDR_HEAP_END_PTR, 2));
	check(get(bp + HDR_CODE32_START, 4) == BZ_LOAD, "code32_start",
	      get(bp + HDR_CODE32_START, 4));
	check(get(bp + HDR_PREF_ADDRESS, 8) == BZ_LOAD, "pref_address",
	      get(bp + HDR_PREF_ADDRESS, 8));
	check(!get(bp + HDR_SETUP_DATA, 8), "setup_data",
	      get(bp + HDR_SETUP_DATA, 8));
}

/* The e820 type of addr, 0 if no entry has it. */
static unsigned int e820_type(const uint8_t *bp, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < bp[BP_E820_ENTRIES]; i++) {
		const uint8_t *e = bp + BP_E820_TABLE + 20 * i;

		if (addr >= get(e, 8) && addr - get(e, 8) < get(e + 8, 8))
			return get(e + 16, 4);
	}
	return 0;
}

static void check_e820(const uint8_t *bp, uint64_t mem, bool at32)
{
	unsigned int n = bp[BP_E820_ENTRIES], i;
	uint64_t end = 0, cr3, rsdp = get(bp + BP_ACPI_RSDP_ADDR, 8);

	check(n >= 3 && n <= 128, "e820 entries", n);
	for (i = 0; i < n; i++) {
		const uint8_t *e = bp + BP_E820_TABLE + 20 * i;

		check(get(e, 8) == end, "e820 gap or overlap at", get(e, 8));
		end += get(e + 8, 8);
	}
	check(end == mem, "e820 ends at", end);
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	if (at32)
		check(e820_type(bp, cr3 & ~0xfffUL) == E820_RAM,
		      "bzboot's own page tables not RAM", cr3);
	else
		check(e820_type(bp, cr3 & ~0xfffUL) == E820_RESERVED,
		      "page tables not reserved", cr3);
	check(e820_type(bp, (uintptr_t)bp) == E820_RAM, "boot_params not RAM",
	      (uintptr_t)bp);
	check(rsdp && e820_type(bp, rsdp) == E820_RESERVED,
	      "RSDP not in reserved memory", rsdp);
	check(get((const uint8_t *)rsdp, 8) == 0x2052545020445352,
	      "no RSD PTR at acpi_rsdp_addr", rsdp);
	/* The identity map covers RAM to its last byte. */
	check(*(volatile uint8_t *)(mem - 1) == 0, "last byte of RAM", mem);
}

static void check_ramdisk(const uint8_t *bp)
{
	const char *rd = (const char *)get(bp + HDR_RAMDISK_IMAGE, 4);
	uint64_t size = get(bp + HDR_RAMDISK_SIZE, 4);

	check(size == sizeof(RAMDISK_TEXT) - 1, "ramdisk_size", size);
	check(e820_type(bp, (uintptr_t)rd) == E820_RAM, "ramdisk not in RAM",
	      (uintptr_t)rd);
	check(starts_with(rd, RAMDISK_TEXT), "ramdisk text", (uintptr_t)rd);
}

/* The 32-bit entry's state, as the boot protocol has it. */
static void check_entry32(const uint8_t *bp)
{
	check(entry32.esi == (uintptr_t)bp, "ESI at the 32-bit entry",
	      entry32.esi);
	check(!entry32.ebx && !entry32.ebp && !entry32.edi,
	      "EBX, EBP or EDI not zero at the 32-bit entry",
	      entry32.ebx | entry32.ebp | entry32.edi);
	check((entry32.cr0 & (CR0_PE | CR0_PG)) == CR0_PE,
	      "CR0 at the 32-bit entry", entry32.cr0);
	check(!(entry32.eflags & RFLAGS_IF),
	      "interrupts on at the 32-bit entry", entry32.eflags);
	check(entry32.cs == BOOT_CS, "CS at the 32-bit entry", entry32.cs);
	check(entry32.ds == BOOT_DS && entry32.es == BOOT_DS &&
		      entry32.ss == BOOT_DS,
	      "DS, ES or SS at the 32-bit entry",
	      entry32.ds << 16 | entry32.es << 8 | entry32.ss);
}

void guest_main(const uint8_t *bp, uint64_t rflags)
{
	const char *cmdline;
	uint64_t mem;
	bool at32 = entry32.used;

	use_vmmcall = vendor_has_svm();
	puts(at32 ? "bzboot: entered at the 32-bit entry\n" :
		    "bzboot: entered at the 64-bit entry\n");
	check(bp != 0 && !((uintptr_t)bp & 0xfff), "boot_params at",
	      (uintptr_t)bp);
	check_mode(rflags);
	check_header(bp);
	cmdline = (const char *)get(bp + HDR_CMD_LINE_PTR, 4);
	check(cmdline && starts_with(cmdline, "bzboot "), "cmd_line_ptr",
	      (uintptr_t)cmdline);
	puts("bzboot: cmdline '");
	puts(cmdline);
	puts("'\n");
	check(at32 == (number(cmdline, "entry=") == 32),
	      "entered at the other entry; entry32 used", at32);
	if (at32)
		check_entry32(bp);
	mem = number(cmdline, "mem_mib=") << 20;
	check(mem, "no mem_mib= on the command line", 0);
	check_e820(bp, mem, at32);
	check_ramdisk(bp);
	if (number(cmdline, "vcpus=") > 1)
		check(!hypercall(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0),
		      "vCPU 1 started", 1);
	puts("Test result: SUCCESS\n");
	shutdown(SHUTDOWN_poweroff);
}
