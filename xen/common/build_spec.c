/* Module strings of domains built at boot: see <xen/build_spec.h>. */
#include <xen/build_spec.h>
#include <xen/errno.h>
#include <xen/lib.h>

enum spec_key {
	KEY_NAME,
	KEY_MEM,
	KEY_VCPUS,
	KEY_CMDLINE,
	KEY_CPUS,
	KEY_EXPECT,
	KEY_BOOT,
	KEY_XEN_CPUID,
	NR_KEYS
};

static const char *const key_names[NR_KEYS] = {
	[KEY_NAME] = "name",   [KEY_MEM] = "mem",
	[KEY_VCPUS] = "vcpus", [KEY_CMDLINE] = "cmdline",
	[KEY_CPUS] = "cpus",   [KEY_EXPECT] = "expect",
	[KEY_BOOT] = "boot",   [KEY_XEN_CPUID] = "xen_cpuid",
};

/* Longest value of a key other than cmdline and name, with its NUL. */
#define VALUE_MAX 64
/*
 * A bad token or value [from, to) in a message, at most SHOWN characters
 * of it then "...": printk("%.*s%s", SHOW(from, to)).
 */
#define SHOWN 40
#define SHOW(from, to)                                        \
	(int)min((long)((to) - (from)), (long)SHOWN), (from), \
		(to) - (from) > SHOWN ? "..." : ""

/* A token of the string, [start, end), quotes included. */
struct token {
	const char *start, *end;
};

/*
 * The next token of *s (empty at the end): it runs to a space outside
 * quotes. -EINVAL if a quote is left open.
 */
static int next_token(const char **s, struct token *t)
{
	const char *p = *s;
	bool quoted = false;

	while (*p == ' ')
		p++;
	t->start = p;
	for (; *p && (quoted || *p != ' '); p++)
		if (*p == '"')
			quoted = !quoted;
	t->end = p;
	*s = p;
	return quoted ? -EINVAL : 0;
}

/* [from, to) without its quotes into buf[size]; false if it does not fit. */
static bool unquote(const char *from, const char *to, char *buf, size_t size)
{
	size_t n = 0;

	for (; from < to; from++) {
		if (*from == '"')
			continue;
		if (n + 1 >= size)
			return false;
		buf[n++] = *from;
	}
	buf[n] = '\0';
	return true;
}

static bool valid_name(const char *n)
{
	if (!*n)
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') ||
		      (*n >= '0' && *n <= '9') || *n == '_' || *n == '-'))
			return false;
	return true;
}

/* One CPU number of a cpus= list, below NR_CPUS. */
static int parse_cpu(const char **s, unsigned int *cpu)
{
	unsigned long long v;
	int rc = parse_dec(*s, s, &v);

	if (rc)
		return rc;
	if (v >= NR_CPUS)
		return -ERANGE;
	*cpu = (unsigned int)v;
	return 0;
}

/* "0,2-3": CPUs and ranges, each below NR_CPUS, at least one CPU. */
static int parse_cpus(const char *s, cpumask_t *m)
{
	cpumask_clear(m);
	while (*s) {
		unsigned int a, b;
		int rc = parse_cpu(&s, &a);

		if (rc)
			return rc;
		b = a;
		if (*s == '-') {
			s++;
			rc = parse_cpu(&s, &b);
			if (rc)
				return rc;
			if (b < a)
				return -EINVAL;
		}
		for (; a <= b; a++)
			cpumask_set_cpu(a, m);
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -EINVAL;
	}
	return cpumask_empty(m) ? -EINVAL : 0;
}

static int parse_mem(const char *val, struct build_spec *spec, char *why,
		     size_t size)
{
	unsigned long long v;
	int rc = parse_size(val, &v);

	if (rc == -EINVAL)
		return refuse(
			-EINVAL, why, size,
			"mem=%s: not a size (decimal, optional K, M, G or "
			"B suffix)",
			val);
	if (rc || v < DOMAIN_MEM_MIN || v > DOMAIN_MEM_MAX ||
	    !IS_ALIGNED(v, PAGE_SIZE))
		return refuse(-EINVAL, why, size,
			      "mem=%s: out of range (1M to 4G, whole pages)",
			      val);
	spec->mem = (unsigned long)v;
	return 0;
}

static int parse_vcpus(const char *val, struct build_spec *spec, char *why,
		       size_t size)
{
	unsigned long long v;
	const char *end;
	int rc = parse_dec(val, &end, &v);

	if (rc == -EINVAL || *end)
		return refuse(-EINVAL, why, size,
			      "vcpus=%s: not a decimal number", val);
	if (rc || !v || v > MAX_VCPUS)
		return refuse(-EINVAL, why, size,
			      "vcpus=%s: out of range (1 to %u)", val,
			      MAX_VCPUS);
	spec->vcpus = (unsigned int)v;
	return 0;
}

