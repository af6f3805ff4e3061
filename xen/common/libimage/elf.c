/* ELF executables of guest images: see libimage.h. */
#include "libimage.h"
#include "libimage-env.h"

struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((__packed__));

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} __attribute__((__packed__));

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((__packed__));

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
} __attribute__((__packed__));

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62

/* The ELF header: an x86 executable of either class, sane program headers. */
static int read_ehdr(struct elf_image *e, char *why, size_t size)
{
	const struct elf32_ehdr *eh32 = (const void *)e->img;
	const struct elf64_ehdr *eh64 = (const void *)e->img;
	unsigned int phentsize, want;

	if (e->size < sizeof(*eh32) || memcmp(eh32->ident, "\177ELF", 4))
		return refuse(-EINVAL, why, size, "not an ELF image");
	e->is64 = eh32->ident[EI_CLASS] == ELFCLASS64;
	if (e->is64 && e->size < sizeof(*eh64))
		return refuse(-EINVAL, why, size, "a truncated ELF header");
	if (e->is64 && eh64->ident[EI_DATA] == ELFDATA2LSB &&
	    eh64->machine == EM_X86_64 && eh64->type == ET_EXEC) {
		e->entry = eh64->entry;
		e->phoff = eh64->phoff;
		e->phnum = eh64->phnum;
		phentsize = eh64->phentsize;
		want = sizeof(struct elf64_phdr);
	} else if (eh32->ident[EI_CLASS] == ELFCLASS32 &&
		   eh32->ident[EI_DATA] == ELFDATA2LSB &&
		   (eh32->machine == EM_386 || eh32->machine == EM_X86_64) &&
		   eh32->type == ET_EXEC) {
		/* ELF32 with EM_X86_64: how many PVH kernels ship. */
		e->entry = eh32->entry;
		e->phoff = eh32->phoff;
		e->phnum = eh32->phnum;
		phentsize = eh32->phentsize;
		want = sizeof(struct elf32_phdr);
	} else {
		return refuse(-EINVAL, why, size,
			      "not a little-endian x86 executable (ELF32 "
			      "EM_386 or EM_X86_64, or ELF64 EM_X86_64)");
	}
	if (phentsize != want || !e->phnum || e->phoff > e->size ||
	    (e->size - e->phoff) / want < e->phnum)
		return refuse(-EINVAL, why, size, "bad program headers");
	return 0;
}

void elf_get_segment(const struct elf_image *e, unsigned int i,
		     struct elf_segment *seg)
{
	if (e->is64) {
		const struct elf64_phdr *ph =
			(const struct elf64_phdr *)(e->img + e->phoff) + i;

		*seg = (struct elf_segment){ ph->type, ph->offset, ph->paddr,
					     ph->filesz, ph->memsz };
	} else {
		const struct elf32_phdr *ph =
			(const struct elf32_phdr *)(e->img + e->phoff) + i;

		*seg = (struct elf_segment){ ph->type, ph->offset, ph->paddr,
					     ph->filesz, ph->memsz };
	}
}

static bool overlap(const struct elf_segment *a, const struct elf_segment *b)
{
	return a->memsz && b->memsz && a->paddr < b->paddr + b->memsz &&
	       b->paddr < a->paddr + a->memsz;
}

static int refuse_overlap(unsigned int i, const struct elf_segment *a,
			  unsigned int j, const struct elf_segment *b,
			  char *why, size_t size)
{
	return refuse(-EINVAL, why, size,
		      "PT_LOAD segments %u and %u overlap ([%#llx, %#llx) and "
		      "[%#llx, %#llx))",
		      i, j, (unsigned long long)a->paddr,
		      (unsigned long long)(a->paddr + a->memsz),
		      (unsigned long long)b->paddr,
		      (unsigned long long)(b->paddr + b->memsz));
}

/* An ELF note's header; the name and then the value follow, each padded. */
struct elf_note {
	uint32_t namesz, descsz, type;
};

#define NOTE_ALIGN(n) (((n) + 3ULL) & ~3ULL)

