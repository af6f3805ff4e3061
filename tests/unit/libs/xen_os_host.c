/* The in-process transport (xen_os_host.h). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xen/bitops.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/p2m.h>
#include <public/memory.h>
#include <public/shared_info.h>

#include <xen_os.h>

#include "harness.h"
#include "xen_os_host.h"

/* dom0 has one vCPU: its hypercalls run one at a time. */
static pthread_mutex_t hypercall_lock = PTHREAD_MUTEX_INITIALIZER;
/* The vCPU the hypercalls are made as: dom0's, unless a test says. */
static struct vcpu *caller;
/* dom0's vCPU: its upcalls are handled, its gfns hold foreign maps. */
static struct vcpu *dom0;
/* The shared-memory file behind the arena: machine address = offset. */
static int arena_fd = -1;

void xen_os_host_share_arena(void)
{
	int fd = memfd_create("machine-memory", 0);

	if (fd < 0 || ftruncate(fd, SHIM_MEM_SIZE) ||
	    mmap(shim_mem, SHIM_MEM_SIZE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, 0) != shim_mem)
		FAIL("cannot put machine memory in a shared-memory file");
	arena_fd = fd;
}

long xen_os_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct hypercall_args args = { .a = { a1, a2, a3, a4, a5 } };
	struct vcpu *prev;
	long rc;

	pthread_mutex_lock(&hypercall_lock);
	prev = this_cpu(curr_vcpu);
	this_cpu(curr_vcpu) = caller;
	/* A continuation: the guest would enter again with args updated. */
	while ((rc = hypercall_dispatch(caller, op, &args)) == -ERESTART)
		;
	this_cpu(curr_vcpu) = prev;
	pthread_mutex_unlock(&hypercall_lock);
	return rc;
}

void xen_os_host_set_caller(struct vcpu *v)
{
	pthread_mutex_lock(&hypercall_lock);
	caller = v;
	pthread_mutex_unlock(&hypercall_lock);
}

/*
 * Foreign mappings. Each takes a run of free gfns of the window (first
 * fit) and a host range of as many pages, where the frames that could be
 * mapped are mapped at their place and the others stay inaccessible.
 */
struct foreign_map {
	u8 *addr;
	unsigned int nr;
	unsigned long gfn; /* dom0's first gfn */
	bool *mapped; /* [nr] */
	struct foreign_map *next;
};

/* Protects the window's bitmap and the list of mappings. */
static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long window_first, window_nr;
static bool *window_used;
static struct foreign_map *maps;

int xen_os_host_init(struct vcpu *v, unsigned long window,
		     unsigned long window_pages)
{
	caller = dom0 = v;
	window_first = window;
	window_nr = window_pages;
	window_used = calloc(window_pages, sizeof(*window_used));
	return window_used ? 0 : -ENOMEM;
}

/* nr free gfns of the window, marked used: the first, or ~0UL. */
static unsigned long window_take(unsigned int nr)
{
	unsigned long i, run = 0;

	for (i = 0; i < window_nr; i++) {
		run = window_used[i] ? 0 : run + 1;
		if (run == nr) {
			i -= nr - 1;
			memset(&window_used[i], true, nr);
			return window_first + i;
		}
	}
	return ~0UL;
}

static void window_give(unsigned long gfn, unsigned int nr)
{
	memset(&window_used[gfn - window_first], false, nr);
}

/* Map gfns[0..nr) of dom at dom0's gfns from gfn; errs[] per page. */
static void map_batch(domid_t dom, const u64 *gfns, int *errs, unsigned int nr,
		      unsigned long gfn)
{
	xen_pfn_t *gpfns = malloc(nr * sizeof(*gpfns));
	int32_t *rcs = malloc(nr * sizeof(*rcs));
	struct xen_add_to_physmap_batch b = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_gmfn_foreign,
		.u.foreign_domid = dom,
	};
	unsigned int done, n, i;
	long rc;

	CHECK(gpfns && rcs);
	for (i = 0; i < nr; i++)
		gpfns[i] = gfn + i;
	for (done = 0; done < nr; done += n) {
		n = min(nr - done, (unsigned int)UINT16_MAX);
		b.size = (uint16_t)n;
		set_xen_guest_handle(b.idxs, (xen_pfn_t *)gfns + done);
		set_xen_guest_handle(b.gpfns, gpfns + done);
		set_xen_guest_handle(b.errs, rcs + done);
		rc = xen_os_hypercall(__HYPERVISOR_memory_op,
				      XENMEM_add_to_physmap_batch,
				      (unsigned long)&b, 0, 0, 0);
		for (i = done; i < done + n; i++)
			errs[i] = rc ? (int)rc : rcs[i];
	}
	free(gpfns);
	free(rcs);
}

