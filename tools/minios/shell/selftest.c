/*
 * `selftest`: dom0 checks its own kernel. One line per check,
 * "selftest: NAME: PASS" or "selftest: NAME: FAIL: why", then
 * "selftest: N passed, N failed"; the command fails if a check did.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/version.h>
#include <xen_os.h>

#include <minios/arch.h>
#include <minios/evtchn.h>
#include <minios/foreign.h>
#include <minios/kernel.h>
#include <minios/page_alloc.h>
#include <minios/paging.h>
#include <minios/sched.h>
#include <minios/shell.h>
#include <minios/time.h>

#define MS NSEC_PER_MSEC

/* The reason a check failed, in its own buffer; NULL when it passed. */
static char why[160];

#define FAIL(...)                                        \
	({                                               \
		snprintf(why, sizeof(why), __VA_ARGS__); \
		why;                                     \
	})

/* threads: three threads take turns (FIFO), each exits with its code. */
static unsigned int order[9], order_len;

static int taker(void *arg)
{
	unsigned int id = (uintptr_t)arg;

	for (int i = 0; i < 3; i++) {
		order[order_len++] = id;
		thread_yield();
	}
	return 10 + id;
}

static const char *check_threads(void)
{
	struct thread *t[3];

	order_len = 0;
	for (unsigned int i = 0; i < 3; i++) {
		t[i] = thread_create("selftest-taker", taker,
				     (void *)(uintptr_t)i);
		if (!t[i])
			return FAIL("thread_create failed");
	}
	for (unsigned int i = 0; i < 3; i++) {
		int code = thread_join(t[i]);

		if (code != 10 + (int)i)
			return FAIL("thread %u exited with %d, not %u", i, code,
				    10 + i);
	}
	for (unsigned int i = 0; i < 9; i++)
		if (order[i] != i % 3)
			return FAIL("turn %u went to thread %u, not %u", i,
				    order[i], i % 3);
	return NULL;
}

/* sleep: 20 ms take at least 20 ms, and not a second. */
static const char *check_sleep(void)
{
	uint64_t start = now_ns(), took;

	sleep_ms(20);
	took = now_ns() - start;
	if (took < 20 * MS || took > 1000 * MS)
		return FAIL("sleep_ms(20) took %lu us", took / 1000);
	return NULL;
}

/* sleepers: four threads sleeping at once wake in deadline order. */
static unsigned int woke[4], woke_len;

static int sleeper(void *arg)
{
	unsigned int ms = (uintptr_t)arg;

	sleep_ms(ms);
	woke[woke_len++] = ms;
	return 0;
}

static const char *check_sleepers(void)
{
	static const unsigned int ms[4] = { 40, 10, 30, 20 };
	struct thread *t[4];
	uint64_t start = now_ns(), took;

	woke_len = 0;
	for (unsigned int i = 0; i < 4; i++)
		if (!(t[i] = thread_create("selftest-sleeper", sleeper,
					   (void *)(uintptr_t)ms[i])))
			return FAIL("thread_create failed");
	for (unsigned int i = 0; i < 4; i++)
		thread_join(t[i]);
	took = now_ns() - start;
	for (unsigned int i = 0; i < 4; i++)
		if (woke[i] != 10 * (i + 1))
			return FAIL("wake-up %u was the %u ms sleeper", i,
				    woke[i]);
	if (took < 40 * MS)
		return FAIL("all woke after %lu us, before 40 ms", took / 1000);
	return NULL;
}

/* timers: three timers set out of order fire in deadline order. */
struct fired {
	struct timer timer;
	uint64_t deadline, at;
	unsigned int rank;
};

static unsigned int nr_fired;
static struct waitq timer_wq;

static void timer_fn(void *arg)
{
	struct fired *f = arg;

	f->at = now_ns();
	f->rank = nr_fired++;
	waitq_wake_all(&timer_wq);
}

