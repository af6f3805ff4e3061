/*
 * The symbol table, generated from the first link of the image and linked
 * into the second one (scripts/gen-symbols.sh). The first link has no
 * table: the weak references below are then zero.
 */
#include <xen/lib.h>
#include <xen/symbols.h>

extern const unsigned long symbols_count __attribute__((weak));
extern const unsigned long symbols_addresses[] __attribute__((weak));
extern const unsigned int symbols_name_offsets[] __attribute__((weak));
extern const char symbols_names[] __attribute__((weak));
extern const char _stext[], _etext[];

const char *symbol_lookup(unsigned long addr, unsigned long *offset)
{
	unsigned long lo = 0, hi;

	if (!&symbols_count || addr < (unsigned long)_stext ||
	    addr >= (unsigned long)_etext)
		return NULL;
	hi = symbols_count;
	/* The last symbol whose address is <= addr. */
	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (symbols_addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (!symbols_count || symbols_addresses[lo] > addr)
		return NULL;
	*offset = addr - symbols_addresses[lo];
	return symbols_names + symbols_name_offsets[lo];
}
