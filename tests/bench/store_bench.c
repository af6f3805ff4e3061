/*
 * Host benchmark of xenpaging's page store (tools/xenpaging/store.c and
 * compress.c, built like the other host benchmarks): for each set of
 * pages, how small the store keeps them and how fast they go in
 * (xp_store_put) and come out (xp_store_get). The sets:
 *
 *  - pagetest's pattern pages (what a pager holding pagetest evicts);
 *  - guest images as a lazy start loads them: each ELF's PT_LOAD segments
 *    at their physical addresses, the part past the file's bytes zero;
 *  - the ELF files' own bytes as pages (with symbols and debug info);
 *  - random pages (incompressible).
 *
 * Each of ROUNDS runs puts the set into a new store, again and again
 * until at least MIN_BYTES went in, then gets it all out as often, and
 * checks every page once (a mismatch stops the benchmark with no
 * figure). MB/s is the median of the runs; the ratio is the set's bytes
 * over what the store takes for them (blocks and an index entry each).
 *
 *   store-bench [-o SECTION.md] [GUEST.elf...]
 */
#include <elf.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "pattern_page.h"
#include "store.h"

#define PAGE XP_PAGE_SIZE
#define PATTERN_PAGES 16384 /* pagetest's 64 MiB */
#define RANDOM_PAGES 4096
#define MIN_BYTES (32UL << 20)
#define MAX_SETS 8

struct set {
	char name[64];
	uint8_t *pages;
	size_t n;
	/* Results */
	struct xp_store_stats st;
	double ratio, put_mb_s, get_mb_s;
};

static struct set sets[MAX_SETS];
static unsigned int nr_sets;

static struct set *new_set(const char *name)
{
	struct set *set = &sets[nr_sets++];

	REQUIRE(nr_sets <= MAX_SETS);
	snprintf(set->name, sizeof(set->name), "%s", name);
	return set;
}

/* Room for n more pages (zeroed) at the end of set: the first of them. */
static uint8_t *grow(struct set *set, size_t n)
{
	uint8_t *p = realloc(set->pages, (set->n + n) * PAGE);

	REQUIRE(p);
	set->pages = p;
	memset(p + set->n * PAGE, 0, n * PAGE);
	set->n += n;
	return p + (set->n - n) * PAGE;
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	REQUIRE(f);
	REQUIRE(!fseek(f, 0, SEEK_END) && (len = ftell(f)) > 0);
	rewind(f);
	buf = malloc(len);
	REQUIRE(buf && fread(buf, 1, len, f) == (size_t)len);
	fclose(f);
	*size = len;
	return buf;
}

struct segment {
	uint64_t offset, paddr, filesz, memsz;
};

/* The i-th program header of an ELF32 or ELF64 file, if PT_LOAD. */
static bool load_segment(const uint8_t *elf, size_t size, unsigned int i,
			 struct segment *seg)
{
	if (elf[EI_CLASS] == ELFCLASS64) {
		const Elf64_Ehdr *eh = (const void *)elf;
		const Elf64_Phdr *ph = (const void *)(elf + eh->e_phoff);

		REQUIRE(eh->e_phoff + (i + 1) * sizeof(*ph) <= size);
		*seg = (struct segment){ ph[i].p_offset, ph[i].p_paddr,
					 ph[i].p_filesz, ph[i].p_memsz };
		return ph[i].p_type == PT_LOAD;
	} else {
		const Elf32_Ehdr *eh = (const void *)elf;
		const Elf32_Phdr *ph = (const void *)(elf + eh->e_phoff);

		REQUIRE(eh->e_phoff + (i + 1) * sizeof(*ph) <= size);
		*seg = (struct segment){ ph[i].p_offset, ph[i].p_paddr,
					 ph[i].p_filesz, ph[i].p_memsz };
		return ph[i].p_type == PT_LOAD;
	}
}

static unsigned int nr_phdrs(const uint8_t *elf)
{
	return elf[EI_CLASS] == ELFCLASS64 ?
		       ((const Elf64_Ehdr *)elf)->e_phnum :
		       ((const Elf32_Ehdr *)elf)->e_phnum;
}