/*
 * expect=crash, expect=crash:TEXT (the hypervisor's crash reason must
 * contain TEXT), expect=hang or expect=poweroff.
 */
static int parse_expect(const char *val, struct build_spec *spec, char *why,
			size_t size)
{
	static const char crash[] = "crash:";
	const char *text = val + strlen(crash);

	if (!strcmp(val, "hang")) {
		spec->expect = EXPECT_HANG;
		return 0;
	}
	if (!strcmp(val, "poweroff")) {
		spec->expect = EXPECT_POWEROFF;
		return 0;
	}
	if (!strcmp(val, "crash")) {
		spec->expect = EXPECT_CRASH;
		return 0;
	}
	if (strncmp(val, crash, strlen(crash)))
		return refuse(-EINVAL, why, size,
			      "expect=%s: only expect=crash, "
			      "expect=crash:REASON, expect=hang or "
			      "expect=poweroff is known",
			      val);
	if (!*text || strlen(text) >= sizeof(spec->expect_reason))
		return refuse(-EINVAL, why, size,
			      "expect=%s: the reason must be 1 to %zu "
			      "characters",
			      val, sizeof(spec->expect_reason) - 1);
	spec->expect = EXPECT_CRASH;
	memcpy(spec->expect_reason, text, strlen(text) + 1);
	return 0;
}

/* boot=linux|linux32|pvh: how a bzImage is booted (enum spec_boot). */
static int parse_boot(const char *val, struct build_spec *spec, char *why,
		      size_t size)
{
	if (!strcmp(val, "linux"))
		spec->boot = SPEC_BOOT_LINUX;
	else if (!strcmp(val, "linux32"))
		spec->boot = SPEC_BOOT_LINUX32;
	else if (!strcmp(val, "pvh"))
		spec->boot = SPEC_BOOT_PVH;
	else
		return refuse(-EINVAL, why, size,
			      "boot=%s: only boot=linux, linux32 or pvh is "
			      "known",
			      val);
	return 0;
}

/* xen_cpuid=on|off: whether the domain sees Xen's CPUID leaves. */
static int parse_xen_cpuid(const char *val, struct build_spec *spec, char *why,
			   size_t size)
{
	if (!strcmp(val, "on"))
		spec->hide_xen_cpuid = false;
	else if (!strcmp(val, "off"))
		spec->hide_xen_cpuid = true;
	else
		return refuse(-EINVAL, why, size,
			      "xen_cpuid=%s: only xen_cpuid=on or "
			      "xen_cpuid=off is known",
			      val);
	return 0;
}

/*
 * One KEY=VALUE with the quotes already dropped from VALUE (so a value
 * other than cmdline is shorter than VALUE_MAX).
 */
static int apply(enum spec_key key, const char *val, struct build_spec *spec,
		 char *why, size_t size)
{
	switch (key) {
	case KEY_NAME:
		if (!valid_name(val))
			return refuse(-EINVAL, why, size,
				      "name=%s: bad name (1 to %zu of a-z A-Z "
				      "0-9 _ -)",
				      val, sizeof(spec->name) - 1);
		return 0;
	case KEY_MEM:
		return parse_mem(val, spec, why, size);
	case KEY_VCPUS:
		return parse_vcpus(val, spec, why, size);
	case KEY_CPUS:
		if (parse_cpus(val, &spec->cpus))
			return refuse(-EINVAL, why, size,
				      "cpus=%s: not a list of CPUs below %u "
				      "(like 0,2-3)",
				      val, NR_CPUS);
		spec->have_cpus = true;
		return 0;
	case KEY_EXPECT:
		return parse_expect(val, spec, why, size);
	case KEY_BOOT:
		return parse_boot(val, spec, why, size);
	case KEY_XEN_CPUID:
		return parse_xen_cpuid(val, spec, why, size);
	default:
		/* cmdline: any text, already in place. */
		return 0;
	}
}

/* Where the value of key goes, unquoted, and how much it holds. */
static char *value_buffer(enum spec_key key, struct build_spec *spec,
			  char *scratch, size_t *size)
{
	switch (key) {
	case KEY_NAME:
		*size = sizeof(spec->name);
		return spec->name;
	case KEY_CMDLINE:
		*size = sizeof(spec->cmdline);
		return spec->cmdline;
	default:
		*size = VALUE_MAX;
		return scratch;
	}
}

