/* Shell-style globs for the self-test selection. */
#include <xen/lib.h>

/*
 * Greedy, with one backtrack point: a '*' first matches nothing; on a
 * mismatch the latest '*' takes one more character and matching resumes
 * after it. Earlier stars never need to take more, because the text after
 * the latest star can only match further right. So the cost is at most
 * the pattern length times the string length, however many stars.
 */
bool glob_match(const char *p, const char *pend, const char *s)
{
	const char *star = NULL, *retry = NULL;

	while (*s) {
		if (p < pend && *p == '*') {
			star = ++p;
			retry = s;
		} else if (p < pend && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++retry;
		} else {
			return false;
		}
	}
	while (p < pend && *p == '*')
		p++;
	return p == pend;
}