/* The machine frame behind dom0's foreign entry at gfn, or ~0UL. */
static unsigned long foreign_mfn(unsigned long gfn)
{
	struct p2m_domain *p2m = dom0->domain->p2m;
	struct p2m_lookup r;
	unsigned long mfn = ~0UL;

	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r);
	if (r.t == p2m_map_foreign)
		mfn = mfn_x(r.mfn);
	put_gfn(p2m, _gfn(gfn));
	return mfn;
}

static void remove_entry(unsigned long gfn)
{
	struct xen_remove_from_physmap r = { .domid = DOMID_SELF, .gpfn = gfn };

	CHECK_EQ(xen_os_hypercall(__HYPERVISOR_memory_op,
				  XENMEM_remove_from_physmap, (unsigned long)&r,
				  0, 0, 0),
		 0);
}

/* Undo what of a mapping was made, whatever it got to. */
static void map_free(struct foreign_map *m)
{
	if (m->addr)
		munmap(m->addr, (size_t)m->nr * PAGE_SIZE);
	/* The host view went first: then the entries and their references */
	for (unsigned int i = 0; m->mapped && i < m->nr; i++)
		if (m->mapped[i])
			remove_entry(m->gfn + i);
	pthread_mutex_lock(&map_lock);
	if (m->gfn != ~0UL)
		window_give(m->gfn, m->nr);
	pthread_mutex_unlock(&map_lock);
	free(m->mapped);
	free(m);
}

/* A mapping of nr pages, nothing mapped yet: NULL if there is no room. */
static struct foreign_map *map_new(unsigned int nr)
{
	struct foreign_map *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->nr = nr;
	m->mapped = calloc(nr, sizeof(*m->mapped));
	m->addr = mmap(NULL, (size_t)nr * PAGE_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->addr == MAP_FAILED)
		m->addr = NULL;
	pthread_mutex_lock(&map_lock);
	m->gfn = window_take(nr);
	pthread_mutex_unlock(&map_lock);
	if (!m->mapped || !m->addr || m->gfn == ~0UL) {
		map_free(m);
		return NULL;
	}
	return m;
}

void *xen_os_map_foreign(domid_t dom, const uint64_t *gfns, int *errs,
			 unsigned int nr, int *rc)
{
	struct foreign_map *m;
	unsigned int i, good = 0;

	*rc = -EINVAL;
	if (!nr)
		return NULL;
	*rc = -ENOMEM;
	m = map_new(nr);
	if (!m)
		return NULL;
	map_batch(dom, gfns, errs, nr, m->gfn);
	for (i = 0; i < nr; i++) {
		unsigned long mfn = foreign_mfn(m->gfn + i);

		/* The entry exists if and only if the batch said it did. */
		CHECK_EQ(mfn != ~0UL, !errs[i]);
		if (errs[i])
			continue;
		m->mapped[i] = true;
		good++;
		if (mmap(m->addr + (size_t)i * PAGE_SIZE, PAGE_SIZE,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 arena_fd, (off_t)(mfn << PAGE_SHIFT)) == MAP_FAILED)
			FAIL("mmap of frame %#lx failed", mfn);
	}
	if (!good) {
		*rc = errs[0];
		map_free(m);
		return NULL;
	}
	pthread_mutex_lock(&map_lock);
	m->next = maps;
	maps = m;
	pthread_mutex_unlock(&map_lock);
	return m->addr;
}

int xen_os_unmap_foreign(void *addr, unsigned int nr)
{
	struct foreign_map **pp, *m;

	pthread_mutex_lock(&map_lock);
	for (pp = &maps; (m = *pp) && (m->addr != addr || m->nr != nr);
	     pp = &m->next)
		;
	if (m)
		*pp = m->next;
	pthread_mutex_unlock(&map_lock);
	if (!m)
		return -EINVAL;
	map_free(m);
	return 0;
}

/*
 * Event channels. A handle's queue holds each port at most once between
 * two unmasks (it is masked when queued); EVTCHN_2L_NR_PORTS slots hold
 * every port, so a port can only be refused a slot if the library
 * unmasked it before taking it off the queue: it then stays pending and
 * masked, as if it had not been unmasked.
 */
#define QUEUE_LEN EVTCHN_2L_NR_PORTS

struct xen_os_evtchn {
	pthread_cond_t cond; /* a port was queued */
	evtchn_port_t queue[QUEUE_LEN];
	unsigned int head, count;
};

/* Protects the queues and which handle each port is attached to. */
static pthread_mutex_t evtchn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct xen_os_evtchn *port_handle[EVTCHN_2L_NR_PORTS];

