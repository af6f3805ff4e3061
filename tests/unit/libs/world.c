/*
 * The machine under the libraries' tests (world.h): what the hypervisor
 * sources linked into the runner need of the scheduler, the arch, the
 * clock and the console, on host threads. Nothing here runs a vCPU:
 *
 *   - a vCPU's pause count is kept, and it is never running, so that
 *     pausing, shutting down and destroying proceed at once;
 *   - the reaper is called as soon as it is kicked, on the kicker's
 *     thread (never inside itself): a domain is destroyed when its last
 *     reference goes, as the reaper vCPU would do a moment later;
 *   - timers never fire;
 *   - guest-virtual addresses are host addresses (world.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xen/autoexit.h>
#include <xen/bitops.h>
#include <xen/console.h>
#include <xen/guest-copy.h>
#include <xen/hypercall.h>
#include <xen/param.h>
#include <xen/timer.h>
#include <asm/config.h>
#include <asm/hvm.h>
#include <asm/p2m.h>
#include <asm/stack.h>
#include <asm/time.h>
#include <asm/vlapic.h>
#include <public/shared_info.h>

#include "../../../xen/arch/x86/mm/p2m/conformance.h"
/* The harness's CHECK, not the self-tests' one (which returns TEST_FAIL) */
#undef CHECK
#include "harness.h"
#include "shim.h"
#include "world.h"
#include "xen_os_host.h"

#define RAM_START 0x1000UL
/* A build may give the world more RAM (tests/bench/Makefile). */
#ifndef WORLD_RAM_END
#define WORLD_RAM_END 0x5000UL
#endif

cpumask_t cpu_online_map, guest_cpu_map;
/* physinfo's cpu_khz. */
unsigned long tsc_khz = 1000000;

void world_init(void)
{
	struct domain *dom0;

	/* Before any page is handed out: the arena becomes shareable. */
	xen_os_host_share_arena();
	shim_add_ram(RAM_START, WORLD_RAM_END);
	cpumask_set_cpu(0, &cpu_online_map);
	cpumask_set_cpu(0, &guest_cpu_map);
	world_guest(0, "dom0", WORLD_DOM0_GFNS, 1);
	dom0 = domain_find(WORLD_DOM0);
	CHECK(dom0);
	control_domain_offer(dom0);
	CHECK(is_control_domain(dom0));
	CHECK_EQ(xen_os_host_init(dom0->vcpu[0], WORLD_FOREIGN_FIRST,
				  WORLD_DOM0_GFNS - WORLD_FOREIGN_FIRST),
		 0);
}

void world_guest(uint16_t id, const char *name, unsigned long max_gfn,
		 unsigned int nr_vcpus)
{
	struct domain *d;
	int rc;

	d = domain_create(id, name, nr_vcpus, max_gfn, &rc);
	CHECK_EQ(rc, 0);
	CHECK_EQ(hvm_domain_init(d, max_gfn), 0);
	for (unsigned int i = 0; i < nr_vcpus; i++)
		CHECK_EQ(vcpu_create(d, i, NULL), 0);
}

/* Domain id, which the test expects to exist. */
static struct domain *dom(uint16_t id)
{
	struct domain *d = domain_find(id);

	if (!d)
		FAIL("no domain %u", id);
	return d;
}

long world_hypercall_as(uint16_t id, unsigned int vcpu, unsigned int op,
			unsigned long a1, unsigned long a2)
{
	struct vcpu *v = dom(id)->vcpu[vcpu];
	struct vcpu *prev = this_cpu(curr_vcpu);
	struct hypercall_args args = { .a = { a1, a2 } };
	long rc;

	CHECK(v);
	this_cpu(curr_vcpu) = v;
	while ((rc = hypercall_dispatch(v, op, &args)) == -ERESTART)
		;
	this_cpu(curr_vcpu) = prev;
	return rc;
}

void world_populate(uint16_t id, unsigned long gfn, uint8_t fill)
{
	struct domain *d = dom(id);
	struct page_info *pg = alloc_domheap_page(d, 0);

	CHECK(pg);
	memset(page_to_virt(pg), fill, PAGE_SIZE);
	CHECK_EQ(p2m_set_entry(d->p2m, _gfn(gfn), _mfn(page_to_pfn(pg)),
			       PAGE_ORDER_4K, p2m_ram_rw, p2m_access_rwx),
		 0);
}

