/*
 * ELF notes of type XEN_ELFNOTE_* in a note section whose name is "Xen".
 * Only numbers: assembly files include this too.
 */
#ifndef PUBLIC_ELFNOTE_H
#define PUBLIC_ELFNOTE_H

/* desc: the 32-bit physical entry point of a PVH guest. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#endif
