/*
 * Per-CPU variables: DEFINE_PER_CPU(type, name), per_cpu(name, cpu) and
 * this_cpu(name). The storage scheme is the architecture's (asm/percpu.h).
 */
#ifndef XEN_PERCPU_H
#define XEN_PERCPU_H

#include <xen/compiler.h>
#include <xen/config.h>
#include <asm/percpu.h>

#endif