/* The little-endian value of a note, 4 or 8 bytes: false if another size. */
static bool note_value(const uint8_t *desc, uint32_t descsz, uint64_t *v)
{
	uint32_t lo;

	if (descsz == 8) {
		memcpy(v, desc, 8);
		return true;
	}
	if (descsz != 4)
		return false;
	memcpy(&lo, desc, 4);
	*v = lo;
	return true;
}

/*
 * The notes of PT_NOTE segment i (its bytes already known to lie in the
 * image): each one whole inside the segment (a tail shorter than a note
 * header is padding); the first Xen PHYS32_ENTRY
 * note is the PVH entry. Sizes are checked before any sum is formed, so
 * nothing a hostile image writes there can wrap.
 */
static int read_notes(struct elf_image *e, unsigned int i,
		      const struct elf_segment *seg, char *why, size_t size)
{
	const uint8_t *p = e->img + seg->offset;
	uint64_t left = seg->filesz;

	/* Fewer bytes than a note header at the end: padding. */
	while (left >= sizeof(struct elf_note)) {
		struct elf_note n;
		uint64_t name, desc;

		memcpy(&n, p, sizeof(n));
		name = NOTE_ALIGN(n.namesz);
		desc = NOTE_ALIGN(n.descsz);
		if (name > left - sizeof(n) || desc > left - sizeof(n) - name)
			return refuse(-EINVAL, why, size,
				      "a note in segment %u runs past its end",
				      i);
		if (n.type == XEN_ELFNOTE_PHYS32_ENTRY && n.namesz == 4 &&
		    !memcmp(p + sizeof(n), "Xen", 4) && !e->pvh) {
			if (!note_value(p + sizeof(n) + name, n.descsz,
					&e->pvh_entry) ||
			    e->pvh_entry >> 32)
				return refuse(-EINVAL, why, size,
					      "a bad XEN_ELFNOTE_PHYS32_ENTRY "
					      "note in segment %u (not a "
					      "4- or 8-byte address below 4 "
					      "GiB)",
					      i);
			e->pvh = true;
		}
		p += sizeof(n) + name + desc;
		left -= sizeof(n) + name + desc;
	}
	return 0;
}

/* A PT_NOTE segment: its bytes in the image, then its notes. */
static int check_note_segment(struct elf_image *e, unsigned int i,
			      const struct elf_segment *seg, char *why,
			      size_t size)
{
	if (seg->offset > e->size || seg->filesz > e->size - seg->offset)
		return refuse(-EINVAL, why, size,
			      "note segment %u lies outside the image", i);
	return read_notes(e, i, seg, why, size);
}

int elf_check(struct elf_image *e, char *why, size_t size)
{
	struct elf_segment loads[ELF_MAX_LOADS];
	unsigned int index[ELF_MAX_LOADS], n = 0, i, j;

	e->pvh = false;
	e->pvh_entry = 0;
	if (read_ehdr(e, why, size))
		return -EINVAL;
	for (i = 0; i < e->phnum; i++) {
		struct elf_segment seg;

		elf_get_segment(e, i, &seg);
		if (seg.type == PT_NOTE &&
		    check_note_segment(e, i, &seg, why, size))
			return -EINVAL;
		if (seg.type != PT_LOAD)
			continue;
		if (n == ELF_MAX_LOADS)
			return refuse(-EINVAL, why, size,
				      "more than %u PT_LOAD segments",
				      ELF_MAX_LOADS);
		/* Written so that 64-bit fields cannot overflow. */
		if (seg.offset > e->size || seg.filesz > e->size - seg.offset ||
		    seg.filesz > seg.memsz)
			return refuse(-EINVAL, why, size,
				      "segment %u lies outside the image", i);
		if (seg.paddr > ~0ULL - seg.memsz)
			return refuse(-EINVAL, why, size,
				      "segment %u wraps around the address "
				      "space",
				      i);
		for (j = 0; j < n; j++)
			if (overlap(&loads[j], &seg))
				return refuse_overlap(index[j], &loads[j], i,
						      &seg, why, size);
		loads[n] = seg;
		index[n++] = i;
	}
	if (!n)
		return refuse(-EINVAL, why, size, "no PT_LOAD segment");
	return 0;
}
