/*
 * triple_fault: with an empty IDT, ud2 raises #UD, whose delivery raises #GP,
 * then #DF, then a triple fault: the hypervisor must crash this domain and
 * only it (run with expect=crash).
 */
#include <xtf.h>

void test_main(unsigned int vcpu)
{
	static const struct desc_ptr empty = { .limit = 0, .base = 0 };

	if (vcpu)
		return;
	printf("triple_fault: loading an empty IDT and executing ud2: the hypervisor must crash this domain\n");
	lidt(&empty);
	asm volatile("ud2");
	xtf_failure("still running after the triple fault");
}
