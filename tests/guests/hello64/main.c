/*
 * hello64: a 64-bit guest with its own small runtime (lib/ is 32-bit).
 * Every vCPU checks that it runs in 64-bit mode with paging on and finds
 * the start info in RBX, then greets on port 0xE9. vCPU 0 then checks the
 * hypervisor's page tables: every table is reserved in the memory map, and
 * the code, the start info and the last page of RAM are mapped 1:1. It
 * writes a line through console_io from that last page, waits for the
 * greetings of the domain's N vCPUs (N from VCPUOP_is_up) and succeeds. A
 * failed check prints FAILURE and crashes the domain.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <public/sched.h>
#include <public/start_info.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "layout.h"

#define MAX_MEMMAP 16
#define MSR_EFER 0xc0000080
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)
#define CR0_PE (1UL << 0)
#define CR0_PG (1UL << 31)
#define CR4_PAE (1UL << 5)
#define PTE_P (1UL << 0)
#define PTE_PS (1UL << 7)
#define PTE_ADDR 0x000ffffffffff000UL
#define PAGE_SIZE 4096UL
#define WAIT_SECONDS 30

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

void guest_main(const struct hvm_start_info *si);

static bool use_vmmcall;
static unsigned int print_lock, verdict_given, greeted;

static struct cpuid_regs cpuid(uint32_t leaf, uint32_t sub)
{
	struct cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(sub));
	return r;
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#define read_cr(n)                                             \
	({                                                     \
		unsigned long v_;                              \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v_)); \
		v_;                                            \
	})

/* The 64-bit convention: RAX = number, RDI, RSI, RDX; all may change. */
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

static void yield(void)
{
	hypercall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
}

static void __attribute__((noreturn)) park(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

static void __attribute__((noreturn)) shutdown(uint32_t reason)
{
	hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&reason,
		  0);
	park();
}

/*
 * Console lines of different vCPUs must not mix. The holder may be a
 * descheduled vCPU on the same CPU, so a waiter yields now and then.
 */
static void lock(void)
{
	unsigned int spins = 0;

	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		if (++spins % 1024 == 0)
			yield();
		else
			asm volatile("pause");
}

static void unlock(void)
{
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

static void put_char(char c)
{
	asm volatile("outb %0, %1" : : "a"(c), "Nd"((uint16_t)0xe9));
}

static void put_num(uint64_t v, unsigned int base)
{
	char digits[20];
	unsigned int n = 0;

	do
		digits[n++] = "0123456789abcdef"[v % base];
	while (v /= base);
	while (n)
		put_char(digits[--n]);
}

/* %s, %d, %u, %x, each number also with l: all the guest needs. */
static void vprint(const char *fmt, va_list ap)
{
	const char *s;
	long d;
	bool l;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put_char(*fmt);
			continue;
		}
		l = *++fmt == 'l';
		fmt += l;
		switch (*fmt) {
		case 'd':
			d = l ? va_arg(ap, long) : va_arg(ap, int);
			if (d < 0)
				put_char('-');
			put_num(d < 0 ? -(uint64_t)d : (uint64_t)d, 10);
			break;
		case 'u':
		case 'x':
			put_num(l ? va_arg(ap, unsigned long) :
				    va_arg(ap, unsigned int),
				*fmt == 'u' ? 10 : 16);
			break;
		case 's':
			for (s = va_arg(ap, const char *); *s; s++)
				put_char(*s);
			break;
		default:
			return;
		}
	}
}

static void __attribute__((format(printf, 1, 2))) print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lock();
	vprint(fmt, ap);
	unlock();
	va_end(ap);
}

/* Print a verdict line (only the first, of any vCPU) and shut down. */
static void __attribute__((noreturn, format(printf, 2, 3)))
verdict(uint32_t reason, const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&verdict_given, 1, __ATOMIC_ACQ_REL))
		park();
	va_start(ap, fmt);
	lock();
	vprint(fmt, ap);
	unlock();
	va_end(ap);
	shutdown(reason);
}

