#include "pager.h"

void hostile_checks(struct pager *p)
{
	(void)p;
}