/* Append the pages a loader fills for the image at path. */
static void add_loaded(struct set *set, const char *path)
{
	size_t size;
	uint8_t *elf = read_file(path, &size), *mem;
	uint64_t lo = UINT64_MAX, hi = 0;
	struct segment seg;
	unsigned int i;

	REQUIRE(size >= sizeof(Elf64_Ehdr) && !memcmp(elf, ELFMAG, SELFMAG));
	for (i = 0; i < nr_phdrs(elf); i++) {
		if (!load_segment(elf, size, i, &seg) || !seg.memsz)
			continue;
		REQUIRE(seg.filesz <= seg.memsz &&
			seg.offset + seg.filesz <= size);
		lo = seg.paddr < lo ? seg.paddr : lo;
		hi = seg.paddr + seg.memsz > hi ? seg.paddr + seg.memsz : hi;
	}
	REQUIRE(lo < hi);
	lo &= ~(uint64_t)(PAGE - 1);
	mem = grow(set, (hi - lo + PAGE - 1) / PAGE);
	for (i = 0; i < nr_phdrs(elf); i++)
		if (load_segment(elf, size, i, &seg) && seg.memsz)
			memcpy(mem + (seg.paddr - lo), elf + seg.offset,
			       seg.filesz);
	free(elf);
}

/* Append the file's bytes as pages, the last one padded with zeros. */
static void add_file(struct set *set, const char *path)
{
	size_t size;
	uint8_t *bytes = read_file(path, &size);

	memcpy(grow(set, (size + PAGE - 1) / PAGE), bytes, size);
	free(bytes);
}

static void measure(struct set *set)
{
	unsigned int reps = MIN_BYTES / (set->n * PAGE) + 1, r;
	double put[ROUNDS], get[ROUNDS], mb = reps * set->n * (PAGE / 1e6);
	uint8_t out[PAGE];
	uint64_t empty;

	for (r = 0; r < ROUNDS; r++) {
		struct xp_store *s = xp_store_create(set->n, 0);
		double t0, t1, t2;

		REQUIRE(s);
		xp_store_get_stats(s, &set->st);
		empty = set->st.bytes;
		t0 = now_ns();
		for (unsigned int k = 0; k < reps; k++)
			for (size_t i = 0; i < set->n; i++)
				REQUIRE(!xp_store_put(s, i,
						      set->pages + i * PAGE));
		t1 = now_ns();
		for (unsigned int k = 0; k < reps; k++)
			for (size_t i = 0; i < set->n; i++)
				REQUIRE(!xp_store_get(s, i, out));
		t2 = now_ns();
		for (size_t i = 0; i < set->n; i++) {
			REQUIRE(!xp_store_get(s, i, out));
			REQUIRE(!memcmp(out, set->pages + i * PAGE, PAGE));
		}
		put[r] = mb / ((t1 - t0) / 1e9);
		get[r] = mb / ((t2 - t1) / 1e9);
		xp_store_get_stats(s, &set->st);
		xp_store_destroy(s);
	}
	set->put_mb_s = median(put, ROUNDS);
	set->get_mb_s = median(get, ROUNDS);
	set->ratio = (double)set->n * PAGE /
		     (set->st.bytes - empty + set->n * sizeof(uintptr_t));
}

