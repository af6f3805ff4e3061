/*
 * The PV console ring (Xen's io/console.h layout): one shared page, the
 * input ring (hypervisor to guest) and the output ring (guest to
 * hypervisor). Indexes are free-running 32-bit counters; a ring's byte
 * for index i is at i % its size. The producer of a ring writes its
 * bytes, then its prod index; the consumer reads bytes before prod, then
 * moves its cons index. Either side notifies the other through the
 * event channel in HVM_PARAM_CONSOLE_EVTCHN; the page's gfn is
 * HVM_PARAM_CONSOLE_PFN.
 */
#ifndef PUBLIC_IO_CONSOLE_H
#define PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
	char in[1024];
	char out[2048];
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
	/* 0: the back end serves the ring (XENCONSOLE_CONNECTED). */
	uint8_t connection;
};

#define XENCONSOLE_CONNECTED 0
#define XENCONSOLE_DISCONNECTED 1

#endif
