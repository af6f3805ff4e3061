/*
 * A domain's emulated RTC/CMOS (ports 0x70/0x71, arch/x86/hvm/rtc.c):
 * the MC146818 registers a kernel reads at boot, its clock the host's
 * wall clock plus what the guest set, and 128 bytes of CMOS RAM.
 */
#ifndef XEN_VRTC_H
#define XEN_VRTC_H

#include <xen/types.h>

struct domain;

struct vrtc {
	bool initialised; /* cmos[] has its reset values */
	u8 index; /* the register port 0x71 reaches */
	/* Registers and CMOS RAM; the clock's registers are computed. */
	u8 cmos[128];
	/* Seconds the guest moved its clock from the host's. */
	s64 offset;
};

/*
 * An access to port 0x70 or 0x71 (true; *val is read for an OUT, filled
 * for an IN), or false for any other port.
 */
bool vrtc_portio(struct domain *d, u16 port, bool in, u32 *val);

#endif