#define fail(fmt, ...)                                             \
	verdict(SHUTDOWN_crash, "Test result: FAILURE: " fmt "\n", \
		##__VA_ARGS__)
#define succeed() verdict(SHUTDOWN_poweroff, "Test result: SUCCESS\n")

/* 1 in 64-bit mode; elsewhere 0x48 is DEC EAX and the result 0. */
static unsigned long rex_w_probe(void)
{
	unsigned long r;

	asm volatile("xor %%eax, %%eax\n\t"
		     ".byte 0x48\n\t" /* REX.W: INC RAX */
		     "inc %%eax"
		     : "=a"(r));
	return r;
}

/* Long mode (EFER.LME and LMA), protected mode, paging, PAE. */
static void check_mode(unsigned int vcpu)
{
	unsigned long efer = rdmsr(MSR_EFER), cr0 = read_cr(0),
		      cr4 = read_cr(4);

	if (rex_w_probe() != 1)
		fail("vCPU %u: REX.W ignored: not in 64-bit mode", vcpu);
	if ((efer & (EFER_LME | EFER_LMA)) != (EFER_LME | EFER_LMA))
		fail("vCPU %u: EFER 0x%lx: LME or LMA clear", vcpu, efer);
	if ((cr0 & (CR0_PE | CR0_PG)) != (CR0_PE | CR0_PG) || !(cr4 & CR4_PAE))
		fail("vCPU %u: CR0 0x%lx CR4 0x%lx: PE, PG or PAE clear", vcpu,
		     cr0, cr4);
}

/* The hypervisor's vCPU id (CPUID 0x40000004); its signature required. */
static unsigned int vcpu_id(void)
{
	struct cpuid_regs r = cpuid(0x40000000, 0);

	if (r.ebx != 0x566e6558 || r.ecx != 0x65584d4d || r.edx != 0x4d4d566e ||
	    r.eax < 0x40000004)
		fail("no XenVMMXenVMM signature with leaf 0x40000004");
	r = cpuid(0x40000004, 0);
	if (!(r.eax & (1u << 3)))
		fail("CPUID 0x40000004: no vCPU id");
	return r.ebx;
}

/* AMD and Hygon have SVM (VMMCALL), the others VMX (VMCALL). */
static bool vendor_has_svm(void)
{
	struct cpuid_regs r = cpuid(0, 0);

	return (r.ebx == 0x68747541 && r.edx == 0x69746e65 &&
		r.ecx == 0x444d4163) ||
	       (r.ebx == 0x6f677948 && r.edx == 0x6e65476e &&
		r.ecx == 0x656e6975);
}

static const struct hvm_memmap_table_entry *
memmap(const struct hvm_start_info *si, unsigned int *nr)
{
	*nr = si->memmap_entries;
	if (si->version < 1 || !*nr || *nr > MAX_MEMMAP)
		fail("start info version %u with %u memory map entries",
		     si->version, *nr);
	return (const void *)si->memmap_paddr;
}

/* The memory map's type at pa (0 if none says). */
static uint32_t map_type(const struct hvm_start_info *si, uint64_t pa)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int i, nr;

	map = memmap(si, &nr);
	for (i = 0; i < nr; i++)
		if (pa >= map[i].addr && pa - map[i].addr < map[i].size)
			return map[i].type;
	return 0;
}

/* The end of the highest RAM range. */
static uint64_t ram_end(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int i, nr;
	uint64_t end = 0;

	map = memmap(si, &nr);
	for (i = 0; i < nr; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    map[i].addr + map[i].size > end)
			end = map[i].addr + map[i].size;
	return end;
}

/*
 * Walk the live page tables (reading them 1:1) for va and check it maps
 * to the same address; each table must be reserved in the memory map.
 */
