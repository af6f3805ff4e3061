/* What every part of dom0's kernel uses: panic, poweroff, small macros. */
#ifndef MINIOS_KERNEL_H
#define MINIOS_KERNEL_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))

/* Print "dom0: panic: MSG" and crash dom0 (SCHEDOP_shutdown crash). */
void __attribute__((noreturn, format(printf, 1, 2)))
panic(const char *fmt, ...);

/* Flush the console and power dom0 off (SCHEDOP_shutdown poweroff). */
void __attribute__((noreturn)) poweroff(void);

#endif /* MINIOS_KERNEL_H */
