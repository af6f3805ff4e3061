/* Intrusive doubly-linked circular lists. */
#ifndef MINIOS_LIST_H
#define MINIOS_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)     \
	{                        \
		&(name), &(name) \
	}
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr)-offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)
#define list_for_each_entry(pos, head, member)                         \
	for (pos = list_entry((head)->next, __typeof__(*pos), member); \
	     &pos->member != (head);                                   \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

static inline void list_init(struct list_head *l)
{
	l->next = l->prev = l;
}

static inline bool list_empty(const struct list_head *l)
{
	return l->next == l;
}

/* Insert n before pos (at the tail when pos is the head). */
static inline void list_insert_before(struct list_head *n,
				      struct list_head *pos)
{
	n->prev = pos->prev;
	n->next = pos;
	pos->prev->next = n;
	pos->prev = n;
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	list_insert_before(n, head);
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	list_insert_before(n, head->next);
}

/* Unlink n and leave it an empty list, so that a second del is harmless. */
static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

#endif /* MINIOS_LIST_H */
