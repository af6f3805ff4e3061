/*
 * The frame table: one struct page_info per RAM frame at frame_table[pfn],
 * backed only where RAM exists (sparse sections of SECTION_PAGES frames),
 * and a bitmap of active sub-sections saying which pfns have an initialised
 * page_info.
 *
 * Publication order: a sub-section's page_infos are written first, then its
 * bit is set (a full barrier); pfn_valid() reads the bit with acquire
 * semantics. A walker that sees a pfn valid therefore sees its page_info
 * initialised, even while another CPU hot-adds memory.
 */
#include <xen/bitmap.h>
#include <xen/errno.h>
#include <xen/mm.h>

#define NR_SUBSECTIONS (MAX_PFN >> SUBSECTION_PAGE_SHIFT)
#define NR_SECTIONS (MAX_PFN >> SECTION_PAGE_SHIFT)

static unsigned long active_subsections[BITS_TO_LONGS(NR_SUBSECTIONS)];
/* Sections whose frame-table memory exists. Writers: frametable_add only,
 * serialised by its callers (boot, or the memory hot-plug lock). */
static unsigned long populated_sections[BITS_TO_LONGS(NR_SECTIONS)];
static unsigned long highest_valid_pfn;

void (*frametable_publish_hook)(unsigned long mid);

bool pfn_valid(unsigned long pfn)
{
	return pfn < MAX_PFN && test_bit_acquire(pfn >> SUBSECTION_PAGE_SHIFT,
						 active_subsections);
}

unsigned long next_valid_pfn(unsigned long pfn, unsigned long end)
{
	unsigned long limit = min(end, MAX_PFN);

	while (pfn < limit) {
		unsigned long sub;

		if (pfn_valid(pfn))
			return pfn;
		sub = find_next_bit(active_subsections, NR_SUBSECTIONS,
				    (pfn >> SUBSECTION_PAGE_SHIFT) + 1);
		pfn = sub << SUBSECTION_PAGE_SHIFT;
	}
	return end;
}

unsigned long max_valid_pfn(void)
{
	return READ_ONCE(highest_valid_pfn);
}

static int populate_section(unsigned long section)
{
	unsigned long va, len;
	int rc;

	if (test_bit(section, populated_sections))
		return 0;
	va = (unsigned long)pfn_to_page(section << SECTION_PAGE_SHIFT);
	len = SECTION_PAGES * sizeof(struct page_info);
	rc = arch_populate_frametable(va, len);
	if (!rc)
		set_bit(section, populated_sections);
	return rc;
}

int frametable_add(unsigned long spfn, unsigned long epfn)
{
	unsigned long sec, sub, pfn;
	int rc;

	BUILD_BUG_ON(sizeof(struct page_info) != 32);

	if (spfn >= epfn || epfn > MAX_PFN ||
	    !IS_ALIGNED(spfn | epfn, SUBSECTION_PAGES))
		return -EINVAL;
	for (sub = spfn >> SUBSECTION_PAGE_SHIFT;
	     sub < epfn >> SUBSECTION_PAGE_SHIFT; sub++)
		if (test_bit(sub, active_subsections))
			return -EEXIST;

	for (sec = spfn >> SECTION_PAGE_SHIFT;
	     sec <= (epfn - 1) >> SECTION_PAGE_SHIFT; sec++) {
		rc = populate_section(sec);
		if (rc)
			return rc;
	}

	for (pfn = spfn; pfn < epfn; pfn++) {
		struct page_info *pg = pfn_to_page(pfn);

		pg->list.next = pg->list.prev = PAGE_LIST_NULL;
		pg->count_info = PGC_state_reserved;
		pg->u.type_info = 0;
		pg->owner = NULL;
	}

	/* set_bit is a full barrier: page_infos are visible before the bit. */
	for (sub = spfn >> SUBSECTION_PAGE_SHIFT;
	     sub < epfn >> SUBSECTION_PAGE_SHIFT; sub++) {
		set_bit(sub, active_subsections);
		if (sub == spfn >> SUBSECTION_PAGE_SHIFT &&
		    spfn + SUBSECTION_PAGES < epfn && frametable_publish_hook)
			frametable_publish_hook(spfn + SUBSECTION_PAGES);
	}

	if (epfn - 1 > highest_valid_pfn)
		WRITE_ONCE(highest_valid_pfn, epfn - 1);
	return 0;
}
