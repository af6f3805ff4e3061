/* Constants shared by head.S and C. */
#ifndef XTF_LAYOUT_H
#define XTF_LAYOUT_H

/* vCPUs with an id at or above this are stopped at entry. */
#define XTF_MAX_VCPUS 16
#define XTF_STACK_SIZE 8192

/* Selectors of the runtime's GDT (head.S). */
#define XTF_CS 0x08
#define XTF_DS 0x10

#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

#endif /* XTF_LAYOUT_H */