static const char *check_timers(void)
{
	static const unsigned int ms[3] = { 30, 10, 20 };
	static const unsigned int rank[3] = { 2, 0, 1 };
	struct fired f[3];
	uint64_t now = now_ns();
	unsigned long flags;

	nr_fired = 0;
	waitq_init(&timer_wq);
	for (unsigned int i = 0; i < 3; i++) {
		f[i].deadline = now + ms[i] * MS;
		timer_init(&f[i].timer, timer_fn, &f[i]);
		timer_set(&f[i].timer, f[i].deadline);
	}
	flags = irq_save();
	while (nr_fired < 3)
		if (!waitq_sleep(&timer_wq, now + 2000 * MS))
			break;
	irq_restore(flags);
	if (nr_fired < 3) {
		for (unsigned int i = 0; i < 3; i++)
			timer_stop(&f[i].timer);
		return FAIL("%u of 3 timers fired within 2 s", nr_fired);
	}
	for (unsigned int i = 0; i < 3; i++) {
		if (f[i].rank != rank[i])
			return FAIL("the %u ms timer fired in position %u, "
				    "not %u",
				    ms[i], f[i].rank + 1, rank[i] + 1);
		if (f[i].at < f[i].deadline)
			return FAIL("the %u ms timer fired %lu us early", ms[i],
				    (f[i].deadline - f[i].at) / 1000);
	}
	return NULL;
}

/* waitq: a sleeper is woken by another thread; a deadline ends a wait. */
static struct waitq flag_wq;
static bool flag;

static int flag_setter(void *arg)
{
	sleep_ms(5);
	flag = true;
	waitq_wake_all(&flag_wq);
	return 0;
}

static const char *check_waitq(void)
{
	struct thread *t;
	unsigned long flags;
	uint64_t start;
	bool woken;

	flag = false;
	waitq_init(&flag_wq);
	t = thread_create("selftest-setter", flag_setter, NULL);
	if (!t)
		return FAIL("thread_create failed");
	flags = irq_save();
	while (!flag)
		if (!waitq_sleep(&flag_wq, now_ns() + 2000 * MS))
			break;
	irq_restore(flags);
	thread_join(t);
	if (!flag)
		return FAIL("not woken within 2 s");
	start = now_ns();
	flags = irq_save();
	woken = waitq_sleep(&flag_wq, start + 15 * MS);
	irq_restore(flags);
	if (woken)
		return FAIL("a wait nobody ends said it was woken");
	if (now_ns() - start < 15 * MS)
		return FAIL("a 15 ms wait ended after %lu us",
			    (now_ns() - start) / 1000);
	return NULL;
}

/* malloc: random blocks filled and checked; every page back at the end. */
#define SLOTS 64

