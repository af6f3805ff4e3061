/*
 * The foreign-map window's bookkeeping (kernel/foreign.c, which also
 * implements xen_os_map_foreign and xen_os_unmap_foreign).
 */
#ifndef MINIOS_FOREIGN_H
#define MINIOS_FOREIGN_H

/* Window pages not handed out. */
unsigned long foreign_window_free(void);

#endif /* MINIOS_FOREIGN_H */