void world_touch(uint16_t id, unsigned long gfn)
{
	pt_touch(dom(id)->p2m, _gfn(gfn));
}

void world_accessed_bits(uint16_t id, bool kept)
{
	dom(id)->p2m->accessed_bits = kept;
}

uint8_t *world_gfn_page(uint16_t id, unsigned long gfn)
{
	struct p2m_domain *p2m = dom(id)->p2m;
	struct p2m_lookup r;
	u8 *p = NULL;

	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r);
	if (p2m_is_ram(r.t))
		p = page_to_virt(pfn_to_page(mfn_x(r.mfn)));
	put_gfn(p2m, _gfn(gfn));
	return p;
}

bool world_domain_exists(uint16_t id)
{
	return domain_find(id);
}

unsigned long world_tot_pages(uint16_t id)
{
	return dom(id)->tot_pages;
}

unsigned long world_free_pages(void)
{
	return total_free_pages();
}

unsigned long world_free_or_dom0_tables(void)
{
	return total_free_pages() + dom(WORLD_DOM0)->p2m->nr_tables;
}

void world_act_as(uint16_t id)
{
	struct vcpu *v = dom(id)->vcpu[0];

	CHECK(v);
	xen_os_host_set_caller(v);
}

/* One atomic step: a send between a test and a clear would be lost. */
bool world_port_take(uint16_t id, uint32_t port)
{
	struct domain *d = dom(id);
	struct shared_info *s = d->shared_info;

	ASSERT(!d->shinfo_compat && port < EVTCHN_2L_NR_PORTS);
	return test_and_clear_bit(port, (unsigned long *)s->evtchn_pending);
}

void world_console_write(uint16_t id, const char *s)
{
	domain_console_write(dom(id), s, strlen(s));
}

unsigned int world_pause_count(uint16_t id)
{
	return dom(id)->vcpu[0]->pause_count;
}

/* The arch's HVM domain: a p2m in the NPT format, as on an SVM host. */
int hvm_domain_init(struct domain *d, unsigned long max_gfn)
{
	struct p2m_domain *p2m = alloc_xenheap_page();
	int rc;

	if (!p2m)
		return -ENOMEM;
	rc = p2m_init(p2m, d, &p2m_npt_ops, max_gfn);
	if (rc) {
		free_xenheap_page(p2m);
		return rc;
	}
	p2m->fixups = &p2m_domain_fixups;
	d->p2m = p2m;
	return 0;
}

void arch_domain_destroy(struct domain *d)
{
	if (!d->p2m)
		return;
	p2m_teardown(d->p2m);
	free_xenheap_page(d->p2m);
	d->p2m = NULL;
}

/*
 * The vendor's start state, as SVM loads it: 32-bit protected mode with
 * paging off, or long mode on the tables at cr3. RFLAGS bit 1 reads 1.
 */
static void load_start(struct hvm_vcpu *h, const struct hvm_vcpu *start)
{
	bool lm = start->entry_64bit;

	h->regs = start->regs;
	h->rip = start->rip;
	h->rsp = start->rsp;
	h->rflags = start->rflags | 0x2;
	h->cr3 = start->cr3;
	h->entry_64bit = lm;
	h->cr0 = X86_CR0_PE | X86_CR0_ET | (lm ? X86_CR0_PG : 0);
	h->cr4 = lm ? X86_CR4_PAE : 0;
	h->efer = lm ? EFER_LME | EFER_LMA : 0;
}

int hvm_vcpu_init(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct hvm_vcpu *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	load_start(h, start);
	/* Kept as the vendors keep them (their vcpu_init copies start). */
	h->down = start->down;
	h->unstarted = start->unstarted;
	v->hvm = h;
	return 0;
}

void hvm_vcpu_reset(struct vcpu *v, const struct hvm_vcpu *start)
{
	load_start(v->hvm, start);
}

/*
 * hvm/vcpu_start.c's side of VCPUOP_initialise and up, for vCPUs that
 * never run: the start state is loaded at once.
 */
int hvm_vcpu_set_start(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct hvm_vcpu *h = v->hvm;

	if (!h->unstarted && !h->down)
		return -EEXIST;
	load_start(h, start);
	h->unstarted = false;
	return 0;
}

int hvm_vcpu_up(struct vcpu *v)
{
	struct hvm_vcpu *h = v->hvm;

	if (h->unstarted)
		return -EINVAL;
	h->down = false;
	return 0;
}

