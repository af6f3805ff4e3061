/*
 * apic_ipi: interrupts between the local APICs of two vCPUs, through the
 * x2APIC ICR, in this order (vCPU 0 sends, vCPU 1 waits in `sti; hlt`):
 *
 *   ids       each APIC's ID is its vCPU id, its LDR the x2APIC logical
 *             ID (cluster 0, bit id);
 *   fixed     a fixed IPI to physical ID 1 runs its handler on vCPU 1
 *             only, once, with its vector in ISR until EOI;
 *   logical   one to logical ID 2 (cluster 0, bit 1) reaches vCPU 1 only;
 *   shorthand all-but-self reaches vCPU 1 only, all both, and so does
 *             physical broadcast (0xffffffff);
 *   self      SELF IPI with IF=0 waits in IRR (not ISR), then runs once
 *             after STI;
 *   tpr       with TPR 0x70 a vector 0x56 waits in IRR with IF=1 (PPR
 *             0x70), and arrives once TPR is 0;
 *   priority  in a class-5 handler with IF=1, a class-6 IPI nests at once
 *             and another class-5 one waits for the EOI;
 *   esr       a fixed IPI with vector 5 is refused: ESR "send illegal
 *             vector" (0x20);
 *   nmi       an NMI IPI wakes vCPU 1 halted with IF=0 and reaches it;
 *   pingpong  200 round trips, each side halting for the other's IPI.
 *
 * SUCCESS if all hold, else FAILURE naming the first check that did not.
 */
#include <apic.h>

#define VEC_FIXED 0x50
#define VEC_LOGICAL 0x51
#define VEC_ALL_BUT_SELF 0x52
#define VEC_ALL 0x53
#define VEC_BROADCAST 0x54
#define VEC_SELF 0x55
#define VEC_TPR 0x56
#define VEC_OUTER 0x57
#define VEC_SAME_CLASS 0x58
#define VEC_HIGHER 0x68
#define VEC_PING 0x70
#define VEC_PONG 0x71
#define VEC_WAKE 0x72
#define ROUNDS 200

static volatile unsigned int count[2][256];
static volatile unsigned int stage; /* vCPU 1 waits while not STAGE_DONE */
static volatile bool isr_in_handler, nmi_seen;
static volatile unsigned int nested_higher, nested_same;
static volatile unsigned int pings, nmi_ready;
static volatile uint32_t id1, ldr1;

enum { STAGE_SETUP, STAGE_RUN, STAGE_NMI, STAGE_PINGPONG, STAGE_DONE };

static unsigned int me(void)
{
	return apic_read(APIC_ID);
}

/* Every plain vector: count it on the vCPU it ran on, EOI. */
static void counted(uint8_t vector)
{
	if (vector == VEC_FIXED)
		isr_in_handler = apic_vector_set(APIC_ISR, vector);
	count[me() & 1][vector]++;
	apic_eoi();
}

#define HANDLER(v)                \
	static void irq_##v(void) \
	{                         \
		counted(v);       \
	}
HANDLER(VEC_FIXED)
HANDLER(VEC_LOGICAL)
HANDLER(VEC_ALL_BUT_SELF)
HANDLER(VEC_ALL)
HANDLER(VEC_BROADCAST)
HANDLER(VEC_SELF)
HANDLER(VEC_TPR)
HANDLER(VEC_SAME_CLASS)
HANDLER(VEC_HIGHER)

/* Class 5 with IF=1: a class-6 vector nests, a class-5 one waits. */
static void irq_outer(void)
{
	unsigned int higher = count[0][VEC_HIGHER];
	unsigned int same = count[0][VEC_SAME_CLASS];

	apic_write(APIC_SELF_IPI, VEC_SAME_CLASS);
	apic_write(APIC_SELF_IPI, VEC_HIGHER);
	local_irq_enable();
	apic_spin_ms(2);
	local_irq_disable();
	nested_higher = count[0][VEC_HIGHER] - higher;
	nested_same = count[0][VEC_SAME_CLASS] - same;
	count[0][VEC_OUTER]++;
	apic_eoi();
}

/* Only wakes vCPU 1 from its halt. */
static void irq_wake(void)
{
	apic_eoi();
}

/* vCPU 1 answers each ping with a pong. */
static void irq_ping(void)
{
	pings++;
	apic_eoi();
	apic_send(0, ICR_FIXED | VEC_PONG);
}

static void irq_pong(void)
{
	count[0][VEC_PONG]++;
	apic_eoi();
}