/* The name the figures of set go under: lower case, '_' for the rest. */
static void figure_name(const struct set *set, char *buf, size_t size)
{
	size_t i;

	for (i = 0; set->name[i] && i + 1 < size; i++) {
		char c = set->name[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		buf[i] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c :
									    '_';
	}
	buf[i] = 0;
}

static void write_section(FILE *f, unsigned int nr_guests)
{
	fprintf(f, "## The pager's store, on the host\n\n"
		   "| pages | count | zero | packed | raw | ratio | "
		   "put MB/s | get MB/s |\n"
		   "|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (unsigned int i = 0; i < nr_sets; i++) {
		const struct set *set = &sets[i];

		fprintf(f,
			"| %s | %zu | %llu | %llu | %llu | %.1f | %.0f | "
			"%.0f |\n",
			set->name, set->n, (unsigned long long)set->st.zero,
			(unsigned long long)set->st.compressed,
			(unsigned long long)set->st.raw, set->ratio,
			set->put_mb_s, set->get_mb_s);
	}
	fprintf(f,
		"\n"
		"xenpaging's page store (tools/xenpaging/store.c, compress.c), "
		"built\n"
		"`-O2 -DNDEBUG` like the host rows and run by "
		"`build/bench/store-bench`\n"
		"(`make -C tests/bench store` runs it alone, in seconds) on "
		"the %u guest\n"
		"images of dist/guests.\n"
		"\n"
		"- Ratio: the pages' bytes over what the store takes for them "
		"(their blocks\n"
		"  and an 8-byte index entry each; its fixed 12 KiB of scratch "
		"left out). A\n"
		"  zero page takes its index entry only, a pattern page "
		"(pagetest's words\n"
		"  a + i * b) a 20-byte block, a page that does not shrink a "
		"4096-byte copy:\n"
		"  pagetest at 64 MiB held at 25%% resident puts its 48 MiB in "
		"under 0.4 MiB\n"
		"  (the index of all its gfns included).\n"
		"- MB/s: page bytes through `xp_store_put` and `xp_store_get`. "
		"Each run puts\n"
		"  the set into a new store (then over itself) until %lu MiB "
		"went in, then\n"
		"  gets as much out; the median of %d runs. Other work on the "
		"machine shows.\n"
		"- Loaded images: each ELF's PT_LOAD segments at their "
		"physical addresses,\n"
		"  bss zero, as a lazy start puts them in the store. The ELF "
		"files' bytes add\n"
		"  their symbols and debug sections.\n"
		"- Not counted: the allocator's rounding. dom0's malloc rounds "
		"a block of up\n"
		"  to 1 KiB to a power of two and gives a larger one whole "
		"pages, the first\n"
		"  with a header: a raw copy takes 8 KiB there.\n",
		nr_guests, MIN_BYTES >> 20, ROUNDS);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int main(int argc, char **argv)
{
	const char *section = NULL;
	struct set *set;
	uint64_t seed = 0x5eed;
	int opt, i;

	while ((opt = getopt(argc, argv, "o:")) != -1) {
		if (opt != 'o') {
			fprintf(stderr,
				"usage: %s [-o SECTION.md] "
				"[GUEST.elf...]\n",
				argv[0]);
			return 2;
		}
		section = optarg;
	}

	set = new_set("pagetest pattern");
	grow(set, PATTERN_PAGES);
	for (size_t g = 0; g < set->n; g++)
		pattern_page(set->pages + g * PAGE, g, 1);
	/* The lazy start (hello) and paged guest (pagetest). */
	for (i = optind; i < argc; i++)
		if (!strcmp(base_name(argv[i]), "hello.elf") ||
		    !strcmp(base_name(argv[i]), "pagetest.elf")) {
			char name[64];

			snprintf(name, sizeof(name), "%s loaded",
				 base_name(argv[i]));
			add_loaded(new_set(name), argv[i]);
		}
	if (optind < argc) {
		set = new_set("all images loaded");
		for (i = optind; i < argc; i++)
			add_loaded(set, argv[i]);
		set = new_set("all ELF files");
		for (i = optind; i < argc; i++)
			add_file(set, argv[i]);
	}
	if (optind == argc)
		fprintf(stderr, "store-bench: no guest images given "
				"(dist/guests not built?)\n");
	set = new_set("random");
	grow(set, RANDOM_PAGES);
	for (size_t k = 0; k < set->n * PAGE; k++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		set->pages[k] = (uint8_t)(seed >> 56);
	}

	for (unsigned int k = 0; k < nr_sets; k++) {
		char name[64];

		measure(&sets[k]);
		figure_name(&sets[k], name, sizeof(name));
		printf("bench store.%s.ratio %.1f x\n", name, sets[k].ratio);
		printf("bench store.%s.put %.0f MB/s\n", name,
		       sets[k].put_mb_s);
		printf("bench store.%s.get %.0f MB/s\n", name,
		       sets[k].get_mb_s);
		fflush(stdout);
	}
	if (section) {
		FILE *f = fopen(section, "w");

		REQUIRE(f);
		write_section(f, argc - optind);
		REQUIRE(!fclose(f));
	}
	return 0;
}