/* The entry of guest vCPUs, which never run here. */
void hvm_vcpu_loop(struct vcpu *v)
{
	FAIL("d%uv%u ran", v->domain->domain_id, v->vcpu_id);
}

void arch_vcpu_destroy(struct vcpu *v)
{
	free(v->hvm);
	v->hvm = NULL;
}

void arch_vcpu_show_state(struct vcpu *v)
{
	printk("d%uv%u: a vCPU of the host tests\n", v->domain->domain_id,
	       v->vcpu_id);
}

/*
 * No console ring is served here (pv_console.c is not linked): a
 * toolstack's CONSOLE_PFN is taken, as the hypervisor takes it, and kept.
 */
int pv_console_attach(struct domain *d, unsigned long gfn)
{
	return 0;
}

/* The time and vcpu_info sub-ops of vcpu_op: none here. */
long vcpu_op_time(struct vcpu *v, struct hypercall_args *args)
{
	return -ENOSYS;
}

/* No vCPU runs, so none halts: a SCHEDOP_block returns at once. */
void arch_vcpu_halt(struct vcpu *v)
{
}

void *stack_alloc_vcpu(unsigned int domid, unsigned int vcpu_id)
{
	return malloc(STACK_SIZE);
}

void stack_free(void *stack)
{
	free(stack);
}

int arch_vcpu_stack_init(struct vcpu *v)
{
	return 0;
}

/* Guest-virtual addresses are host addresses; the first page is none. */
static bool host_range(unsigned long gva, size_t len)
{
	return gva >= PAGE_SIZE && gva + len >= gva;
}

int copy_from_guest_virt(struct vcpu *v, void *dst, unsigned long gva,
			 size_t len)
{
	if (!host_range(gva, len))
		return -EFAULT;
	memcpy(dst, (const void *)gva, len);
	return 0;
}

int copy_to_guest_virt(struct vcpu *v, unsigned long gva, const void *src,
		       size_t len)
{
	if (!host_range(gva, len))
		return -EFAULT;
	memcpy((void *)gva, src, len);
	return 0;
}

bool need_resched(void)
{
	return false;
}

void send_event_check(unsigned int cpu)
{
}

void vcpu_yield(void)
{
}

void vcpu_pause(struct vcpu *v)
{
	__atomic_fetch_add(&v->pause_count, 1, __ATOMIC_SEQ_CST);
}

void vcpu_unpause(struct vcpu *v)
{
	CHECK(__atomic_fetch_sub(&v->pause_count, 1, __ATOMIC_SEQ_CST));
}

void vcpu_sleep_sync(struct vcpu *v)
{
}

bool vcpu_is_running(struct vcpu *v)
{
	return false;
}

void sched_remove_vcpu(struct vcpu *v)
{
}

void reaper_kick(void)
{
	static __thread bool reaping;

	if (reaping)
		return;
	reaping = true;
	domain_reap();
	reaping = false;
}

void autoexit_domain_gone(struct domain *d)
{
}

s_time_t NOW(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void init_timer(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu)
{
}

void set_timer(struct timer *t, s_time_t expires)
{
}

void stop_timer(struct timer *t)
{
}

void kill_timer(struct timer *t)
{
}

/* No console input reaches the control domain here. */
size_t console_input_peek(char *buf, size_t len, unsigned long *cookie)
{
	return 0;
}

void console_input_consume(size_t n, unsigned long cookie)
{
}

/* The input focus never moves here: the control domain keeps it. */
bool console_input_focused(const struct domain *d)
{
	return is_control_domain(d);
}

void console_input_domain_gone(struct domain *d)
{
}

const char *saved_cmdline(void)
{
	return "";
}

/*
 * A guest's console line, as the hypervisor's console prints it: on the
 * test's output, and in the console ring (which printk does not reach
 * here).
 */
void console_guest_line(unsigned int domid, const char *line)
{
	char prefix[16];

	printk("(d%u) %s\n", domid, line);
	snprintf(prefix, sizeof(prefix), "(d%u) ", domid);
	console_ring_write(prefix, strlen(prefix));
	console_ring_write(line, strlen(line));
	console_ring_write("\n", 1);
}

void world_log_line(const char *line)
{
	console_ring_write("(XEN) ", 6);
	console_ring_write(line, strlen(line));
	console_ring_write("\n", 1);
}