static uint32_t lcg(uint32_t *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

static bool intact(const unsigned char *p, size_t size, unsigned char tag)
{
	for (size_t i = 0; i < size; i++)
		if (p[i] != (unsigned char)(tag + i))
			return false;
	return true;
}

static void fill(unsigned char *p, size_t size, unsigned char tag)
{
	for (size_t i = 0; i < size; i++)
		p[i] = tag + i;
}

static const char *check_malloc(void)
{
	static unsigned char *slot[SLOTS];
	static size_t size[SLOTS];
	unsigned long before = pages_free();
	uint32_t seed = 1;
	const char *bad = NULL;
	unsigned char *z;

	for (unsigned int op = 0; op < 4000 && !bad; op++) {
		unsigned int i = lcg(&seed) % SLOTS;
		size_t n = lcg(&seed) % 3 ? lcg(&seed) % 300 + 1 :
					    lcg(&seed) % 9000 + 1;

		if (slot[i] && !intact(slot[i], size[i], i))
			bad = FAIL("block %u (%zu bytes) was overwritten", i,
				   size[i]);
		else if (slot[i] && op % 5 == 0) {
			unsigned char *q = realloc(slot[i], n);

			if (!q) {
				bad = FAIL("realloc(%zu) failed", n);
				break;
			}
			if (!intact(q, n < size[i] ? n : size[i], i))
				bad = FAIL("realloc lost block %u's bytes", i);
			slot[i] = q;
			size[i] = n;
			fill(q, n, i);
		} else if (slot[i]) {
			free(slot[i]);
			slot[i] = NULL;
		} else {
			slot[i] = malloc(n);
			if (!slot[i])
				bad = FAIL("malloc(%zu) failed", n);
			else if ((uintptr_t)slot[i] % 16)
				bad = FAIL(
					"malloc(%zu) gave %p, not 16-aligned",
					n, slot[i]);
			else
				fill(slot[i], size[i] = n, i);
		}
	}
	for (unsigned int i = 0; i < SLOTS; i++) {
		free(slot[i]);
		slot[i] = NULL;
	}
	if (bad)
		return bad;
	z = calloc(100, 40);
	for (unsigned int i = 0; z && i < 4000; i++)
		if (z[i])
			bad = FAIL("calloc gave a nonzero byte at %u", i);
	free(z);
	if (!z)
		return FAIL("calloc(100, 40) failed");
	if (!bad && pages_free() != before)
		bad = FAIL("%lu pages free after, %lu before", pages_free(),
			   before);
	return bad;
}

/*
 * evtchn: a loopback channel to ourselves through a xen_os handle: a
 * thread waiting on the handle gets the port dom0 sends to; the port is
 * masked until unmasked; empty waits time out.
 */
struct waiter_arg {
	struct xen_os_evtchn *h;
	int got;
};

static int evtchn_waiter(void *arg)
{
	struct waiter_arg *w = arg;

	w->got = xen_os_evtchn_wait(w->h, 2000 * MS);
	return 0;
}

static const char *loopback(struct xen_os_evtchn *h, evtchn_port_t a,
			    evtchn_port_t b)
{
	struct waiter_arg w = { .h = h };
	struct thread *t;
	uint64_t start;
	int rc;

	if ((rc = xen_os_evtchn_attach(h, a)))
		return FAIL("attach: %d", rc);
	if (xen_os_evtchn_attach(h, a) != -XEN_EBUSY)
		return FAIL("a second attach of port %u was not -EBUSY", a);
	if ((rc = xen_os_evtchn_wait(h, 0)) != -XEN_ETIMEDOUT)
		return FAIL("wait(0) with nothing pending gave %d", rc);
	start = now_ns();
	if ((rc = xen_os_evtchn_wait(h, 10 * MS)) != -XEN_ETIMEDOUT)
		return FAIL("wait(10 ms) with nothing pending gave %d", rc);
	if (now_ns() - start < 10 * MS)
		return FAIL("wait(10 ms) returned after %lu us",
			    (now_ns() - start) / 1000);
	if (!(t = thread_create("selftest-evtchn", evtchn_waiter, &w)))
		return FAIL("thread_create failed");
	thread_yield(); /* the waiter blocks */
	if ((rc = evtchn_send(b)))
		return FAIL("send on port %u: %d", b, rc);
	thread_join(t);
	if (w.got != (int)a)
		return FAIL("the waiter got %d, not port %u", w.got, a);
	if (!evtchn_is_masked(a))
		return FAIL("port %u fired and is not masked", a);
	evtchn_send(b);
	if ((rc = xen_os_evtchn_wait(h, 20 * MS)) != -XEN_ETIMEDOUT)
		return FAIL("a masked port was delivered (%d)", rc);
	evtchn_unmask(a);
	if ((rc = xen_os_evtchn_wait(h, 2000 * MS)) != (int)a)
		return FAIL("after unmask the pending event gave %d", rc);
	return NULL;
}

static const char *check_evtchn(void)
{
	struct xen_os_evtchn *h = xen_os_evtchn_open();
	long a, b;
	const char *bad;

	if (!h)
		return FAIL("xen_os_evtchn_open failed");
	a = evtchn_alloc_unbound(DOMID_SELF);
	b = a < 0 ? a : evtchn_bind_interdomain(DOMID_SELF, a);
	if (a < 0 || b < 0) {
		xen_os_evtchn_close(h);
		return FAIL("loopback channel: %ld %ld", a, b);
	}
	bad = loopback(h, a, b);
	xen_os_evtchn_close(h);
	evtchn_close(b);
	evtchn_close(a);
	return bad;
}

/*
 * foreign: mapping the frames of a domain that does not exist fails for
 * every page with -ESRCH, and gives the window pages back.
 */
static const char *check_foreign(void)
{
	uint64_t gfns[3] = { 0, 1, 2 };
	int errs[3], rc;
	unsigned long window = foreign_window_free();
	void *p = xen_os_map_foreign(0x7fe0, gfns, errs, 3, &rc);

	if (p)
		return FAIL("mapped a missing domain's pages at %p", p);
	if (rc != -XEN_ESRCH)
		return FAIL("a missing domain gave %d, not -ESRCH", rc);
	for (unsigned int i = 0; i < 3; i++)
		if (errs[i] != -XEN_ESRCH)
			return FAIL("page %u: %d, not -ESRCH", i, errs[i]);
	if (foreign_window_free() != window)
		return FAIL("%lu window pages free, %lu before",
			    foreign_window_free(), window);
	if ((rc = xen_os_unmap_foreign((void *)0x100000, 1)) != -XEN_EINVAL)
		return FAIL("unmapping RAM gave %d, not -EINVAL", rc);
	return NULL;
}

/*
 * foreign-domain (selftest DOMID): map pages of a live domain's image (at
 * 1 MiB, as the test guests are linked) and one gfn beyond any RAM: the
 * image pages map and hold something, the other fails alone; after the
 * unmap the window entries are gone and every page is back (but the
 * window's page tables).
 */
#define IMAGE_GFN 0x100
#define BEYOND_GFN 0xfffff0 /* 64 GiB: beyond every domain's p2m */

static const char *check_foreign_domain(domid_t dom)
{
	uint64_t gfns[4] = { IMAGE_GFN, IMAGE_GFN + 1, BEYOND_GFN,
			     IMAGE_GFN + 2 };
	unsigned long window = foreign_window_free(), pages = pages_free();
	unsigned int tables = paging_window_tables();
	int errs[4], rc;
	unsigned char *p = xen_os_map_foreign(dom, gfns, errs, 4, &rc);
	unsigned long at;
	unsigned int nonzero = 0;

	if (!p)
		return FAIL("mapping d%u's gfns failed: %d", dom, rc);
	at = (uintptr_t)p >> 12;
	if (errs[0] || errs[1] || errs[3] || errs[2] != -XEN_EINVAL) {
		xen_os_unmap_foreign(p, 4);
		return FAIL("per-page results %d %d %d %d, not 0 0 -EINVAL 0",
			    errs[0], errs[1], errs[2], errs[3]);
	}
	for (unsigned int i = 0; i < 4096; i++)
		nonzero += p[i] != 0;
	printf("selftest: d%u's gfn %#x mapped at %p: %u nonzero bytes\n", dom,
	       IMAGE_GFN, p, nonzero);
	if ((rc = xen_os_unmap_foreign(p, 4)))
		return FAIL("unmap: %d", rc);
	if (!nonzero)
		return FAIL("d%u's gfn %#x reads as zeros", dom, IMAGE_GFN);
	for (unsigned int i = 0; i < 4; i++)
		if (paging_window_mapped(at + i))
			return FAIL("window gfn %#lx still mapped", at + i);
	if (foreign_window_free() != window)
		return FAIL("%lu window pages free, %lu before",
			    foreign_window_free(), window);
	/* Page tables the window took are kept. */
	pages -= paging_window_tables() - tables;
	if (pages_free() != pages)
		return FAIL("%lu pages free, %lu expected", pages_free(),
			    pages);
	return NULL;
}

/* hypercall: xen_os_hypercall reaches the hypervisor; bad numbers fail. */
static const char *check_hypercall(void)
{
	long v = xen_os_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0,
				  0, 0, 0);

	if (v <= 0)
		return FAIL("xen_version gave %ld", v);
	v = xen_os_hypercall(200, 0, 0, 0, 0, 0);
	if (v != -XEN_ENOSYS)
		return FAIL("hypercall 200 gave %ld, not -ENOSYS", v);
	return NULL;
}