/* One option token: KEY=VALUE, each key at most once (seen: a bitmap). */
static int parse_option(const struct token *t, unsigned int *seen,
			struct build_spec *spec, char *why, size_t size)
{
	const char *eq = t->start;
	char keybuf[16], scratch[VALUE_MAX], *val;
	size_t val_size;
	unsigned int key;

	while (eq < t->end && *eq != '=')
		eq++;
	if (eq == t->end)
		return refuse(-EINVAL, why, size,
			      "'%.*s%s': not an option (KEY=VALUE)",
			      SHOW(t->start, t->end));
	for (key = 0; key < NR_KEYS; key++)
		if (unquote(t->start, eq, keybuf, sizeof(keybuf)) &&
		    !strcmp(keybuf, key_names[key]))
			break;
	if (key == NR_KEYS)
		return refuse(-EINVAL, why, size,
			      "'%.*s%s': unknown option (name, mem, vcpus, "
			      "cmdline, cpus, expect, boot, xen_cpuid)",
			      SHOW(t->start, eq));
	if (*seen & (1U << key))
		return refuse(-EINVAL, why, size, "%s= given twice",
			      key_names[key]);
	*seen |= 1U << key;
	val = value_buffer(key, spec, scratch, &val_size);
	if (!unquote(eq + 1, t->end, val, val_size))
		return refuse(-EINVAL, why, size,
			      "%s=%.*s%s: too long (at most %zu characters)",
			      key_names[key], SHOW(eq + 1, t->end),
			      val_size - 1);
	return apply(key, val, spec, why, size);
}

int build_spec_parse(const char *string, struct build_spec *spec, char *why,
		     size_t size)
{
	const char *s = string;
	unsigned int seen = 0;
	struct token t;
	char word[8];
	int rc;

	*spec = (struct build_spec){ .vcpus = 1 };
	if (next_token(&s, &t) ||
	    !unquote(t.start, t.end, word, sizeof(word)) ||
	    strcmp(word, "domain"))
		return refuse(-EINVAL, why, size,
			      "not a domain (the string must start with "
			      "'domain')");
	for (;;) {
		if (next_token(&s, &t))
			return refuse(-EINVAL, why, size,
				      "the quote in '%.*s%s' is not closed",
				      SHOW(t.start, t.end));
		if (t.start == t.end)
			break;
		rc = parse_option(&t, &seen, spec, why, size);
		if (rc)
			return rc;
	}
	if (!(seen & (1U << KEY_NAME)) || !(seen & (1U << KEY_MEM)))
		return refuse(-EINVAL, why, size,
			      "name= and mem= are required");
	return 0;
}

static bool valid_file_name(const char *n)
{
	if (!*n || !strcmp(n, ".") || !strcmp(n, ".."))
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') ||
		      (*n >= '0' && *n <= '9') || *n == '_' || *n == '-' ||
		      *n == '.'))
			return false;
	return true;
}

/* What follows the leading spaces and word of s (which starts so). */
static const char *after_word(const char *s, const char *word)
{
	while (*s == ' ')
		s++;
	return s + strlen(word);
}

int ramdisk_spec_check(const char *string, char *why, size_t size)
{
	const char *s;
	struct token t;

	if (!is_ramdisk_spec(string))
		return refuse(-EINVAL, why, size, "not a ramdisk");
	s = after_word(string, "ramdisk");
	if (next_token(&s, &t) || t.start != t.end)
		return refuse(-EINVAL, why, size,
			      "'%.*s%s': a ramdisk module takes nothing after "
			      "'ramdisk'",
			      SHOW(t.start, t.end));
	return 0;
}

int file_spec_parse(const char *string, char *name, char *why, size_t size)
{
	const char *s;
	struct token t;

	if (!is_file_spec(string))
		return refuse(-EINVAL, why, size, "not a file");
	s = after_word(string, "file");
	if (next_token(&s, &t) ||
	    !unquote(t.start, t.end, name, FILE_NAME_MAX) ||
	    !valid_file_name(name))
		return refuse(-EINVAL, why, size,
			      "'file %.*s%s': bad file name (1 to %u of a-z "
			      "A-Z 0-9 _ - .)",
			      SHOW(t.start, t.end), FILE_NAME_MAX - 1);
	if (next_token(&s, &t) || t.start != t.end)
		return refuse(-EINVAL, why, size,
			      "'%.*s%s': a file module has one word after "
			      "'file', its name",
			      SHOW(t.start, t.end));
	return 0;
}
