/* Build-time limits. */
#ifndef XEN_CONFIG_H
#define XEN_CONFIG_H

/* Most CPUs we bring up; also the size of every cpumask. */
#define NR_CPUS 64

#endif