static void check_identity(const struct hvm_start_info *si, uint64_t va)
{
	uint64_t table = read_cr(3) & PTE_ADDR, pte, mask;
	unsigned int shift;

	for (shift = 39;; shift -= 9) {
		if (map_type(si, table) != XEN_HVM_MEMMAP_TYPE_RESERVED)
			fail("page table at 0x%lx: not reserved in the memory "
			     "map",
			     table);
		pte = ((const volatile uint64_t *)table)[(va >> shift) & 511];
		if (!(pte & PTE_P))
			fail("0x%lx: not mapped (0x%lx at level %u)", va, pte,
			     (shift - 3) / 9);
		mask = (1UL << shift) - 1;
		if (shift == 12 || (shift < 39 && (pte & PTE_PS)))
			break;
		table = pte & PTE_ADDR;
	}
	if ((pte & PTE_ADDR & ~mask) != (va & ~mask))
		fail("0x%lx: mapped to 0x%lx, not 1:1", va,
		     (pte & PTE_ADDR & ~mask) | (va & mask));
}

/*
 * The domain's vCPUs: VCPUOP_is_up answers (up or down) for ids 0 to N-1,
 * and -EINVAL past them.
 */
static unsigned int count_vcpus(void)
{
	unsigned int n = 0;

	while (n <= MAX_VCPUS &&
	       hypercall(__HYPERVISOR_vcpu_op, VCPUOP_is_up, n, 0) >= 0)
		n++;
	if (!n || n > MAX_VCPUS)
		fail("%u vCPUs: this guest runs on 1 to %u", n, MAX_VCPUS);
	return n;
}

/*
 * The last page of RAM is mapped and writable: put a line there and have
 * the hypervisor read it through the page tables (console_io).
 */
static void console_io_from_ram_end(const struct hvm_start_info *si)
{
	static const char msg[] = "Hello through console_io from the last "
				  "page of RAM\n";
	uint64_t page = ram_end(si) - PAGE_SIZE;
	volatile char *buf = (volatile char *)page;
	unsigned int i;
	long rc;

	check_identity(si, page);
	for (i = 0; i < sizeof(msg) - 1; i++)
		buf[i] = msg[i];
	for (i = 0; i < sizeof(msg) - 1; i++)
		if (buf[i] != msg[i])
			fail("0x%lx: wrote 0x%x, read 0x%x", page + i, msg[i],
			     buf[i]);
	rc = hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, i, page);
	if (rc)
		fail("console_io write from 0x%lx returned %ld", page, rc);
}

/* Wait for n vCPUs (this one included) to have greeted. */
static void wait_for_greetings(unsigned int n)
{
	uint64_t khz = cpuid(0x40000003, 0).ecx, end;

	if (!khz)
		fail("no TSC frequency (CPUID 0x40000003)");
	end = rdtsc() + khz * 1000 * WAIT_SECONDS;
	while (__atomic_load_n(&greeted, __ATOMIC_ACQUIRE) < n) {
		if (rdtsc() > end)
			fail("only %u of %u vCPUs greeted within %u s",
			     __atomic_load_n(&greeted, __ATOMIC_ACQUIRE), n,
			     WAIT_SECONDS);
		yield();
	}
}

void guest_main(const struct hvm_start_info *si)
{
	const char *cmdline = "";
	unsigned int vcpu, n;

	use_vmmcall = vendor_has_svm();
	vcpu = vcpu_id();
	check_mode(vcpu);
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		fail("vCPU %u: start info at 0x%lx: magic 0x%x", vcpu,
		     (unsigned long)si, si->magic);
	print("Hello from 64-bit vCPU %u\n", vcpu);
	__atomic_add_fetch(&greeted, 1, __ATOMIC_RELEASE);
	if (vcpu)
		park();

	if (si->cmdline_paddr) {
		if (map_type(si, si->cmdline_paddr) != XEN_HVM_MEMMAP_TYPE_RAM)
			fail("command line at 0x%lx: not in RAM",
			     (unsigned long)si->cmdline_paddr);
		cmdline = (const char *)si->cmdline_paddr;
	}
	n = count_vcpus();
	print("Command line '%s': %u vCPU%s\n", cmdline, n, n > 1 ? "s" : "");
	check_identity(si, (uintptr_t)si);
	check_identity(si, (uintptr_t)guest_main);
	console_io_from_ram_end(si);
	wait_for_greetings(n);
	succeed();
}
