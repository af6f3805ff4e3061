/* dom0's stdlib: the malloc family (mm/malloc.c), number parsing, abort. */
#ifndef MINIOS_STDLIB_H
#define MINIOS_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* 16-byte aligned; NULL with errno ENOMEM when out of memory. */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

/* C's: base 0 takes 0x and 0 prefixes; ERANGE and the limit on overflow. */
unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
int atoi(const char *s);
int abs(int v);

/* Crash dom0 with a message (a bug: nothing may call it in normal use). */
void __attribute__((noreturn)) abort(void);

#endif /* MINIOS_STDLIB_H */
