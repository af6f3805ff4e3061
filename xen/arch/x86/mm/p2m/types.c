/* p2m types: their properties and the one table of legal transitions. */
#include <asm/p2m.h>
#include "backend.h"

#define T(x) (1u << (x))

struct type_info {
	const char *name;
	bool has_mfn;
	unsigned int perms;
	/* Types an entry of this type may become. */
	unsigned int to;
	/*
	 * What a lookup with the query bits fix_q (ALLOC: anyone who uses
	 * the page; UNSHARE: a writer) must fix before returning it.
	 */
	enum p2m_fixup fixup;
	p2m_query_t fix_q;
};

static const struct type_info types[p2m_nr_types] = {
	[p2m_invalid] = { "invalid", false, 0,
			  T(p2m_invalid) | T(p2m_ram_rw) | T(p2m_ram_ro) |
				  T(p2m_ram_logdirty) | T(p2m_mmio_direct) |
				  T(p2m_map_foreign) |
				  T(p2m_populate_on_demand) | T(p2m_ram_paged) |
				  T(p2m_grant_map_rw) | T(p2m_grant_map_ro) },
	[p2m_ram_rw] = { "ram_rw", true, P2M_R | P2M_W | P2M_X,
			 T(p2m_invalid) | T(p2m_ram_rw) | T(p2m_ram_ro) |
				 T(p2m_ram_logdirty) |
				 T(p2m_populate_on_demand) |
				 T(p2m_ram_paging_out) | T(p2m_ram_paged) |
				 T(p2m_ram_shared) },
	[p2m_ram_ro] = { "ram_ro", true, P2M_R | P2M_X,
			 T(p2m_invalid) | T(p2m_ram_rw) | T(p2m_ram_ro) |
				 T(p2m_ram_logdirty) },
	[p2m_ram_logdirty] = { "ram_logdirty", true, P2M_R | P2M_X,
			       T(p2m_invalid) | T(p2m_ram_rw) |
				       T(p2m_ram_logdirty) |
				       T(p2m_ram_paging_out) |
				       T(p2m_ram_shared) },
	[p2m_mmio_direct] = { "mmio_direct", true, P2M_R | P2M_W,
			      T(p2m_invalid) | T(p2m_mmio_direct) },
	[p2m_map_foreign] = { "map_foreign", true, P2M_R | P2M_W,
			      T(p2m_invalid) },
	[p2m_populate_on_demand] = { "populate_on_demand", false, 0,
				     T(p2m_invalid) | T(p2m_ram_rw) |
					     T(p2m_populate_on_demand),
				     P2M_FIXUP_POD, P2M_ALLOC },
	[p2m_ram_paging_out] = { "ram_paging_out", true, P2M_R | P2M_X,
				 T(p2m_invalid) | T(p2m_ram_rw) |
					 T(p2m_ram_paged),
				 P2M_FIXUP_PAGE_IN, P2M_UNSHARE },
	[p2m_ram_paged] = { "ram_paged", false, 0,
			    T(p2m_invalid) | T(p2m_ram_rw) |
				    T(p2m_ram_paging_in),
			    P2M_FIXUP_PAGE_IN, P2M_ALLOC },
	[p2m_ram_paging_in] = { "ram_paging_in", false, 0,
				T(p2m_invalid) | T(p2m_ram_rw) |
					T(p2m_ram_paged),
				P2M_FIXUP_PAGE_IN, P2M_ALLOC },
	[p2m_ram_shared] = { "ram_shared", true, P2M_R | P2M_X,
			     T(p2m_invalid) | T(p2m_ram_rw) | T(p2m_ram_shared),
			     P2M_FIXUP_UNSHARE, P2M_UNSHARE },
	[p2m_grant_map_rw] = { "grant_map_rw", true, P2M_R | P2M_W,
			       T(p2m_invalid) },
	[p2m_grant_map_ro] = { "grant_map_ro", true, P2M_R, T(p2m_invalid) },
};

const char *p2m_type_name(p2m_type_t t)
{
	return t < p2m_nr_types ? types[t].name : "(bad type)";
}

bool p2m_type_has_mfn(p2m_type_t t)
{
	return t < p2m_nr_types && types[t].has_mfn;
}

unsigned int p2m_type_perms(p2m_type_t t)
{
	return t < p2m_nr_types ? types[t].perms : 0;
}

bool p2m_is_ram(p2m_type_t t)
{
	return t == p2m_ram_rw || t == p2m_ram_ro || t == p2m_ram_logdirty ||
	       t == p2m_ram_paging_out || t == p2m_ram_shared;
}

bool p2m_is_paging(p2m_type_t t)
{
	return t == p2m_ram_paging_out || t == p2m_ram_paged ||
	       t == p2m_ram_paging_in;
}

bool p2m_transition_ok(p2m_type_t from, p2m_type_t to)
{
	return from < p2m_nr_types && to < p2m_nr_types &&
	       (types[from].to & T(to));
}

/*
 * Sharing is broken, and a nomination for eviction undone, only for a
 * writer (UNSHARE): both pages are readable as they are. PoD and paged
 * entries are fixed for any ALLOC.
 */
enum p2m_fixup p2m_fixup_needed(p2m_type_t t, p2m_query_t q)
{
	if (t >= p2m_nr_types || types[t].fixup == P2M_FIXUP_NONE ||
	    (q & types[t].fix_q) != types[t].fix_q)
		return P2M_FIXUP_NONE;
	return types[t].fixup;
}

unsigned int p2m_effective_perms(p2m_type_t t, p2m_access_t a)
{
	unsigned int p = p2m_type_perms(t) & (unsigned int)a;

	/* Neither format expresses write or execute without read. */
	return (p & P2M_R) ? p : 0;
}
