/*
 * The host shim: what the hypervisor's hardware-independent sources need
 * from the architecture and the console, on top of libc and pthreads.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <xen/sched.h>
#include <asm/system.h>

#include "harness.h"
#include "shim.h"

#define LOCK_SPIN_CYCLES 20000
#define FRAMETABLE_SIZE (MAX_PFN * sizeof(struct page_info))
#define FRAMETABLE_PAGES (FRAMETABLE_SIZE / PAGE_SIZE)

char *shim_mem;
struct page_info *shim_frame_table;
bool shim_populate_fail;

__thread unsigned int shim_cpu_id;
__thread bool shim_irqs_disabled;
/* The vCPU each CPU runs (current): NULL unless a test sets it. */
DEFINE_PER_CPU(struct vcpu *, curr_vcpu);

/* CPU numbers of running threads; the main thread is CPU 0. */
static unsigned long cpus_busy = 1;
/* Frame-table pages made accessible, to catch populating one twice. */
static bool frametable_populated[FRAMETABLE_PAGES];

static void *reserve(size_t size, int prot)
{
	void *p = mmap(NULL, size, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("shim: mmap");
		exit(2);
	}
	return p;
}

void shim_init(void)
{
	shim_mem = reserve(SHIM_MEM_SIZE, PROT_READ | PROT_WRITE);
	shim_frame_table = reserve(FRAMETABLE_SIZE, PROT_NONE);
}

void cpu_relax(void)
{
	sched_yield();
}

/* Bumped by every lock release: the futex word lock waiters sleep on. */
static uint32_t lock_releases;
static unsigned int lock_sleepers;
/* TSC when this thread began waiting; 0 when it is not waiting. */
static __thread uint64_t lock_wait_start;

/*
 * A waiter spins for about LOCK_SPIN_CYCLES, which catches a short hold
 * on a running CPU; then it sleeps until the next release, or 1 ms at most
 * (a release between the caller's look and `seen` is not noticed). It
 * never yields: beside a busy process one sched_yield() can cost that
 * process's whole time slice, and 6 threads taking turns took minutes.
 */
void arch_lock_wait(void)
{
	static const struct timespec most = { 0, 1000000 };
	uint64_t now = __rdtsc();
	uint32_t seen;

	if (!lock_wait_start)
		lock_wait_start = now;
	if (now - lock_wait_start < LOCK_SPIN_CYCLES) {
		__builtin_ia32_pause();
		return;
	}
	seen = __atomic_load_n(&lock_releases, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&lock_sleepers, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &lock_releases, FUTEX_WAIT_PRIVATE, seen, &most,
		NULL, 0);
	__atomic_fetch_sub(&lock_sleepers, 1, __ATOMIC_SEQ_CST);
}

/*
 * Wakes every sleeping waiter: they look again, all but one sleep again.
 * A thread that releases a lock got the one it waited for, if any.
 */
void arch_lock_released(void)
{
	lock_wait_start = 0;
	__atomic_fetch_add(&lock_releases, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&lock_sleepers, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &lock_releases, FUTEX_WAKE_PRIVATE, INT_MAX,
			NULL, NULL, 0);
}

void shim_bad_paddr(paddr_t pa)
{
	panic("__va(%#lx): outside machine memory [0, %#lx)\n", pa,
	      SHIM_MEM_SIZE);
}

int arch_populate_frametable(unsigned long va, unsigned long len)
{
	unsigned long off = va - (unsigned long)shim_frame_table;
	unsigned long i, first = off / PAGE_SIZE, nr = len / PAGE_SIZE;

	if (va < (unsigned long)shim_frame_table || off > FRAMETABLE_SIZE ||
	    len > FRAMETABLE_SIZE - off || !IS_ALIGNED(off | len, PAGE_SIZE))
		panic("arch_populate_frametable(%#lx, %#lx): bad range\n", va,
		      len);
	for (i = first; i < first + nr; i++)
		if (frametable_populated[i])
			panic("arch_populate_frametable(%#lx, %#lx): "
			      "populated twice\n",
			      va, len);
	if (shim_populate_fail ||
	    mprotect((void *)va, len, PROT_READ | PROT_WRITE))
		return -ENOMEM;
	for (i = first; i < first + nr; i++)
		frametable_populated[i] = true;
	return 0;
}

int arch_map_directmap(unsigned long spfn, unsigned long epfn)
{
	return 0;
}

void shim_add_ram(unsigned long spfn, unsigned long epfn)
{
	int rc;

	if (epfn > SHIM_MEM_SIZE >> PAGE_SHIFT)
		FAIL("RAM [%#lx, %#lx) outside machine memory", spfn, epfn);
	rc = frametable_add(spfn, epfn);
	if (rc)
		FAIL("frametable_add(%#lx, %#lx): %d", spfn, epfn, rc);
	init_heap_pages(pfn_to_page(spfn), epfn - spfn);
}

/* Console: stderr, "(XEN) " at the start of each line, no level filter. */
void vprintk(const char *fmt, va_list args)
{
	static bool at_line_start = true;
	char buf[1024];
	const char *s = buf;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '3')
		fmt += 2;
	vsnprintf(buf, sizeof(buf), fmt, args);

	flockfile(stderr);
	while (*s) {
		size_t len = strcspn(s, "\n");

		if (at_line_start)
			fputs("(XEN) ", stderr);
		fwrite(s, 1, len, stderr);
		at_line_start = s[len] == '\n';
		if (at_line_start)
			fputc('\n', stderr);
		s += len + at_line_start;
	}
	funlockfile(stderr);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* Unwinds to the test's EXPECT_PANIC(), or fails the test. */
void panic(const char *fmt, ...)
{
	char msg[1024];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	printk("Panic on CPU%u: %s\n", smp_processor_id(), msg);
	harness_panic(msg);
}

void assert_failed(const char *expr, const char *file, int line)
{
	panic("Assertion '%s' failed at %s:%d\n", expr, file, line);
}

struct thread_start {
	void (*fn)(void *arg);
	void *arg;
	unsigned int cpu;
};

/* The lowest CPU number no running thread has. */
static unsigned int cpu_get(void)
{
	unsigned long busy = __atomic_load_n(&cpus_busy, __ATOMIC_RELAXED);

	BUILD_BUG_ON(NR_CPUS > BITS_PER_LONG);
	for (;;) {
		if (busy == ~0UL || ffsl0(~busy) >= NR_CPUS)
			FAIL("more than %d CPUs (threads) at once", NR_CPUS);
		/* busy + 1 carries into the lowest clear bit */
		if (__atomic_compare_exchange_n(
			    &cpus_busy, &busy, busy | (busy + 1), false,
			    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return ffsl0(~busy);
	}
}

static void *thread_main(void *p)
{
	struct thread_start ts = *(struct thread_start *)p;

	free(p);
	shim_cpu_id = ts.cpu;
	ts.fn(ts.arg);
	__atomic_fetch_and(&cpus_busy, ~(1UL << ts.cpu), __ATOMIC_RELEASE);
	return NULL;
}

pthread_t shim_thread_start(void (*fn)(void *arg), void *arg)
{
	struct thread_start *ts = malloc(sizeof(*ts));
	pthread_t t;

	if (!ts)
		FAIL("out of memory");
	*ts = (struct thread_start){ fn, arg, cpu_get() };
	if (pthread_create(&t, NULL, thread_main, ts))
		FAIL("pthread_create failed");
	return t;
}

void shim_thread_join(pthread_t t)
{
	if (pthread_join(t, NULL))
		FAIL("pthread_join failed");
}
