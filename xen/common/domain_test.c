/*
 * Self-tests of domain references and shutdown codes, on domains without
 * vCPUs (so the reaper may destroy them as soon as nothing holds them).
 */
#include <xen/selftest.h>
#include <xen/sched.h>

#define TEST_DOMID 0x7e00

static struct domain *create(domid_t id)
{
	int err;

	return domain_create(id, "domtest", 1, 16, &err);
}

SELFTEST(domain_ref_holds_off_the_reaper)
{
	struct domain *d = create(TEST_DOMID);
	unsigned int before = domain_count();

	CHECK(d);
	CHECK(domain_get(TEST_DOMID) == d);
	CHECK(!domain_get(TEST_DOMID + 1));
	domain_shutdown(d, SHUTDOWN_poweroff);
	domain_reap();
	CHECK(domain_count() == before && domain_find(TEST_DOMID) == d);
	domain_put(d);
	domain_reap();
	CHECK(domain_count() == before - 1);
	CHECK(!domain_get(TEST_DOMID));
	return TEST_PASS;
}

SELFTEST(domain_recorded_shutdown_code)
{
	struct domain *a = create(TEST_DOMID), *b = create(TEST_DOMID + 1);

	CHECK(a && b);
	/* A recorded code replaces the reason of the shutdown to come... */
	a->recorded_shutdown_code = SHUTDOWN_crash;
	domain_shutdown(a, SHUTDOWN_poweroff);
	CHECK(a->shutdown_code == SHUTDOWN_crash);
	/* ...but not a crash the hypervisor imposes. */
	b->recorded_shutdown_code = SHUTDOWN_poweroff;
	domain_crash(b, "self-test: an imposed crash");
	CHECK(b->shutdown_code == SHUTDOWN_crash);
	domain_reap();
	CHECK(!domain_find(TEST_DOMID) && !domain_find(TEST_DOMID + 1));
	return TEST_PASS;
}

static void never_runs(struct vcpu *v)
{
	BUG();
}

/*
 * A failed build: the domain is destroyed at once, memory and vCPUs given
 * back, even when a remote shutdown queued it for the reaper meanwhile
 * (the builder's reference kept the reaper off it).
 */
SELFTEST(domain_destroy_unbuilt_at_once)
{
	unsigned long before = total_free_pages();
	struct domain *d = create(TEST_DOMID);
	unsigned int i;

	CHECK(d);
	CHECK(domain_get(TEST_DOMID) == d);
	for (i = 0; i < 8; i++)
		CHECK(alloc_domheap_page(d, 0));
	CHECK(!vcpu_create(d, 0, never_runs));
	domain_shutdown(d, SHUTDOWN_crash);
	domain_reap();
	CHECK(domain_find(TEST_DOMID) == d);
	domain_destroy_unbuilt(d);
	CHECK(!domain_find(TEST_DOMID));
	CHECK(total_free_pages() == before);
	/* It left the reaper's list: nothing is destroyed twice. */
	domain_reap();
	CHECK(total_free_pages() == before);
	return TEST_PASS;
}