static const struct {
	const char *name;
	const char *(*fn)(void);
} checks[] = {
	{ "threads", check_threads },	  { "sleep", check_sleep },
	{ "sleepers", check_sleepers },	  { "timers", check_timers },
	{ "waitq", check_waitq },	  { "malloc", check_malloc },
	{ "evtchn", check_evtchn },	  { "foreign", check_foreign },
	{ "hypercall", check_hypercall },
};

static void report(const char *name, const char *bad, unsigned int *passed,
		   unsigned int *failed)
{
	if (bad) {
		printf("selftest: %s: FAIL: %s\n", name, bad);
		(*failed)++;
	} else {
		printf("selftest: %s: PASS\n", name);
		(*passed)++;
	}
}

static int cmd_selftest(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0;
	unsigned long target = 0;
	char *end;

	if (argc > 2 ||
	    (argc == 2 && ((target = strtoul(argv[1], &end, 10)) == 0 || *end ||
			   target >= DOMID_SELF))) {
		printf("usage: selftest [DOMID]\n");
		return 1;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(checks); i++)
		report(checks[i].name, checks[i].fn(), &passed, &failed);
	if (target)
		report("foreign-domain", check_foreign_domain(target), &passed,
		       &failed);
	printf("selftest: %u passed, %u failed\n", passed, failed);
	return failed != 0;
}

static struct command selftest_cmd = {
	.name = "selftest",
	.args = "[DOMID]",
	.help = "check dom0's kernel (and map pages of domain DOMID)",
	.fn = cmd_selftest,
};

void selftest_init(void)
{
	command_register(&selftest_cmd);
}
