/* dom0's string functions (lib/string.c), with their C standard meanings. */
#ifndef MINIOS_STRING_H
#define MINIOS_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
char *strcat(char *dst, const char *src);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strspn(const char *s, const char *accept);
/* malloc'd copies; NULL (errno ENOMEM) when out of memory. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
/* The name of a Xen error number ("ESRCH: no such domain"...). */
char *strerror(int err);

#endif /* MINIOS_STRING_H */