/*
 * Say so, then halt with IF=0 until an NMI: it wakes the HLT (nothing
 * else does but the watchdog's upcall, after which it halts again), and
 * arrives at one of the two fixed-up instructions, whose fixup resumes
 * after the loop with EAX = 2. The sender waits for the word.
 */
static unsigned int wait_nmi(void)
{
	unsigned int vector;

	asm volatile("movl $1, %1\n\t"
		     "1: hlt\n\t"
		     "2: jmp 1b\n\t"
		     "3:\n\t" ASM_EXTABLE(1b, 3b) ASM_EXTABLE(2b, 3b)
		     : "=a"(vector), "=m"(nmi_ready)
		     : "0"(0)
		     : "memory");
	return vector;
}

static void receiver(void)
{
	apic_watchdog_init(1);
	apic_enable_x2apic();
	id1 = me();
	ldr1 = apic_read(APIC_LDR);
	stage = STAGE_RUN;
	/* Halted: vCPU 0 wakes it with an interrupt for each stage. */
	while (stage == STAGE_RUN)
		apic_halt_until(1, &stage, STAGE_NMI, 1000);
	nmi_seen = wait_nmi() == 2;
	while (stage != STAGE_DONE)
		apic_halt_until(1, &stage, STAGE_DONE, 1000);
}

/* Send, then wait up to 1 s for vCPU want's count of vector to be n. */
static void send_and_wait(uint32_t dest, uint32_t icr, unsigned int want,
			  unsigned int n, const char *what)
{
	uint8_t vector = (uint8_t)icr;

	apic_send(dest, icr);
	check(want ? apic_spin_until(&count[want][vector], n, 1000) :
		     apic_halt_until(0, &count[want][vector], n, 1000),
	      "%s: vector %#x reached vCPU %u %u times, not %u", what, vector,
	      want, count[want][vector], n);
}

static void check_ids(void)
{
	check(me() == 0, "ids: vCPU 0's APIC ID %u", me());
	check(apic_read(APIC_LDR) == 1, "ids: vCPU 0's LDR %#x",
	      apic_read(APIC_LDR));
	check(id1 == 1 && ldr1 == 2, "ids: vCPU 1's APIC ID %u, LDR %#x", id1,
	      ldr1);
}

static void check_delivery(void)
{
	send_and_wait(1, ICR_FIXED | VEC_FIXED, 1, 1, "fixed");
	check(isr_in_handler, "fixed: vector not in ISR in its handler");
	send_and_wait(2, ICR_LOGICAL | VEC_LOGICAL, 1, 1, "logical");
	send_and_wait(0, ICR_ALL_BUT_SELF | VEC_ALL_BUT_SELF, 1, 1,
		      "all-but-self");
	send_and_wait(0, ICR_ALL | VEC_ALL, 1, 1, "all");
	check(apic_halt_until(0, &count[0][VEC_ALL], 1, 1000),
	      "all: not on the sender");
	send_and_wait(0xffffffffu, ICR_FIXED | VEC_BROADCAST, 1, 1,
		      "broadcast");
	check(apic_halt_until(0, &count[0][VEC_BROADCAST], 1, 1000),
	      "broadcast: not on the sender");
	/* Late copies would show now. */
	local_irq_enable();
	apic_spin_ms(20);
	local_irq_disable();
	check(count[0][VEC_FIXED] + count[0][VEC_LOGICAL] +
			      count[0][VEC_ALL_BUT_SELF] ==
		      0,
	      "vCPU 0 got an IPI meant for vCPU 1");
	check(count[1][VEC_FIXED] == 1 && count[1][VEC_LOGICAL] == 1 &&
		      count[1][VEC_ALL] == 1 && count[0][VEC_ALL] == 1,
	      "an IPI arrived twice");
}

static void check_self_and_tpr(void)
{
	apic_write(APIC_SELF_IPI, VEC_SELF);
	check(apic_vector_set(APIC_IRR, VEC_SELF) &&
		      !apic_vector_set(APIC_ISR, VEC_SELF),
	      "self: not pending in IRR with IF=0");
	check(count[0][VEC_SELF] == 0, "self: taken with IF=0");
	check(apic_halt_until(0, &count[0][VEC_SELF], 1, 1000),
	      "self: never taken");

	apic_write(APIC_TPR, 0x70);
	apic_write(APIC_SELF_IPI, VEC_TPR);
	local_irq_enable();
	apic_spin_ms(10);
	local_irq_disable();
	check(count[0][VEC_TPR] == 0, "tpr: taken through TPR 0x70");
	check(apic_vector_set(APIC_IRR, VEC_TPR) && apic_read(APIC_PPR) == 0x70,
	      "tpr: IRR %d PPR %#x", apic_vector_set(APIC_IRR, VEC_TPR),
	      apic_read(APIC_PPR));
	apic_write(APIC_TPR, 0);
	check(apic_halt_until(0, &count[0][VEC_TPR], 1, 1000),
	      "tpr: not taken after TPR 0");
}