struct xen_os_evtchn *xen_os_evtchn_open(void)
{
	struct xen_os_evtchn *h = calloc(1, sizeof(*h));
	pthread_condattr_t attr;

	if (!h)
		return NULL;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cond, &attr);
	pthread_condattr_destroy(&attr);
	return h;
}

void xen_os_evtchn_close(struct xen_os_evtchn *h)
{
	pthread_mutex_lock(&evtchn_lock);
	for (unsigned int i = 0; i < EVTCHN_2L_NR_PORTS; i++)
		if (port_handle[i] == h)
			port_handle[i] = NULL;
	pthread_mutex_unlock(&evtchn_lock);
	pthread_cond_destroy(&h->cond);
	free(h);
}

/* dom0's shared-info page in the 64-bit layout (dom0 is 64-bit). */
static struct shared_info *dom0_shared_info(void)
{
	ASSERT(!dom0->domain->shinfo_compat);
	return dom0->domain->shared_info;
}

/*
 * Queue port on its handle if it is pending and not masked: masked, its
 * pending bit cleared, as a guest's handler acknowledges it. evtchn_lock
 * held.
 */
static void take_if_pending(evtchn_port_t port)
{
	struct shared_info *s = dom0_shared_info();
	struct xen_os_evtchn *h = port_handle[port];
	unsigned long *pending = (unsigned long *)s->evtchn_pending;
	unsigned long *mask = (unsigned long *)s->evtchn_mask;

	if (!h || h->count == QUEUE_LEN || !test_bit(port, pending) ||
	    test_and_set_bit(port, mask))
		return;
	clear_bit(port, pending);
	h->queue[(h->head + h->count++) % QUEUE_LEN] = port;
	pthread_cond_signal(&h->cond);
}

/*
 * The upcall, as dom0's handler takes it: evtchn_upcall_pending, then the
 * selector, then the words it names. Only dom0 runs a handler here.
 */
void arch_vcpu_raise_upcall(struct vcpu *v)
{
	struct shared_info *s;
	struct vcpu_info *vi;
	u64 sel;

	if (v != dom0)
		return;
	s = dom0_shared_info();
	vi = &s->vcpu_info[v->vcpu_id];
	pthread_mutex_lock(&evtchn_lock);
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	for (unsigned int w = 0; w < 64; w++) {
		if (!(sel & (1UL << w)))
			continue;
		for (unsigned int b = 0; b < 64; b++)
			if (READ_ONCE(s->evtchn_pending[w]) & (1UL << b))
				take_if_pending(w * 64 + b);
	}
	pthread_mutex_unlock(&evtchn_lock);
}

int xen_os_evtchn_attach(struct xen_os_evtchn *h, evtchn_port_t port)
{
	if (port >= EVTCHN_2L_NR_PORTS)
		return -EINVAL;
	pthread_mutex_lock(&evtchn_lock);
	port_handle[port] = h;
	/* It may have fired between its binding and now. */
	take_if_pending(port);
	pthread_mutex_unlock(&evtchn_lock);
	return 0;
}

void xen_os_evtchn_detach(struct xen_os_evtchn *h, evtchn_port_t port)
{
	unsigned int i, n = 0;

	if (port >= EVTCHN_2L_NR_PORTS)
		return;
	pthread_mutex_lock(&evtchn_lock);
	if (port_handle[port] == h)
		port_handle[port] = NULL;
	/* Its queued events go with it. */
	for (i = 0; i < h->count; i++) {
		evtchn_port_t p = h->queue[(h->head + i) % QUEUE_LEN];

		if (p != port)
			h->queue[(h->head + n++) % QUEUE_LEN] = p;
	}
	h->count = n;
	pthread_mutex_unlock(&evtchn_lock);
}

int xen_os_evtchn_wait(struct xen_os_evtchn *h, uint64_t timeout_ns)
{
	struct timespec until;
	int port = -XEN_ETIMEDOUT;

	clock_gettime(CLOCK_MONOTONIC, &until);
	if (timeout_ns != UINT64_MAX) {
		u64 ns = until.tv_nsec + timeout_ns % 1000000000;

		until.tv_sec += timeout_ns / 1000000000 + ns / 1000000000;
		until.tv_nsec = ns % 1000000000;
	}
	pthread_mutex_lock(&evtchn_lock);
	while (!h->count && timeout_ns) {
		if (timeout_ns == UINT64_MAX)
			pthread_cond_wait(&h->cond, &evtchn_lock);
		else if (pthread_cond_timedwait(&h->cond, &evtchn_lock, &until))
			break;
	}
	if (h->count) {
		port = (int)h->queue[h->head];
		h->head = (h->head + 1) % QUEUE_LEN;
		h->count--;
	}
	pthread_mutex_unlock(&evtchn_lock);
	return port;
}
