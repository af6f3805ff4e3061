/*
 * halt_forever: every vCPU executes `cli; hlt` with no timer armed and no
 * event channel, so nothing can ever wake it. With autoexit the hypervisor
 * must report the domain hung once every other domain is gone, and end the
 * run (run with expect=hang). HLT returning is a FAILURE: nothing was
 * pending.
 */
#include <xtf.h>

void test_main(unsigned int vcpu)
{
	printf("halt_forever: vCPU %u halts with interrupts off, no timer\n",
	       vcpu);
	cli_hlt();
	xtf_failure("vCPU %u: HLT with interrupts off and nothing pending "
		    "returned",
		    vcpu);
}