static void check_priority(void)
{
	apic_write(APIC_SELF_IPI, VEC_OUTER);
	check(apic_halt_until(0, &count[0][VEC_OUTER], 1, 1000),
	      "priority: outer vector never taken");
	check(nested_higher == 1, "priority: class 6 nested %u times",
	      nested_higher);
	check(nested_same == 0, "priority: class 5 taken inside class 5");
	check(apic_halt_until(0, &count[0][VEC_SAME_CLASS], 1, 1000),
	      "priority: class 5 not taken after the EOI");
}

static void check_esr(void)
{
	apic_write(APIC_ESR, 0);
	apic_send(1, ICR_FIXED | 5);
	apic_write(APIC_ESR, 0);
	check(apic_read(APIC_ESR) & 0x20, "esr: ESR %#x after vector 5",
	      apic_read(APIC_ESR));
}

static void check_nmi(void)
{
	stage = STAGE_NMI;
	apic_send(1, ICR_FIXED | VEC_WAKE);
	local_irq_enable();
	for (uint64_t end = rdtsc() + apic_tsc_ms(2000); !nmi_ready;
	     hypercall_yield())
		check(rdtsc() < end, "nmi: vCPU 1 never got to its loop");
	apic_send(1, ICR_NMI);
	for (uint64_t end = rdtsc() + apic_tsc_ms(2000); !nmi_seen;
	     hypercall_yield())
		check(rdtsc() < end, "nmi: vCPU 1 saw no NMI within 2 s");
	local_irq_disable();
}

static void check_pingpong(void)
{
	for (unsigned int i = 1; i <= ROUNDS; i++) {
		apic_send(1, ICR_FIXED | VEC_PING);
		check(apic_halt_until(0, &count[0][VEC_PONG], i, 1000),
		      "pingpong: no pong in round %u", i);
	}
	check(pings == ROUNDS, "pingpong: %u pings for %u rounds", pings,
	      ROUNDS);
}

void test_main(unsigned int vcpu)
{
	static const struct {
		uint8_t vector;
		void (*fn)(void);
	} handlers[] = {
		{ VEC_FIXED, irq_VEC_FIXED },
		{ VEC_LOGICAL, irq_VEC_LOGICAL },
		{ VEC_ALL_BUT_SELF, irq_VEC_ALL_BUT_SELF },
		{ VEC_ALL, irq_VEC_ALL },
		{ VEC_BROADCAST, irq_VEC_BROADCAST },
		{ VEC_SELF, irq_VEC_SELF },
		{ VEC_TPR, irq_VEC_TPR },
		{ VEC_SAME_CLASS, irq_VEC_SAME_CLASS },
		{ VEC_HIGHER, irq_VEC_HIGHER },
		{ VEC_OUTER, irq_outer },
		{ VEC_PING, irq_ping },
		{ VEC_PONG, irq_pong },
		{ VEC_WAKE, irq_wake },
	};

	apic_test_needs(2);
	if (vcpu == 1) {
		receiver();
		return;
	}
	if (vcpu)
		return;
	for (unsigned int i = 0; i < sizeof(handlers) / sizeof(handlers[0]);
	     i++)
		xtf_set_irq_handler(handlers[i].vector, handlers[i].fn);
	apic_watchdog_init(0);
	apic_enable_x2apic();
	for (uint64_t end = rdtsc() + apic_tsc_ms(5000); stage != STAGE_RUN;
	     hypercall_yield())
		check(rdtsc() < end, "vCPU 1 never enabled its APIC");
	check_ids();
	check_delivery();
	check_self_and_tpr();
	check_priority();
	check_esr();
	check_nmi();
	stage = STAGE_PINGPONG;
	check_pingpong();
	stage = STAGE_DONE;
	printf("apic_ipi: fixed, logical, shorthand, self, NMI IPIs and "
	       "priorities hold\n");
	xtf_success();
}
