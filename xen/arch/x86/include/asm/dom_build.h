/* Domains built from boot modules. */
#ifndef ASM_DOM_BUILD_H
#define ASM_DOM_BUILD_H

/* Build and start a domain per domain module; returns how many. */
unsigned int build_domains_from_modules(void);

#endif
