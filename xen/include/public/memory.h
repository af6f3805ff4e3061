/*
 * memory_op (hypercall 12): (cmd, arg). A long operation is restarted with
 * its progress in cmd: the op in the low MEMOP_EXTENT_SHIFT bits, the
 * extent to resume from above them.
 */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1UL << MEMOP_EXTENT_SHIFT) - 1)

#endif
