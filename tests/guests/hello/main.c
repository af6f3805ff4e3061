/*
 * hello: vCPU 0 greets on the console (port 0xE9) and, under the hypervisor,
 * once more through the console_io hypercall; then SUCCESS.
 */
#include <xtf.h>

void test_main(unsigned int vcpu)
{
	static const char msg[] = "Hello through console_io\n";
	long rc;

	if (vcpu)
		return;
	printf("Hello from vCPU %u of domain %u\n", vcpu, xtf_domid());
	if (!xtf_has_xen()) {
		printf("No hypervisor signature: console_io not tried\n");
		xtf_success();
	}
	rc = hypercall_console_write(msg, sizeof(msg) - 1);
	if (rc < 0)
		xtf_failure("console_io write returned %ld", rc);
	xtf_success();
}
