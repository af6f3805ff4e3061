/* Address to symbol lookup for backtraces. */
#ifndef XEN_SYMBOLS_H
#define XEN_SYMBOLS_H

/*
 * The text symbol containing addr and addr's offset into it, or NULL if
 * addr is outside the hypervisor's text (or the image has no table).
 */
const char *symbol_lookup(unsigned long addr, unsigned long *offset);

#endif
