/*
 * The vm_event ring: one shared 4 KiB page through which the hypervisor
 * (the producer of requests) asks a helper in the control domain (the
 * consumer) for work, and the helper answers. The layout and numbers are
 * Xen's (interface version 7); docs/paging.md has the paging protocol.
 *
 * Requests and responses share the slots: the helper consumes requests
 * from req_cons (its own copy) up to req_prod and writes each response
 * into the slot at rsp_prod, then advances rsp_prod. Indices run freely
 * and are taken modulo VM_EVENT_RING_SIZE. The helper notifies the bound
 * event channel when it has put responses; the hypervisor notifies it
 * when it has put requests.
 */
#ifndef PUBLIC_VM_EVENT_H
#define PUBLIC_VM_EVENT_H

#include <stdint.h>

#define VM_EVENT_INTERFACE_VERSION 0x00000007

/* flags: the vCPU waits for the answer; the request came from elsewhere */
#define VM_EVENT_FLAG_VCPU_PAUSED (1u << 0)
#define VM_EVENT_FLAG_FOREIGN (1u << 1)

#define VM_EVENT_REASON_MEM_ACCESS 1
#define VM_EVENT_REASON_MEM_SHARING 2
#define VM_EVENT_REASON_MEM_PAGING 3

/*
 * Paging request flags: the gfn was ballooned out while paged (the
 * helper drops its copy); a nominated gfn was used, so evicting it will
 * fail (it is present again).
 */
#define MEM_PAGING_DROP_PAGE (1u << 0)
#define MEM_PAGING_EVICT_FAIL (1u << 1)

struct vm_event_paging {
	uint64_t gfn;
	uint32_t p2mt;
	uint32_t flags; /* MEM_PAGING_* */
};

/* 400 bytes: a request or a response. */
typedef struct vm_event_st {
	uint32_t version; /* VM_EVENT_INTERFACE_VERSION */
	uint32_t flags; /* VM_EVENT_FLAG_* */
	uint32_t reason; /* VM_EVENT_REASON_* */
	uint32_t vcpu_id;
	uint16_t altp2m_idx;
	uint16_t _pad[3];
	union {
		struct vm_event_paging mem_paging;
		uint8_t pad[32];
	} u;
	/* Register and emulation data of the other modes (unused here). */
	uint8_t data[344];
} vm_event_request_t, vm_event_response_t;

/* Entries in one page after the 64-byte header (a power of two). */
#define VM_EVENT_RING_SIZE 8

struct vm_event_sring {
	uint32_t req_prod, req_event;
	uint32_t rsp_prod, rsp_event;
	uint8_t pvt[4];
	uint8_t _pad[44];
	vm_event_request_t ring[VM_EVENT_RING_SIZE];
};

#endif
